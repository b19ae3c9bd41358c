import { beforeEach, describe, expect, it } from 'vitest';
import { makeDevice, makeSite } from '../support/documents.ts';
import { serverSnapshot, waitFor, type TestClient } from '../support/client.ts';
import type { TestServer } from '../support/server.ts';
import { useServerAndTwoClients } from '../support/two-clients.ts';
import { canonicalJson } from '../../shared/merge/canonical.ts';

const collections = ['orgs', 'sites', 'devices'] as const;

describe('replication between RxDB clients through the real server', () => {
  const world = useServerAndTwoClients(collections);
  let server: TestServer;
  let a: TestClient;
  let b: TestClient;
  beforeEach(() => {
    ({ server, a, b } = world);
  });

  const sameEverywhere = async () => {
    const [fromServer, fromA, fromB] = await Promise.all([
      serverSnapshot(server, 'devices'),
      a.snapshot('devices'),
      b.snapshot('devices'),
    ]);
    return canonicalJson(fromServer) === canonicalJson(fromA) && canonicalJson(fromA) === canonicalJson(fromB);
  };

  it('converges on identical state after concurrent edits on both clients', async () => {
    const org = { id: server.orgId };
    const site = makeSite(org.id);
    await a.db.sites.insert(site);
    const devices = Array.from({ length: 20 }, (_, i) => makeDevice(org.id, site.id, { hostname: `nw-sto014-ws-${i}` }));
    await a.db.devices.bulkInsert(devices);
    await waitFor(async () => (await b.db.devices.count().exec()) === 20, 15_000, 'b to receive 20 devices');

    // Both clients edit the same documents at the same time, different and identical fields.
    await Promise.all(
      devices.map(async (device, i) => {
        const onA = await a.db.devices.findOne(device.id).exec();
        const onB = await b.db.devices.findOne(device.id).exec();
        await Promise.all([
          onA?.incrementalPatch({ assignee: `alice-${i}`, updatedAt: new Date().toISOString() }),
          onB?.incrementalPatch({ notes: `checked by bob ${i}`, updatedAt: new Date().toISOString() }),
        ]);
      }),
    );
    await b.db.devices.insert(makeDevice(org.id, site.id, { hostname: 'created-on-b' }));

    await waitFor(sameEverywhere, 20_000, 'server, a and b to hold identical devices');
    const final = await a.snapshot('devices');
    expect(final).toHaveLength(21);
    for (const [i] of devices.entries()) {
      const device = final.find((d) => d['id'] === devices[i]?.id);
      expect(device).toMatchObject({ assignee: `alice-${i}`, notes: `checked by bob ${i}` });
    }
  });

  it('keeps both changes when an offline client edits one field and an online one another', async () => {
    const org = { id: server.orgId };
    const site = makeSite(org.id);
    const device = makeDevice(org.id, site.id, { hostname: 'nw-sto014-pos-01', model: 'Verifone V400m' });
    await a.db.sites.insert(site);
    await a.db.devices.insert(device);
    await waitFor(async () => (await b.db.devices.findOne(device.id).exec()) !== null, 15_000, 'b to receive the device');

    a.network.goOffline();
    await (await a.db.devices.findOne(device.id).exec())?.incrementalPatch({ assignee: 'Alice (offline)' });
    await (await b.db.devices.findOne(device.id).exec())?.incrementalPatch({ notes: 'Replaced receipt printer cable' });
    await waitFor(async () => (await serverSnapshot(server, 'devices'))[0]?.['notes'] === 'Replaced receipt printer cable');

    a.network.goOnline();
    a.sync.resync();
    await waitFor(sameEverywhere, 20_000, 'convergence after reconnect');
    const [merged] = await b.snapshot('devices');
    expect(merged).toMatchObject({ assignee: 'Alice (offline)', notes: 'Replaced receipt printer cable', model: 'Verifone V400m' });
    expect(merged?.['conflicts'] ?? []).toEqual([]);
  });

  it('ends both clients on one value and records the other when both edit the same field', async () => {
    const org = { id: server.orgId };
    const site = makeSite(org.id);
    const device = makeDevice(org.id, site.id, { model: 'HP LaserJet M404' });
    await a.db.sites.insert(site);
    await a.db.devices.insert(device);
    await waitFor(async () => (await b.db.devices.findOne(device.id).exec()) !== null);

    a.network.goOffline();
    await (await a.db.devices.findOne(device.id).exec())?.incrementalPatch({ model: 'HP LaserJet M406' });
    await (await b.db.devices.findOne(device.id).exec())?.incrementalPatch({ model: 'HP LaserJet M404dn' });
    await waitFor(async () => (await serverSnapshot(server, 'devices'))[0]?.['model'] === 'HP LaserJet M404dn');
    a.network.goOnline();
    a.sync.resync();

    await waitFor(async () => (await sameEverywhere()) && ((await a.snapshot('devices'))[0]?.['conflicts'] as unknown[] | undefined)?.length === 1, 20_000, 'a recorded conflict on both clients');
    const [onA] = await a.snapshot('devices');
    const [onB] = await b.snapshot('devices');
    expect(onA?.['model']).toBe(onB?.['model']);
    const values = [onA?.['model'], (onA?.['conflicts'] as { otherValue: unknown }[])[0]?.otherValue].sort();
    expect(values).toEqual(['HP LaserJet M404dn', 'HP LaserJet M406']);
    expect(onA?.['conflicts']).toEqual(onB?.['conflicts']);
  });

  it('propagates deletions to the other client', async () => {
    const org = { id: server.orgId };
    const site = makeSite(org.id);
    const keep = makeDevice(org.id, site.id);
    const remove = makeDevice(org.id, site.id);
    await a.db.sites.insert(site);
    await a.db.devices.bulkInsert([keep, remove]);
    await waitFor(async () => (await b.db.devices.count().exec()) === 2);
    await (await a.db.devices.findOne(remove.id).exec())?.remove();
    await waitFor(async () => (await b.db.devices.count().exec()) === 1, 15_000, 'deletion to reach b');
    expect((await b.snapshot('devices')).map((d) => d['id'])).toEqual([keep.id]);
    await waitFor(sameEverywhere);
  });
});
