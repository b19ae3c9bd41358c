import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../server/seed/random.ts';
import { TEST_STORE_ENGINE } from '../support/server.ts';
import { ChaosWorld } from './support/chaos-world.ts';
import { NO_FAULTS } from './support/fault-proxy.ts';
import { presentValues, syncCommands, type SyncModel } from './support/model-commands.ts';

const CLIENTS = 3;
const SEED = Number(process.env['CHAOS_SEED'] ?? 20260915);
const RUNS = Number(process.env['CHAOS_MODEL_RUNS'] ?? 6);

// One server process on SQLite is enough; the PostgreSQL project would only repeat it.
describe.skipIf(TEST_STORE_ENGINE === 'postgres')('model-based sync (fast-check commands)', () => {
  let world: ChaosWorld;

  beforeAll(async () => {
    world = await ChaosWorld.create({ clients: CLIENTS, users: 2, random: new Random(SEED, 'model') });
    // Cheap faults on every request: late answers, duplicated pushes, answers cut after commit.
    world.proxy.rates = { ...NO_FAULTS, delay: 0.2, maxDelayMs: 200, duplicate: 0.1, cutAfterCommit: 0.1 };
  }, 180_000);

  afterAll(async () => {
    await world?.dispose();
  });

  it('write, offline, online, kill server, restart client, sync: online replicas equal the server and nothing acknowledged is lost', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands(syncCommands(CLIENTS), { maxCommands: 24, size: 'max' }), async (commands) => {
        runs++;
        const model: SyncModel = { isOnline: Array.from({ length: CLIENTS }, () => true) };
        await fc.asyncModelRun(() => ({ model, real: world }), commands);
        // Every run ends healed: all replicas equal, and the whole history still adds up.
        await world.heal();
        await world.converge(120_000);
        const report = world.ledger.report(await presentValues(world));
        expect(report.lost).toEqual([]);
        expect(report.unexpected).toEqual([]);
        expect(report.missingAfterSync).toEqual([]);
        expect(world.unhandled).toEqual([]);
        world.proxy.rates = { ...NO_FAULTS, delay: 0.2, maxDelayMs: 200, duplicate: 0.1, cutAfterCommit: 0.1 };
      }),
      // The system is shared between runs, so a shrunk replay would start from another state: stop at the first failure.
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.log(`model-based: seed ${SEED}, ${runs} runs, ${world.ledger.written.size} values written, ${world.server.kills} SIGKILLs survived`);
  }, 600_000);
});
