import pg from 'pg';
import { LiveStream } from '../client/sync/live-stream.ts';
import { uuidv7 } from '../shared/id/uuidv7.ts';
import { RESYNC } from '../shared/sync/protocol.ts';
import { makeDevice } from '../test/support/documents.ts';
import { deploy, type Deployment } from './scale-out-deployment.ts';
import { median, percentile, type BenchRow } from './table.ts';

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** DESIGN.md: a write on one client appears on another online client, p95 under 50 ms on loopback. */
const PROPAGATION_BUDGET_MS = 50;
const json = { 'content-type': 'application/json' };

interface Workload {
  runs: number;
  pushers: number;
  pushesPerPusher: number;
  documentsPerPush: number;
  propagationSamples: number;
}

const QUICK: Workload = { runs: 1, pushers: 8, pushesPerPusher: 10, documentsPerPush: 20, propagationSamples: 30 };
const FULL: Workload = { runs: 3, pushers: 8, pushesPerPusher: 40, documentsPerPush: 20, propagationSamples: 200 };

/**
 * Scale-out on PostgreSQL: push throughput (several concurrent pushers through
 * POST /api/sync/:collection/push, spread over the instances) and propagation latency (a write
 * through the first instance, seen on a live stream of the last), with one server instance and
 * with two on one PostgreSQL, and with SQLite's one instance beside them. Every server is a
 * process of its own. Runs only when PostgreSQL answers (TEST_DATABASE_URL, DATABASE_URL, or the
 * local default), each deployment in a fresh schema dropped afterwards.
 */
export async function benchScaleOut(options: { quick: boolean }): Promise<BenchRow[]> {
  const url = process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'] ?? DEFAULT_POSTGRES_URL;
  if (!(await isReachable(url))) {
    console.log(`scale-out bench skipped: PostgreSQL does not answer at ${redacted(url)}`);
    return [];
  }
  const workload = options.quick ? QUICK : FULL;
  const { TestSchemas } = await import('../server/store/postgres/test-schemas.ts');
  const schemas = new TestSchemas(url);
  const rows: BenchRow[] = [];
  try {
    for (const [engine, instances] of [['sqlite', 1], ['postgres', 1], ['postgres', 2]] as const) {
      const deployment = await deploy(engine, instances, engine === 'postgres' ? schemas : undefined);
      try {
        rows.push(...(await measure(deployment, workload)));
      } finally {
        await deployment.stop();
      }
    }
  } finally {
    await schemas.end();
  }
  return rows;
}

async function measure(deployment: Deployment, workload: Workload): Promise<BenchRow[]> {
  const instances = deployment.urls.length;
  const label =
    deployment.engine === 'sqlite'
      ? 'SQLite, 1 instance (2 instances: n/a, one process\'s file)'
      : `PostgreSQL, ${instances} instance${instances > 1 ? 's' : ''}`;
  // Warm-up: connections, statement caches, JIT.
  await pushThroughput(deployment, { ...workload, pushesPerPusher: 2 });
  const throughputs: number[] = [];
  for (let run = 0; run < workload.runs; run++) throughputs.push(await pushThroughput(deployment, workload));
  const latencies = await propagationLatencies(deployment, workload.propagationSamples);
  const p95 = percentile(latencies, 95);
  const where = instances > 1 ? 'written through instance 1, streamed from instance 2' : 'written and streamed on the one instance';
  return [
    {
      metric: `push throughput, ${label}: ${workload.pushers} pushers × ${workload.documentsPerPush} docs a push`,
      unit: 'docs/s',
      outpost: Math.round(median(throughputs)),
      better: 'higher',
      runs: throughputs.map(Math.round),
    },
    { metric: `propagation p50, ${label}, ${where}`, unit: 'ms', outpost: round(percentile(latencies, 50)), better: 'lower' },
    {
      metric: `propagation p95, ${label}, ${where}`,
      unit: 'ms',
      outpost: round(p95),
      better: 'lower',
      budget: `p95 < ${PROPAGATION_BUDGET_MS} ms`,
      pass: p95 < PROPAGATION_BUDGET_MS,
    },
  ];
}

/** Documents a second accepted through the push endpoint, pusher i writing through instance i mod n. */
async function pushThroughput(deployment: Deployment, workload: Workload): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workload.pushers }, async (_, pusher) => {
      const url = `${deployment.urls[pusher % deployment.urls.length]}/api/sync/devices/push`;
      for (let push = 0; push < workload.pushesPerPusher; push++) {
        const rows = Array.from({ length: workload.documentsPerPush }, () => ({ newDocumentState: newDevice(deployment) }));
        await expectAccepted(await deployment.signedIn(url, { method: 'POST', headers: json, body: JSON.stringify(rows) }));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return (workload.pushers * workload.pushesPerPusher * workload.documentsPerPush) / seconds;
}

/**
 * One write at a time through the first instance; each sample is the time from just before its
 * push to its arrival on a live stream (the client's own LiveStream) of the last instance.
 */
async function propagationLatencies(deployment: Deployment, samples: number): Promise<number[]> {
  const arrivals = new Map<string, () => void>();
  let isReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (isReady = resolve));
  const stream = new LiveStream({
    url: `${deployment.urls.at(-1)}/api/sync/stream`,
    fetch: deployment.signedIn,
    onMessage: (message) => {
      if (message === RESYNC) return isReady();
      for (const document of message.documents) {
        const id = (document as { id?: unknown }).id;
        if (typeof id === 'string') arrivals.get(id)?.();
      }
    },
  });
  stream.start();
  try {
    await withTimeout(ready, 10_000, 'the live stream to open');
    const pushUrl = `${deployment.urls[0]}/api/sync/devices/push`;
    const latencies: number[] = [];
    for (let sample = -5; sample < samples; sample++) {
      const device = newDevice(deployment);
      const arrived = new Promise<void>((resolve) => arrivals.set(device.id, resolve));
      const sentAt = performance.now();
      await expectAccepted(await deployment.signedIn(pushUrl, { method: 'POST', headers: json, body: JSON.stringify([{ newDocumentState: device }]) }));
      await withTimeout(arrived, 10_000, `write ${device.id} on the live stream`);
      arrivals.delete(device.id);
      // The first few warm the path up.
      if (sample >= 0) latencies.push(performance.now() - sentAt);
    }
    return latencies;
  } finally {
    stream.stop();
  }
}

const newDevice = (deployment: Deployment) => ({ ...makeDevice(deployment.orgId, deployment.siteId), id: uuidv7(), _deleted: false });

async function expectAccepted(response: Response): Promise<void> {
  const body = (await response.json()) as { conflicts?: unknown[]; rejected?: unknown[] };
  if (response.status !== 200 || body.conflicts?.length || body.rejected?.length) throw new Error(`push not accepted: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function isReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL without its password, for a log line. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unparseable URL';
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;
