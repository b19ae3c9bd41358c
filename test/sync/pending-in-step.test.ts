import { describe, expect, it } from 'vitest';
import { makeDevice, makeSite } from '../support/documents.ts';
import { serverSnapshot, waitFor } from '../support/client.ts';
import { useServerAndTwoClients } from '../support/two-clients.ts';
import { documentsInStep } from '../../client/sync/in-step.ts';
import type { MetaInstance } from '../../client/sync/replication-meta.ts';

describe('documents in step with the server', () => {
  const world = useServerAndTwoClients(['orgs', 'sites', 'devices']);

  const inStep = async (client: typeof world.a, id: string) => {
    const meta = client.sync.replications.get('devices')?.metaInstance as MetaInstance | undefined;
    if (!meta) throw new Error('the replication has no meta instance yet');
    return (await documentsInStep(client.db.devices, meta, [id])).map((state) => state.id);
  };

  it('holds a local edit as waiting until its push lands, and a merged edit as settled', async () => {
    const { server, a, b } = world;
    const site = makeSite(server.orgId);
    const device = makeDevice(server.orgId, site.id, { model: 'HP LaserJet M404' });
    await a.db.sites.insert(site);
    await a.db.devices.insert(device);
    await waitFor(async () => (await b.db.devices.findOne(device.id).exec()) !== null);
    await waitFor(async () => (await inStep(a, device.id)).length === 1, 15_000, 'the insert to be acknowledged');

    a.network.goOffline();
    const edited = await (await a.db.devices.findOne(device.id).exec())?.incrementalPatch({ notes: 'offline note' });
    expect(await inStep(a, device.id)).toEqual([]);

    // The same field changed on the server: a's edit ends as a conflict record, then in step.
    await (await b.db.devices.findOne(device.id).exec())?.incrementalPatch({ notes: 'server note' });
    await waitFor(async () => (await serverSnapshot(server, 'devices'))[0]?.['notes'] === 'server note');
    a.network.goOnline();
    a.sync.resync();
    await waitFor(async () => (await inStep(a, device.id)).length === 1, 15_000, 'the merge to reach the server');
    const [state] = await documentsInStep(a.db.devices, a.sync.replications.get('devices')?.metaInstance as MetaInstance, [device.id]);
    expect(state?.revision).toBeGreaterThan(Number.parseInt(edited?.revision ?? '0', 10));
  });
});
