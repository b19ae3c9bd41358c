import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MergeMode } from './support/merge-history.ts';
import { describeMerge, runMerge, STEP_KINDS, type MergeResult, type StepKind } from './support/merge-run.ts';
import { envNumber } from './support/env-number.ts';

/**
 * `npm run chaos:merge`: the long field-merge convergence run (see support/merge-run.ts), one seed
 * after another. Settings, all optional:
 * - MERGE_SEED the first seed (a random one is drawn and printed otherwise); MERGE_SEEDS how many
 *   consecutive seeds (default 1); MERGE_MODE disjoint | same-field | both (default both);
 * - MERGE_STEPS (400), MERGE_CLIENTS (4, at most 6), MERGE_DEVICES (3), MERGE_RISKS (3);
 * - MERGE_TABS=0 leaves second tabs out; MERGE_BROADCAST_MS the notice latency (default 20);
 *   MERGE_WEIGHTS="reload=0,close=0" reweighs kinds of step; MERGE_STORAGE=memory puts the replicas
 *   in RxDB's memory storage instead of the log storage (no second tabs then): these tell apart
 *   failures of the log storage from the others;
 * - MERGE_CONVERGE_SECONDS (60); MERGE_TRACE=1 prints every step as it runs.
 * A failing seed prints one line, naming the file that holds its failures, steps and pushes, and
 * the command that replays it; the last line counts the failed runs. Exits non-zero when any failed.
 */
const number = envNumber;
const modeText = process.env['MERGE_MODE'] ?? 'both';
if (!['disjoint', 'same-field', 'both'].includes(modeText)) throw new Error(`MERGE_MODE must be disjoint, same-field or both, not ${JSON.stringify(modeText)}`);
const modes: MergeMode[] = modeText === 'both' ? ['disjoint', 'same-field'] : [modeText as MergeMode];

/** MERGE_WEIGHTS="reload=0,tab edit=20": other weights for kinds of step (0 leaves one out). */
function weights(): Partial<Record<StepKind, number>> {
  const text = process.env['MERGE_WEIGHTS'] ?? '';
  const parsed: Partial<Record<StepKind, number>> = {};
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const [kind, weight] = part.split('=').map((p) => p.trim());
    if (!STEP_KINDS.includes(kind as StepKind) || !Number.isFinite(Number(weight))) throw new Error(`MERGE_WEIGHTS: "${part}" is not kind=weight with a kind among ${STEP_KINDS.join(', ')}`);
    parsed[kind as StepKind] = Number(weight);
  }
  return parsed;
}

/** The command that runs this seed again with the same settings (the same steps; timing may differ). */
function replay(seed: number, mode: MergeMode): string {
  const settings = Object.entries(process.env).filter(([key, value]) => key.startsWith('MERGE_') && !['MERGE_SEED', 'MERGE_SEEDS', 'MERGE_MODE', 'MERGE_TRACE'].includes(key) && value);
  return [`MERGE_SEED=${seed}`, `MERGE_MODE=${mode}`, ...settings.map(([key, value]) => `${key}=${JSON.stringify(value)}`), 'npm run chaos:merge'].join(' ');
}

const first = number('MERGE_SEED', Math.floor(Math.random() * 2 ** 31));
const seeds = number('MERGE_SEEDS', 1);
const verbose = seeds === 1;
let failed = 0;
let ran = 0;
const started = Date.now();
for (let seed = first; seed < first + seeds; seed++) {
  for (const mode of modes) {
    let result: MergeResult;
    try {
      result = await runMerge({
        seed,
        mode,
        clients: number('MERGE_CLIENTS', 4),
        devices: number('MERGE_DEVICES', 3),
        risks: number('MERGE_RISKS', 3),
        steps: number('MERGE_STEPS', 400),
        maxPauseMs: 20,
        convergeTimeoutMs: number('MERGE_CONVERGE_SECONDS', 60) * 1000,
        tabs: process.env['MERGE_TABS'] !== '0' && process.env['MERGE_STORAGE'] !== 'memory',
        storage: process.env['MERGE_STORAGE'] === 'memory' ? 'memory' : 'log',
        broadcastLatencyMs: number('MERGE_BROADCAST_MS', 20),
        weights: weights(),
        log: (line) => console.log(line),
        trace: process.env['MERGE_TRACE'] === '1',
      });
    } catch (error) {
      failed++;
      ran++;
      console.error(`FAILED seed ${seed} (${mode}): the run itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      continue;
    }
    ran++;
    if (verbose) console.log(describeMerge(result));
    if (result.failures.length === 0) continue;
    failed++;
    const file = join(tmpdir(), `outpost-merge-${mode}-${seed}.log`);
    writeFileSync(file, [describeMerge(result), '', 'failures:', ...result.failures, '', 'steps:', ...result.stepLog, ''].join('\n'));
    console.error(`FAILED seed ${seed} (${mode}): ${result.failures.length} failures, first: ${result.failures[0]} — steps and failures in ${file}; replay: ${replay(seed, mode)}`);
  }
}
console.log(`${failed} of ${ran} runs failed (seeds ${first}..${first + seeds - 1}, ${modes.join(' and ')}; ${((Date.now() - started) / 1000).toFixed(0)} s)`);
// A storage instance a failed run left open keeps its BroadcastChannel, and the process, alive.
process.exit(failed > 0 ? 1 : 0);
