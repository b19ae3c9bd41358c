import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRecord } from '../../shared/agent/protocol.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import type { Alert } from '../../shared/schema/alert.ts';
import type { Device } from '../../shared/schema/device.ts';
import { makeDevice, makeSite } from '../../test/support/documents.ts';
import { SYSTEM_PRINCIPAL } from '../auth/principal.ts';
import { ApiError } from '../http/errors.ts';
import type { AgentDeviceRecord } from '../store/agents.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { PushResult, Store, StoredDocument } from '../store/store.ts';
import { agentPrincipal } from './agent-auth.ts';
import { AgentRegistry } from './agent-registry.ts';
import { applyBatch } from './apply-batch.ts';
import { AgentWriteRefused, patchDevice, writeAlerts } from './document-writer.ts';

const at = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

describe('an agent writing its device', () => {
  let store: SqliteStore;
  let device: Device;
  let agent: AgentDeviceRecord;
  let otherSiteId: string;

  beforeEach(async () => {
    store = new SqliteStore({ filename: ':memory:' });
    const site = makeSite(uuidv7());
    const otherSite = makeSite(site.orgId);
    otherSiteId = otherSite.id;
    device = makeDevice(site.orgId, site.id);
    await store.insertMany('sites', [{ ...site, _deleted: false }, { ...otherSite, _deleted: false }]);
    await store.insertMany('devices', [{ ...device, _deleted: false }]);
    await store.agents.create({
      deviceId: device.id, orgId: device.orgId, siteId: device.siteId, secretHash: 'hash', enrollmentTokenId: undefined,
      enrolledAt: Date.now(), revokedAt: undefined, lastSeenAt: Date.now(), telemetryState: { checks: {} },
    });
    agent = (await store.agents.get(device.id))!;
  });

  afterEach(async () => {
    await store.close();
  });

  /** What a technician does: the device document now says it is at the other site. */
  async function moveDevice(): Promise<Device> {
    const [master] = await store.getMany('devices', [device.id]);
    if (!master) throw new Error('no device');
    const moved = { ...master, siteId: otherSiteId, updatedAt: at() } as StoredDocument;
    const result = await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: moved, assumedMasterState: master }]);
    expect(result.written).toBe(1);
    return moved as unknown as Device;
  }

  it('patches its device at the site it was moved to, under the credential it enrolled with', async () => {
    await moveDevice();
    const patched = await patchDevice(store, agentPrincipal(agent), device.id, { health: 'warning', healthReasons: ['disk low'] });
    expect(patched).toMatchObject({ siteId: otherSiteId, health: 'warning' });
    expect((await store.getMany('devices', [device.id]))[0]).toMatchObject({ siteId: otherSiteId, health: 'warning' });
  });

  it('resolves an alert opened before the move where it was opened, and opens new ones where the device is now', async () => {
    const opened: Alert = { id: uuidv7(), orgId: device.orgId, siteId: device.siteId, deviceId: device.id, rule: 'check.antivirus', severity: 'critical', message: 'off', status: 'open', openedAt: at(), updatedAt: at() };
    await writeAlerts(store, agentPrincipal(agent, device), device, [{ kind: 'open', alert: opened }]);
    const moved = await moveDevice();
    const principal = agentPrincipal(agent, moved);
    const fresh: Alert = { ...opened, id: uuidv7(), rule: 'check.disk_space', siteId: moved.siteId };
    await writeAlerts(store, principal, moved, [{ kind: 'resolve', id: opened.id, at: at(1) }, { kind: 'open', alert: fresh }]);
    const alerts = (await store.getMany('alerts', [opened.id, fresh.id])) as unknown as Alert[];
    expect(alerts).toEqual([
      expect.objectContaining({ id: opened.id, siteId: device.siteId, status: 'resolved' }),
      expect.objectContaining({ id: fresh.id, siteId: otherSiteId, status: 'open' }),
    ]);
  });

  it('never moves the device itself, whatever the patch says', async () => {
    await expect(patchDevice(store, agentPrincipal(agent), device.id, { siteId: otherSiteId })).rejects.toBeInstanceOf(AgentWriteRefused);
  });

  it('turns a write the store refuses into a 422 the agent acts on, not a 500', async () => {
    const refusing = new Proxy(store, {
      get(target, property) {
        if (property === 'push') {
          return async (): Promise<PushResult> => ({ conflicts: [], conflictProvenance: [], rejected: [{ index: 0, id: device.id, reason: 'outside your organizations and sites' }], written: 0 });
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    }) as Store;
    const registry = new AgentRegistry(store, { flushEveryMs: 3_600_000 });
    try {
      const entry = (await registry.entry(device.id))!;
      const critical: AgentRecord = { kind: 'check', id: uuidv7(), observedAt: at(), check: 'firewall', state: 'critical', message: 'Firewall is off' };
      const failure = await applyBatch(refusing, registry, entry, entry.device!, agentPrincipal(agent), [critical]).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ApiError);
      expect(failure).toMatchObject({ status: 422, code: 'device_write_refused' });
    } finally {
      await registry.close();
    }
  });
});
