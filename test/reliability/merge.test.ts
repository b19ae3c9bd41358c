import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_STORE_ENGINE } from '../support/server.ts';
import type { MergeMode } from './support/merge-history.ts';
import { describeMerge, runMerge, type MergeResult } from './support/merge-run.ts';

/** Fixed, so `npm test` is repeatable; `MERGE_SEED=… MERGE_SEEDS=… npm run chaos:merge` runs the long version. */
const STEPS = 150;
const SEED = Number(process.env['MERGE_SEED'] ?? 20261205);

const run = (mode: MergeMode) =>
  runMerge({
    seed: SEED,
    mode,
    clients: 4,
    devices: 3,
    risks: 3,
    steps: STEPS,
    maxPauseMs: 20,
    convergeTimeoutMs: 30_000,
    tabs: true,
    broadcastLatencyMs: 20,
  });

/** The whole step log goes to a file (too long for an assertion message); the message names it. */
function explain(result: MergeResult): string {
  const file = join(tmpdir(), `outpost-merge-${result.mode}-${result.seed}.log`);
  writeFileSync(file, [describeMerge(result), '', 'failures:', ...result.failures, '', 'steps:', ...result.stepLog, ''].join('\n'));
  return `${describeMerge(result)}\nsteps and pushes in ${file}; replay: MERGE_SEED=${result.seed} MERGE_MODE=${result.mode} MERGE_STEPS=${STEPS} npm run chaos:merge`;
}

// The merge happens in the clients; the PostgreSQL project would only repeat the same run.
describe.skipIf(TEST_STORE_ENGINE === 'postgres')('field-level merge through reloads, tabs and reconnects (short, fixed seed)', () => {
  it('keeps every change when clients write different fields: no conflict record, every last value on the server and every replica', async () => {
    const result = await run('disjoint');
    expect(result.failures, explain(result)).toEqual([]);
    expect(result.writes).toBeGreaterThan(50);
  }, 120_000);

  it('records a conflict only between two writes neither of which saw the other, and loses no write, when clients write the same fields', async () => {
    const result = await run('same-field');
    expect(result.failures, explain(result)).toEqual([]);
    // The run produced real conflicts to judge.
    expect(result.conflictRecords).toBeGreaterThan(0);
  }, 120_000);
});
