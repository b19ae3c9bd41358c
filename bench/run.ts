import { benchInitialPull } from './initial-pull.ts';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  const devices = Number(process.env['BENCH_DEVICES'] ?? 10_000);
  const runs = Number(process.env['BENCH_RUNS'] ?? 5);
  console.log(`Initial pull of ${devices} devices over HTTP into an RxDB client (memory storage) in Node, ${runs} runs`);
  const results = await benchInitialPull(devices, runs);
  console.table(results.map((r, i) => ({ run: i + 1, devices: r.devices, seconds: r.seconds.toFixed(3), 'docs/s': Math.round(r.documentsPerSecond) })));
  console.table([
    {
      benchmark: 'initial pull, 10k devices',
      'median s': median(results.map((r) => r.seconds)).toFixed(3),
      'median docs/s': Math.round(median(results.map((r) => r.documentsPerSecond))),
    },
  ]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
