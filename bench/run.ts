import { benchIngest } from './ingest.ts';
import { benchInitialPull } from './initial-pull.ts';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  const only = process.env['BENCH_ONLY'];
  if (!only || only === 'pull') {
    const devices = Number(process.env['BENCH_DEVICES'] ?? 10_000);
    const runs = Number(process.env['BENCH_RUNS'] ?? 5);
    console.log(`\nInitial pull of ${devices} devices over HTTP into an RxDB client (memory storage) in Node, ${runs} runs`);
    const results = await benchInitialPull(devices, runs);
    console.table([
      {
        benchmark: `initial pull, ${devices} devices`,
        'median s': median(results.map((r) => r.seconds)).toFixed(3),
        'median docs/s': Math.round(median(results.map((r) => r.documentsPerSecond))),
        runs: results.map((r) => Math.round(r.documentsPerSecond)).join(' '),
      },
    ]);
  }
  if (!only || only === 'ingest') {
    const durationSeconds = Number(process.env['BENCH_SECONDS'] ?? 10);
    console.log(`\nHeartbeat ingest, one server process each, autocannon (32 connections, ${durationSeconds} s), 1,000 enrolled devices`);
    const ingest = await benchIngest({ devices: 1000, durationSeconds });
    const [bare, outpost] = ingest.max;
    console.table(
      [...ingest.max, ingest.atFleetRate].map((r) => ({
        target: r.target,
        'req/s': Math.round(r.requestsPerSecond),
        'p50 ms': r.p50Ms,
        'p99 ms': r.p99Ms,
        errors: r.errors + r.non2xx,
      })),
    );
    if (bare && outpost) {
      console.log(`ingest / bare Hono throughput: ${(outpost.requestsPerSecond / bare.requestsPerSecond).toFixed(2)} (goal ≥ 0.5)`);
    }
    console.log(`p99 at the rate of 50,000 agents heartbeating every 60 s (${ingest.fleetRate} req/s): ${ingest.atFleetRate.p99Ms} ms (goal < 50 ms)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
