import { filter, firstValueFrom } from 'rxjs';
import { SITE_DATASET } from './initial-sync-node.ts';
import { startLiveClient } from './node-clients.ts';
import { startProcess } from './server-process.ts';
import { startSeededOutpost } from './seeded-outpost.ts';
import { percentile, type BenchRow } from './table.ts';

/** DESIGN.md: a write on one client appears on another online client, p95 under 50 ms on loopback. */
const BUDGET_P95_MS = 50;
const OTHER_SUBSCRIBERS = 100;
const WARM_UP_WRITES = 10;
const ARRIVAL_TIMEOUT_MS = 10_000;

/**
 * 3: a device edited on client A, until client B's replica holds the edit, both live (the
 * server's stream, RxDB's replication), with 100 other stream subscribers connected (a process
 * of their own); one write at a time, p50 and p95 over 200 writes (60 with --quick).
 */
export async function benchPropagation(options: { quick: boolean }): Promise<BenchRow[]> {
  const writes = options.quick ? 60 : 200;
  const server = await startSeededOutpost(SITE_DATASET);
  const others = await startProcess('bench/stream-subscribers.ts', { BENCH_URL: server.url, BENCH_COOKIE: server.cookie, BENCH_STREAMS: String(OTHER_SUBSCRIBERS) }, /connected to (http:\/\/\S+)/);
  const [a, b] = [await startLiveClient(server, 'bench-propagation'), await startLiveClient(server, 'bench-propagation')];
  try {
    const devices = await a.db.devices.find({ sort: [{ id: 'asc' }], limit: writes + WARM_UP_WRITES }).exec();
    const latencies: number[] = [];
    for (const [index, device] of devices.entries()) {
      const note = `propagation probe ${index}`;
      const received = b.sync.replications.get('devices')?.received$;
      if (!received) throw new Error('client B replicates no devices');
      const arrival = firstValueFrom(received.pipe(filter((document) => (document as { id?: string }).id === device.id && (document as { notes?: string }).notes === note)));
      const started = performance.now();
      await device.incrementalPatch({ notes: note });
      await withDeadline(arrival, `the write ${index} to reach client B`);
      if (index >= WARM_UP_WRITES) latencies.push(performance.now() - started);
    }
    const p95 = percentile(latencies, 95);
    const label = `propagation, write on client A → client B's replica, live, ${OTHER_SUBSCRIBERS} other stream subscribers, ${latencies.length} writes`;
    return [
      { metric: `${label}, p50`, unit: 'ms', outpost: round(percentile(latencies, 50)), better: 'lower', runs: latencies.map(round) },
      { metric: `${label}, p95`, unit: 'ms', outpost: round(p95), better: 'lower', budget: `p95 < ${BUDGET_P95_MS} ms`, pass: p95 < BUDGET_P95_MS },
    ];
  } finally {
    for (const client of [a, b]) await client.close();
    await others.stop();
    await server.stop();
  }
}

async function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no sign of ${what} after ${ARRIVAL_TIMEOUT_MS} ms`)), ARRIVAL_TIMEOUT_MS)))]);
  } finally {
    clearTimeout(timer);
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;
