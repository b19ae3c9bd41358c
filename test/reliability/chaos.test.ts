import { describe, expect, it } from 'vitest';
import { TEST_STORE_ENGINE } from '../support/server.ts';
import { CHAOS_RATES, describeChaos, runChaos } from './support/chaos-run.ts';

/** Fixed, so `npm test` is repeatable; `CHAOS_SEED=… npm run chaos` runs the long version of any seed. */
const SEED = Number(process.env['CHAOS_SEED'] ?? 20260914);

// The server runs as a process of its own on SQLite; the PostgreSQL project would only repeat it.
describe.skipIf(TEST_STORE_ENGINE === 'postgres')('chaos convergence (short, fixed seed)', () => {
  it('loses no acknowledged write and leaves every replica equal to the server through faults and SIGKILLs', async () => {
    const result = await runChaos({ seed: SEED, clients: 4, operations: 300, kills: 2, rates: CHAOS_RATES, maxPauseMs: 20, convergeTimeoutMs: 120_000, log: console.log });
    console.log(describeChaos(result));
    expect(result.kills).toBe(2);
    expect(result.report.lost).toEqual([]);
    expect(result.report.unexpected).toEqual([]);
    expect(result.report.missingAfterSync).toEqual([]);
    expect(result.unhandled).toEqual([]);
    expect(result.divergence).toBeUndefined();
    expect(result.report.acknowledged).toBeGreaterThan(0);
    // The faults this test exists for really happened.
    expect(result.faults.cutAfterCommit + result.faults.duplicate).toBeGreaterThan(0);
  }, 600_000);
});
