import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRecord, CheckRecord } from '../../shared/agent/protocol.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import type { Alert } from '../../shared/schema/alert.ts';
import type { Device } from '../../shared/schema/device.ts';
import { makeDevice, makeSite } from '../../test/support/documents.ts';
import type { AgentStore } from '../store/agents.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { agentPrincipal } from './agent-auth.ts';
import { AgentRegistry } from './agent-registry.ts';
import { applyBatch } from './apply-batch.ts';
import type { TelemetryState } from './telemetry-pipeline.ts';

/** A view of `target` whose `agents` is replaced (methods stay bound to the real store). */
function withAgents(target: Store, agents: AgentStore): Store {
  return new Proxy(target, {
    get(store, property) {
      if (property === 'agents') return agents;
      const value: unknown = Reflect.get(store, property, store);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(store) : value;
    },
  });
}

const at = () => new Date().toISOString();
const heartbeat = (): AgentRecord => ({ kind: 'heartbeat', id: uuidv7(), observedAt: at(), cpuPercent: 20, memoryUsedPercent: 40 });
const diskCheck = (state: CheckRecord['state']): AgentRecord => ({ kind: 'check', id: uuidv7(), observedAt: at(), check: 'disk_space', state, message: `disk ${state}` });

/** Two registries on one store stand for two server instances hearing one device. */
describe('applyBatch with two instances', () => {
  let store: SqliteStore;
  let device: Device;
  let first: AgentRegistry;
  let second: AgentRegistry;
  /** Runs once, right after the first instance's next read of the device's stored state. */
  let afterFirstRead: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    store = new SqliteStore({ filename: ':memory:' });
    const site = makeSite(uuidv7());
    device = makeDevice(site.orgId, site.id);
    await store.insertMany('sites', [{ ...site, _deleted: false }]);
    await store.insertMany('devices', [{ ...device, _deleted: false }]);
    await store.agents.create({
      deviceId: device.id, orgId: device.orgId, siteId: device.siteId, secretHash: 'hash', enrollmentTokenId: undefined,
      enrolledAt: Date.now(), revokedAt: undefined, lastSeenAt: Date.now(), telemetryState: { checks: {} },
    });
    const agents: AgentStore = new Proxy(store.agents, {
      get(target, property) {
        if (property !== 'get') return (Reflect.get(target, property, target) as (...args: unknown[]) => unknown).bind(target);
        return async (deviceId: string) => {
          const stored = await target.get(deviceId);
          const hook = afterFirstRead;
          afterFirstRead = undefined;
          await hook?.();
          return stored;
        };
      },
    });
    // Heartbeat state is flushed only when a test says so.
    first = new AgentRegistry(withAgents(store, agents), { flushEveryMs: 3_600_000 });
    second = new AgentRegistry(store, { flushEveryMs: 3_600_000 });
  });

  afterEach(async () => {
    await first.close();
    await second.close();
    await store.close();
  });

  const apply = async (registry: AgentRegistry, records: AgentRecord[]) => {
    const entry = await registry.entry(device.id);
    if (!entry?.device) throw new Error('no device');
    await applyBatch(store, registry, entry, entry.device, agentPrincipal(entry.agent), records);
  };
  const alerts = async () => (await store.pull({ kind: 'everything' }, 'alerts', {}, 100)).documents as unknown as Alert[];
  const storedState = async () => (await store.agents.get(device.id))?.telemetryState as TelemetryState;

  it('keeps a check transition whose save lost the race to the other instance\'s heartbeat flush', async () => {
    await apply(second, [heartbeat()]);
    await first.entry(device.id);
    // The second instance saves its heartbeat state just after the first read the stored state
    // to decide the transition on: the first's save is refused, and it decides again.
    afterFirstRead = () => second.flush();
    await apply(first, [diskCheck('critical')]);
    expect((await storedState()).checks.disk_space?.state).toBe('critical');
    expect((await alerts()).map((alert) => alert.status)).toEqual(['open']);

    await apply(second, [diskCheck('ok')]);
    expect((await storedState()).checks.disk_space?.state).toBe('ok');
    expect((await alerts()).map((alert) => alert.status)).toEqual(['resolved']);
  });
});
