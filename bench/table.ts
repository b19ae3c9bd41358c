/**
 * One row of the `npm run bench` table. Every benchmark module returns rows of this shape;
 * bench/run.ts prints them together and writes them to bench/results/.
 */
export interface BenchRow {
  /** What was measured, e.g. "initial sync, 10k devices + 1k runbooks + 2k risks (Node)". */
  metric: string;
  unit: string;
  /** Outpost's median figure. */
  outpost: number;
  /** The peer's median figure measured in the same run, when there is one. */
  peer?: number;
  peerName?: string;
  /** 'lower' when a smaller figure is better (times), 'higher' for throughputs. */
  better: 'lower' | 'higher';
  /** Human-readable goal, e.g. "≥ 5× faster" or "p95 < 50 ms". */
  budget?: string;
  /** Whether the goal was met; undefined when the row has no goal. */
  pass?: boolean;
  /** Raw figures of each run, for the JSON record. */
  runs?: number[];
  /** The peer's figures of each run. */
  peerRuns?: number[];
}

/** Peer ÷ Outpost for times, Outpost ÷ peer for throughputs: above 1 means Outpost is faster. */
export function speedUp(row: BenchRow): number | undefined {
  if (row.peer === undefined) return undefined;
  return row.better === 'lower' ? row.peer / row.outpost : row.outpost / row.peer;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Nearest-rank percentile (p in 0..100). */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(0, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[rank] ?? Number.NaN;
};
