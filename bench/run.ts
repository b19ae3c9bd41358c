import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchHttps } from './https.ts';
import { benchIncrementalSync } from './incremental-sync.ts';
import { benchIngestRows } from './ingest-rows.ts';
import { benchInitialSyncBrowser } from './initial-sync-browser.ts';
import { benchInitialSyncNode } from './initial-sync-node.ts';
import { benchPropagation } from './propagation.ts';
import { benchPwa } from './pwa.ts';
import { buildApp } from './build-app.ts';
import { textTable, writeResults } from './report.ts';
import { benchScaleOut } from './scale-out.ts';
import { benchScaling } from './scaling.ts';
import { benchServerMemory } from './server-memory.ts';
import type { BenchRow } from './table.ts';

interface Benchmark {
  name: string;
  run(options: { quick: boolean }): Promise<BenchRow[]>;
}

/** Every benchmark of `npm run bench`, in table order. A new one is a module returning rows, added here. */
const BENCHMARKS: Benchmark[] = [
  { name: 'initial-sync-node', run: benchInitialSyncNode },
  { name: 'initial-sync-browser', run: benchInitialSyncBrowser },
  { name: 'incremental-sync', run: benchIncrementalSync },
  { name: 'propagation', run: benchPropagation },
  { name: 'scaling', run: benchScaling },
  { name: 'server-memory', run: benchServerMemory },
  { name: 'ingest', run: benchIngestRows },
  { name: 'https', run: benchHttps },
  {
    name: 'pwa',
    run: async (options) => {
      await buildApp();
      return benchPwa(options);
    },
  },
  // Skips itself (no rows) when PostgreSQL does not answer.
  { name: 'scale-out', run: benchScaleOut },
];

const USAGE = `usage: npm run bench -- [--quick] [--only ${BENCHMARKS.map((b) => b.name).join(',')}]`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
  if (values.help) return console.log(USAGE);
  const quick = values.quick ?? false;
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !BENCHMARKS.some((b) => b.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}\n${USAGE}`);
  const startedAt = new Date();
  const rows: BenchRow[] = [];
  const failed: string[] = [];
  for (const benchmark of BENCHMARKS.filter((b) => !only || only.includes(b.name))) {
    const started = performance.now();
    console.log(`▶ ${benchmark.name}${quick ? ' (quick)' : ''}`);
    try {
      const measured = await benchmark.run({ quick });
      rows.push(...measured);
      console.log(`${textTable(measured)}\n  (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
    } catch (error) {
      failed.push(benchmark.name);
      console.error(`✗ ${benchmark.name} failed:`, error);
    }
  }
  console.log(`\nOutpost vs its peers${quick ? ' (quick)' : ''}: speed-up = peer ÷ Outpost (time), Outpost ÷ peer (throughput); above 1 means Outpost is faster.\n`);
  console.log(textTable(rows));
  const file = writeResults(fileURLToPath(new URL('results', import.meta.url)), { startedAt, quick, rows, failed });
  console.log(`\nwritten to ${file}`);
  if (failed.length > 0) {
    console.error(`benchmarks that failed to run: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
