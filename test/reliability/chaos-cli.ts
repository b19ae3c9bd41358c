import { CHAOS_RATES, describeChaos, runChaos } from './support/chaos-run.ts';
import { envNumber } from './support/env-number.ts';

/**
 * `npm run chaos`: the long run. 20 clients, 10,000 operations, 5 SIGKILLs of the server by
 * default; CHAOS_SEED replays a run (a random seed is drawn and printed otherwise), CHAOS_CLIENTS,
 * CHAOS_OPERATIONS and CHAOS_KILLS resize it, CHAOS_RESTART_WEIGHT makes client restarts more
 * frequent (default 2 against 80 for writes), CHAOS_TRACE=1 logs every write, CHAOS_CONVERGE_SECONDS bounds the wait for convergence after healing. Exits non-zero
 * when a write was lost, a value appeared from nowhere, or the replicas did not converge.
 */
const number = envNumber;

const seed = number('CHAOS_SEED', Math.floor(Math.random() * 2 ** 31));
try {
  const result = await runChaos({
    seed,
    clients: number('CHAOS_CLIENTS', 20),
    operations: number('CHAOS_OPERATIONS', 10_000),
    kills: number('CHAOS_KILLS', 5),
    rates: CHAOS_RATES,
    maxPauseMs: 20,
    convergeTimeoutMs: number('CHAOS_CONVERGE_SECONDS', 180) * 1000,
    log: (line) => console.log(line),
    trace: process.env['CHAOS_TRACE'] === '1',
    restartWeight: number('CHAOS_RESTART_WEIGHT', 2),
  });
  console.log(describeChaos(result));
  const { lost, unexpected, missingAfterSync } = result.report;
  if (result.divergence !== undefined) console.error(result.divergence);
  if (lost.length + unexpected.length + missingAfterSync.length + result.unhandled.length > 0 || result.divergence !== undefined) {
    console.error(`FAILED (seed ${seed}): lost ${lost.join(' ')}; unexpected ${unexpected.join(' ')}; missing after sync ${missingAfterSync.join(' ')}; unhandled ${result.unhandled.join('\n')}`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`FAILED (seed ${seed}):`, error);
  process.exitCode = 1;
}
