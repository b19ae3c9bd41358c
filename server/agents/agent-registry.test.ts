import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { AgentRegistry } from './agent-registry.ts';
import type { TelemetryState } from './telemetry-pipeline.ts';

const AGENTS = 250;

describe('agent registry flush', () => {
  let store: SqliteStore;
  let registry: AgentRegistry;
  const deviceIds: string[] = [];

  beforeEach(async () => {
    store = new SqliteStore({ filename: ':memory:' });
    deviceIds.length = 0;
    const orgId = uuidv7();
    const siteId = uuidv7();
    for (let i = 0; i < AGENTS; i++) {
      const deviceId = uuidv7();
      deviceIds.push(deviceId);
      await store.agents.create({
        deviceId, orgId, siteId, secretHash: 'hash', enrollmentTokenId: undefined,
        enrolledAt: Date.now(), revokedAt: undefined, lastSeenAt: Date.now(), telemetryState: { checks: {} },
      });
    }
    // Flushed only when the test says so.
    registry = new AgentRegistry(store, { flushEveryMs: 3_600_000 });
  });

  afterEach(async () => {
    await registry.close();
    await store.close();
  });

  it('saves every dirty state, in several transactions with the event loop free in between', async () => {
    const expected = new Map<string, TelemetryState>();
    for (const [i, deviceId] of deviceIds.entries()) {
      const entry = await registry.entry(deviceId);
      const state: TelemetryState = { checks: {}, lastHeartbeat: { observedAt: new Date(Date.UTC(2026, 11, 4, 0, 0, i)).toISOString(), cpuPercent: i % 100 } };
      registry.markApplied(entry!, state, []);
      expected.set(deviceId, state);
    }
    let servedDuringFlush = false;
    const flushed = registry.flush();
    // A request arriving now is served before the flush ends, not after all of it.
    setImmediate(() => (servedDuringFlush = true));
    let isFlushed = false;
    void flushed.then(() => (isFlushed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(servedDuringFlush).toBe(true);
    expect(isFlushed).toBe(false);
    await flushed;

    for (const deviceId of deviceIds) {
      const stored = await store.agents.get(deviceId);
      expect(stored?.telemetryState).toEqual(expected.get(deviceId));
      expect(stored?.stateStamp).toBe((await registry.entry(deviceId))?.stateStamp);
    }
  });
});
