import { prepareDevices } from '../../bench/ingest.ts';
import { ServerProcess } from '../support/server-process.ts';
import { AgentFleet } from './soak/agent-fleet.ts';
import { MemorySampler } from './soak/memory-sampler.ts';
import { StreamSwarm } from './soak/stream-swarm.ts';

/**
 * `npm run soak`: 1,000 live streams held open and 10,000 enrolled agents heartbeating once a
 * minute against one server process on loopback, for 5 minutes; one delivery in 500 changes a
 * check (about one alert opened or resolved every three seconds, each fanned out to every stream). Passes when no request fails, no
 * stream drops, and the server's resident memory in the last minute is within 20% of the first
 * minute after warm-up. SOAK_SECONDS, SOAK_STREAMS and SOAK_AGENTS resize it.
 */
const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`);
  return value;
};
const seconds = number('SOAK_SECONDS', 300);
const streamCount = number('SOAK_STREAMS', 1000);
const agentCount = number('SOAK_AGENTS', 10_000);
const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

console.log(`soak: ${streamCount} live streams, ${agentCount} agents heartbeating every 60 s, ${seconds} s, loopback`);
let credentials: string[] = [];
const prepared = Date.now();
const server = await ServerProcess.start({}, { prepare: async (dataDir) => void (credentials = await prepareDevices(dataDir, agentCount)) });
let isFailed = false;
try {
  console.log(`  ${agentCount} agents enrolled in ${((Date.now() - prepared) / 1000).toFixed(0)} s; server pid ${server.pid} at ${server.url}`);
  const admin = await server.signInAdmin();
  const swarm = new StreamSwarm();
  await swarm.open(server.url, admin.cookie, streamCount);
  console.log(`  ${swarm.count} streams open (${swarm.failures().length} refused)`);
  const memory = new MemorySampler(server.pid ?? 0, 2000);
  const fleet = new AgentFleet(server.url, credentials, { intervalSeconds: 60, transitionEvery: 500 });
  fleet.start();
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    await sleep(Math.min(30_000, seconds * 1000 - (Date.now() - started)));
    const rss = memory.samples.at(-1)?.rssBytes ?? 0;
    console.log(`  ${Math.round((Date.now() - started) / 1000)} s: ${fleet.requests} deliveries, p99 ${fleet.percentile(99).toFixed(1)} ms, ${fleet.errors.length} errors, ${swarm.events} stream events, ${swarm.failures().length} streams lost, server RSS ${(rss / MB).toFixed(0)} MB`);
  }
  await fleet.stop();
  memory.stop();
  const streamFailures = swarm.failures();
  const fewestEvents = swarm.fewestEvents;
  await swarm.close();

  // The first minute after a minute of warm-up (or the first third of a short run) against the last.
  const runMs = seconds * 1000;
  const window = Math.min(60_000, runMs / 3);
  const early = memory.meanBetween(Math.min(60_000, runMs / 3), Math.min(60_000, runMs / 3) + window);
  const late = memory.meanBetween(runMs - window, runMs + 10_000);
  const growth = late / early - 1;
  console.log(
    [
      `deliveries: ${fleet.requests} (${(fleet.requests / seconds).toFixed(0)}/s), p50 ${fleet.percentile(50).toFixed(1)} ms, p99 ${fleet.percentile(99).toFixed(1)} ms, max ${fleet.percentile(100).toFixed(1)} ms, errors ${fleet.errors.length}`,
      `streams: ${streamCount} held open, ${streamFailures.length} lost, ${swarm.events} events delivered (each stream at least ${fewestEvents})`,
      `server memory (RSS): ${(early / MB).toFixed(0)} MB early, ${(late / MB).toFixed(0)} MB late (${(growth * 100).toFixed(1)}%), peak ${(Math.max(...memory.samples.map((s) => s.rssBytes)) / MB).toFixed(0)} MB`,
    ].join('\n'),
  );
  const problems = [
    ...new Set(fleet.errors.slice(0, 5)),
    ...new Set(streamFailures.slice(0, 5)),
    ...(growth > 0.2 ? [`memory grew ${(growth * 100).toFixed(1)}% from the first minute to the last`] : []),
    ...(fewestEvents < 1 ? ['a stream received no change at all'] : []),
  ];
  if (problems.length > 0) {
    isFailed = true;
    console.error(`FAILED:\n  ${problems.join('\n  ')}`);
  }
} finally {
  await server.dispose();
}
process.exitCode = isFailed ? 1 : 0;
