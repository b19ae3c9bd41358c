import { outpostFirstSync } from './node-clients.ts';
import { interleaved } from './repeat.ts';
import { startSeededOutpost } from './seeded-outpost.ts';
import { median, type BenchRow } from './table.ts';

/** Linear growth: a device may cost at most this much more at the largest size than at 10k. */
const LINEARITY_BUDGET = 1.5;
const REFERENCE = 10_000;

/**
 * 5: a fresh client's first sync (Node, RxDB memory storage) of fleets of 1k, 10k and 50k
 * devices (1k, 10k and 20k with --quick): the cost per 1,000 devices as the least-squares slope,
 * and whether a device costs the same at the largest size as at 10k.
 */
export async function benchScaling(options: { quick: boolean }): Promise<BenchRow[]> {
  const sizes = options.quick ? [1000, REFERENCE, 20_000] : [1000, REFERENCE, 50_000];
  const points: { devices: number; ms: number; runs: number[] }[] = [];
  for (const devices of sizes) {
    const server = await startSeededOutpost({ devices, runbooks: 0, risks: 0 });
    try {
      const samples = await interleaved({ sync: () => outpostFirstSync(server, ['devices'], devices) }, { runs: options.quick ? 2 : 3, warmUps: 1 });
      points.push({ devices, ms: median(samples.sync), runs: samples.sync.map(Math.round) });
    } finally {
      await server.stop();
    }
  }
  const { slope, rSquared } = leastSquares(points.map((p) => [p.devices / 1000, p.ms]));
  const perDevice = (devices: number) => {
    const point = points.find((p) => p.devices === devices);
    return point ? point.ms / point.devices : Number.NaN;
  };
  const largest = sizes.at(-1) ?? REFERENCE;
  const growth = perDevice(largest) / perDevice(REFERENCE);
  return [
    ...points.map(
      (point): BenchRow => ({ metric: `scaling: initial sync of ${point.devices.toLocaleString('en')} devices, Node`, unit: 'ms', outpost: Math.round(point.ms), better: 'lower', runs: point.runs }),
    ),
    {
      metric: `scaling: cost per 1,000 devices (least-squares slope over ${sizes.map((s) => `${s / 1000}k`).join(', ')}; R² ${rSquared.toFixed(3)})`,
      unit: 'ms',
      outpost: Math.round(slope * 10) / 10,
      better: 'lower',
    },
    {
      metric: `scaling: time per device at ${largest / 1000}k ÷ at ${REFERENCE / 1000}k`,
      unit: '×',
      outpost: Math.round(growth * 100) / 100,
      better: 'lower',
      budget: `≤ ${LINEARITY_BUDGET}× (linear)`,
      pass: growth <= LINEARITY_BUDGET,
    },
  ];
}

/** Slope and coefficient of determination of the line through the points. */
function leastSquares(points: readonly (readonly [number, number])[]): { slope: number; rSquared: number } {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxy = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const residual = points.reduce((sum, [x, y]) => sum + (y - (intercept + slope * x)) ** 2, 0);
  const total = points.reduce((sum, [, y]) => sum + (y - meanY) ** 2, 0);
  return { slope, rSquared: 1 - residual / total };
}
