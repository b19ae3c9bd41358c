import { benchIngest } from './ingest.ts';
import { median, type BenchRow } from './table.ts';

const THROUGHPUT_GOAL = 0.5;
const P99_BUDGET_MS = 50;

/** The heartbeat-ingest bench (bench/ingest.ts) as rows of the table. */
export async function benchIngestRows(options: { quick: boolean }): Promise<BenchRow[]> {
  const result = await benchIngest({ devices: 1000, durationSeconds: options.quick ? 4 : 10, fleetRateRuns: options.quick ? 1 : 3 });
  const [bare, outpost] = result.max;
  if (!bare || !outpost) throw new Error('the ingest bench measured nothing');
  const failures = (run: { errors: number; non2xx: number }) => run.errors + run.non2xx;
  const throughput: BenchRow = {
    metric: 'heartbeat ingest throughput, one server process (autocannon, 32 connections, 1,000 agents)',
    unit: 'req/s',
    outpost: Math.round(outpost.requestsPerSecond),
    peer: Math.round(bare.requestsPerSecond),
    peerName: 'bare Hono route doing no work',
    better: 'higher',
    budget: `≥ ${THROUGHPUT_GOAL}× the bare route`,
  };
  const p99s = result.atFleetRate.map((run) => run.p99Ms);
  const p99 = median(p99s);
  return [
    { ...throughput, pass: outpost.requestsPerSecond >= THROUGHPUT_GOAL * bare.requestsPerSecond && failures(outpost) === 0 },
    {
      metric: `heartbeat ingest p99 at 50,000 agents every 60 s (${result.fleetRate} req/s)`,
      unit: 'ms',
      outpost: p99,
      better: 'lower',
      budget: `< ${P99_BUDGET_MS} ms`,
      pass: p99 < P99_BUDGET_MS && result.atFleetRate.every((run) => failures(run) === 0),
      runs: p99s,
    },
  ];
}
