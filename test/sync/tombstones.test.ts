import { beforeEach, describe, expect, it } from 'vitest';
import { makeDevice, makeSite } from '../support/documents.ts';
import { serverSnapshot, waitFor, type TestClient } from '../support/client.ts';
import type { TestServer } from '../support/server.ts';
import { useServerAndTwoClients } from '../support/two-clients.ts';
import { canonicalJson } from '../../shared/merge/canonical.ts';

const collections = ['orgs', 'sites', 'devices'] as const;

describe('tombstone retention', () => {
  const world = useServerAndTwoClients(collections);
  let server: TestServer;
  let a: TestClient;
  let b: TestClient;
  beforeEach(() => {
    ({ server, a, b } = world);
  });

  it('makes a client whose checkpoint predates purged deletions resync and end correct', async () => {
    const org = { id: server.orgId };
    const site = makeSite(org.id);
    const devices = [0, 1, 2].map((i) => makeDevice(org.id, site.id, { hostname: `nw-sto001-pos-0${i}` }));
    await a.db.sites.insert(site);
    await a.db.devices.bulkInsert(devices);
    await waitFor(async () => (await b.db.devices.count().exec()) === 3, 15_000, 'b to hold 3 devices');

    b.network.goOffline();
    await (await a.db.devices.findOne(devices[0]?.id).exec())?.remove();
    await (await a.db.devices.findOne(devices[1]?.id).exec())?.incrementalPatch({ assignee: 'Rosa' });
    await waitFor(async () => (await serverSnapshot(server, 'devices')).length === 2);
    // Retention has passed for the deletion while b was away.
    expect(await server.store.purgeTombstones(new Date(Date.now() + 1000))).toBe(1);

    // A stale checkpoint is refused explicitly, never answered with a page that lacks the deletion.
    const stale = await server.adminFetch(`${server.url}/api/sync/devices/pull?checkpoint=${encodeURIComponent(JSON.stringify({ [org.id]: 1 }))}`);
    expect(stale.status).toBe(410);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('resync_required');

    b.network.goOnline();
    b.sync.resync();
    await waitFor(async () => (await b.db.devices.count().exec()) === 2, 15_000, 'b to drop the purged device');
    const onB = await b.snapshot('devices');
    expect(onB.map((d) => d['id']).sort()).toEqual([devices[1]?.id, devices[2]?.id].sort());
    expect(onB.find((d) => d['id'] === devices[1]?.id)?.['assignee']).toBe('Rosa');
    expect(canonicalJson(onB)).toBe(canonicalJson(await serverSnapshot(server, 'devices')));
  });

  it('lets a fresh client start from an empty checkpoint after a purge', async () => {
    const org = { id: server.orgId };
    const site = makeSite(org.id);
    const device = makeDevice(org.id, site.id);
    await a.db.sites.insert(site);
    await a.db.devices.insert(device);
    await a.db.devices.insert(makeDevice(org.id, site.id));
    await waitFor(async () => (await serverSnapshot(server, 'devices')).length === 2);
    await (await a.db.devices.findOne(device.id).exec())?.remove();
    await waitFor(async () => (await serverSnapshot(server, 'devices')).length === 1);
    await server.store.purgeTombstones(new Date(Date.now() + 1000));
    const fresh = await server.adminFetch(`${server.url}/api/sync/devices/pull?checkpoint=%7B%7D`);
    expect(fresh.status).toBe(200);
    expect(((await fresh.json()) as { documents: unknown[] }).documents).toHaveLength(1);
  });
});
