import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RxDocumentData } from 'rxdb';
import { isPristine } from '../../client/sync/pristine.ts';
import { canonicalJson } from '../../shared/merge/canonical.ts';
import type { Device } from '../../shared/schema/index.ts';
import type { StoredDocument } from '../../server/store/store.ts';
import { serverSnapshot, startTestClient, waitFor, type TestClient } from '../support/client.ts';
import { makeDevice, makeSite } from '../support/documents.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const COUNT = 300;

/**
 * A first sync writes pulled documents straight into storage (client/sync/bulk-catch-up.ts)
 * with no conflict base stored beside them. These prove that nothing is lost by that: the base
 * is kept the moment a document is first written locally, whichever way it is written.
 */
describe('bulk catch-up of a first sync', () => {
  let server: TestServer;
  let devices: Device[];
  const clients: TestClient[] = [];

  const client = async () => {
    const started = await startTestClient(server.url, server.adminCookie, { collections: ['devices'] });
    clients.push(started);
    await started.sync.awaitInSync();
    return started;
  };
  const device = async (on: TestClient, id: string) => (await on.db.devices.findOne(id).exec())?.toJSON() as Device | undefined;
  const sameAsServer = async (on: TestClient) => canonicalJson(await on.snapshot('devices')) === canonicalJson(await serverSnapshot(server, 'devices'));
  /** Pushes and conflict resolutions of a client's device replication, from now on. */
  const pushActivity = (on: TestClient) => {
    const replication = on.sync.replications.get('devices');
    let count = 0;
    const subscriptions = [replication?.sent$.subscribe(() => count++), replication?.conflict$.subscribe(() => count++)];
    return { count: () => count, stop: () => subscriptions.forEach((s) => s?.unsubscribe()) };
  };

  beforeEach(async () => {
    server = await startTestServer();
    const site = makeSite(server.orgId);
    await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
    devices = Array.from({ length: COUNT }, (_, i) => makeDevice(server.orgId, site.id, { hostname: `nw-sto014-ws-${i}` }));
    await server.store.insertMany('devices', devices.map((d) => ({ ...d, _deleted: false })) as StoredDocument[]);
  });

  afterEach(async () => {
    for (const started of clients.splice(0)) await started.close();
    await server.dispose();
  });

  it('stores every document as the pristine master state and pushes none of them back, then or after a restart', async () => {
    const a = await client();
    expect(await sameAsServer(a)).toBe(true);
    const stored = await a.db.devices.storageInstance.findDocumentsById(devices.map((d) => d.id), false);
    expect(stored.every((d) => isPristine(d as RxDocumentData<unknown>))).toBe(true);

    const activity = pushActivity(a);
    await a.sync.stop();
    a.restartSync();
    const restarted = pushActivity(a);
    await a.sync.awaitInSync();
    expect(activity.count() + restarted.count()).toBe(0);
    restarted.stop();
    activity.stop();
  });

  it('keeps the conflict base: an offline edit of one field and a server edit of another both survive, with no conflict', async () => {
    const [a, b] = [await client(), await client()];
    const [first, second] = [devices[0]!, devices[1]!];
    a.network.goOffline();
    await (await a.db.devices.findOne(first.id).exec())?.incrementalPatch({ assignee: 'alice' });
    await a.db.devices.bulkUpsert([{ ...second, notes: 'upserted offline' }]);
    await (await b.db.devices.findOne(first.id).exec())?.incrementalPatch({ status: 'offline' });
    await (await b.db.devices.findOne(second.id).exec())?.incrementalPatch({ health: 'warning' });
    await b.sync.awaitInSync();

    a.network.goOnline();
    a.sync.resync();
    await waitFor(async () => (await sameAsServer(a)) && (await sameAsServer(b)), 20_000, 'both clients to converge');
    expect(await device(a, first.id)).toMatchObject({ assignee: 'alice', status: 'offline' });
    expect(await device(a, second.id)).toMatchObject({ notes: 'upserted offline', health: 'warning' });
    expect((await device(a, first.id))?.conflicts ?? []).toEqual([]);
    expect((await device(a, second.id))?.conflicts ?? []).toEqual([]);
  });

  it('keeps the other value in a conflict record when both sides change the same field', async () => {
    const [a, b] = [await client(), await client()];
    const target = devices[2]!;
    a.network.goOffline();
    await (await a.db.devices.findOne(target.id).exec())?.incrementalPatch({ assignee: 'alice' });
    await (await b.db.devices.findOne(target.id).exec())?.incrementalPatch({ assignee: 'bob' });
    await b.sync.awaitInSync();
    a.network.goOnline();
    a.sync.resync();
    await waitFor(async () => (await sameAsServer(a)) && (await device(a, target.id))?.conflicts?.length === 1, 20_000, 'the conflict to be recorded');
    const merged = await device(a, target.id);
    expect(new Set([merged?.assignee, merged?.conflicts?.[0]?.otherValue])).toEqual(new Set(['alice', 'bob']));
  });

  it('carries deletions both ways: a local removal reaches the server, a server removal reaches the replica', async () => {
    const [a, b] = [await client(), await client()];
    await (await a.db.devices.findOne(devices[3]!.id).exec())?.remove();
    await a.db.devices.bulkRemove([devices[4]!.id]);
    await (await b.db.devices.findOne(devices[5]!.id).exec())?.remove();
    await waitFor(async () => (await sameAsServer(a)) && (await sameAsServer(b)), 20_000, 'the deletions to converge');
    const remaining = new Set((await serverSnapshot(server, 'devices')).map((d) => d['id']));
    for (const removed of [devices[3]!, devices[4]!, devices[5]!]) expect(remaining.has(removed.id)).toBe(false);
    expect(remaining.size).toBe(COUNT - 3);
  });

  it('catches up in bulk after an absence, and merges the one document changed locally meanwhile', async () => {
    const [a, b] = [await client(), await client()];
    await a.sync.stop();
    const changed = devices.slice(10, 60);
    await b.db.devices.bulkUpsert(changed.map((d) => ({ ...d, status: 'stale' as const })));
    await (await a.db.devices.findOne(changed[0]!.id).exec())?.incrementalPatch({ assignee: 'alice' });
    await b.sync.awaitInSync();

    a.restartSync();
    await a.sync.awaitInSync();
    await waitFor(() => sameAsServer(a), 20_000, 'a to catch up');
    expect(await device(a, changed[0]!.id)).toMatchObject({ assignee: 'alice', status: 'stale' });
    const untouched = await a.db.devices.storageInstance.findDocumentsById(changed.slice(1).map((d) => d.id), false);
    expect(untouched.map((d) => [d.status, isPristine(d as RxDocumentData<unknown>)])).toEqual(changed.slice(1).map(() => ['stale', true]));
  });

  it('applies server changes to documents it bulk-pulled, and pushes what was written locally during the first sync', async () => {
    const b = await client();
    const a = await startTestClient(server.url, server.adminCookie, { collections: ['devices'] });
    clients.push(a);
    // Written while the first sync may still be running.
    const created = makeDevice(server.orgId, devices[0]!.siteId, { hostname: 'created-during-first-sync' });
    await a.db.devices.insert(created);
    await a.sync.awaitInSync();
    await (await b.db.devices.findOne(devices[6]!.id).exec())?.incrementalPatch({ hostname: 'renamed-on-b' });
    await waitFor(async () => (await sameAsServer(a)) && (await sameAsServer(b)), 20_000, 'both clients to converge');
    expect((await device(a, devices[6]!.id))?.hostname).toBe('renamed-on-b');
    expect((await serverSnapshot(server, 'devices')).some((d) => d['id'] === created.id)).toBe(true);
  });
});
