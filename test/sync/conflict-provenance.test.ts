import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutpostDatabase, type OutpostDatabase } from '../../client/db/database.ts';
import { startSync, type SyncEngine } from '../../client/sync/sync-engine.ts';
import type { ConflictRecord } from '../../shared/schema/common.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import { serverSnapshot, waitFor } from '../support/client.ts';
import { makeDevice, makeSite } from '../support/documents.ts';
import { SwitchableNetwork } from '../support/network.ts';
import { signIn, startTestServer, type TestServer } from '../support/server.ts';

const collections = ['sites', 'devices'] as const;
// Field clocks are wrong: each writer's device time is deliberately far from the server's.
const DANA_DEVICE_TIME = '2026-03-01T09:00:00.000Z';
const ALEX_DEVICE_TIME = '2026-03-01T09:30:00.000Z';

interface SignedInClient {
  userId: string;
  db: OutpostDatabase;
  sync: SyncEngine;
  network: SwitchableNetwork;
  close(): Promise<void>;
}

/** A person with an account in the server's organization, and their replica, whose database knows who signed in. */
async function signedInClient(server: TestServer, name: string, email: string): Promise<SignedInClient> {
  const password = 'lantern-quarry-biscuit-73';
  const created = await server.adminFetch(`${server.url}/api/admin/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name, password, memberships: [{ orgId: server.orgId, role: 'technician' }] }),
  });
  expect(created.status).toBe(201);
  const { user } = (await created.json()) as { user: { id: string } };
  const network = new SwitchableNetwork(await signIn(server.url, email, password));
  // RxDB storages are generic over internal types that differ per storage.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const storage: RxStorage<any, any> = getRxStorageMemory();
  const db = await createOutpostDatabase({ name: `provenance-${user.id}`, storage, collections, author: { id: user.id, name } });
  const sync = startSync({ db, baseUrl: server.url, fetch: network.fetch, retryTime: 100, collections });
  return {
    userId: user.id,
    db,
    sync,
    network,
    async close() {
      await sync.stop();
      await db.close();
    },
  };
}

const conflictsOf = async (client: SignedInClient, id: string) =>
  ((withoutLocalFields((await client.db.devices.findOne(id).exec())?.toJSON() ?? {}) as { conflicts?: ConflictRecord[] }).conflicts ?? []);

describe('conflict records name who wrote each value', () => {
  let server: TestServer;
  let dana: SignedInClient;
  let alex: SignedInClient;

  const site = makeSite('00000000-0000-7000-8000-000000000000');
  const device = makeDevice(site.orgId, site.id, { model: 'HP LaserJet M404' });

  beforeEach(async () => {
    server = await startTestServer();
    // Seeded before the replicas start (seeding tells no live stream): their first pull brings it.
    await server.store.insertMany('sites', [{ ...site, orgId: server.orgId, _deleted: false }]);
    await server.store.insertMany('devices', [{ ...device, orgId: server.orgId, _deleted: false }]);
    dana = await signedInClient(server, 'Dana Kim', 'dana@outpost.test');
    alex = await signedInClient(server, 'Alex Roe', 'alex@outpost.test');
  });

  afterEach(async () => {
    await dana.close();
    await alex.close();
    await server.dispose();
  });

  it('records both writers, both device times and the server time of the value kept when two people change one field apart', async () => {
    await waitFor(async () => (await dana.db.devices.findOne(device.id).exec()) !== null && (await alex.db.devices.findOne(device.id).exec()) !== null, 15_000, 'both replicas to receive the device');

    alex.network.goOffline();
    await (await alex.db.devices.findOne(device.id).exec())?.incrementalPatch({ model: 'HP LaserJet M406', updatedAt: ALEX_DEVICE_TIME });
    await (await dana.db.devices.findOne(device.id).exec())?.incrementalPatch({ model: 'HP LaserJet M404dn', updatedAt: DANA_DEVICE_TIME });
    await waitFor(async () => (await serverSnapshot(server, 'devices'))[0]?.['model'] === 'HP LaserJet M404dn', 15_000, "Dana's change to reach the server");
    const [stored] = await server.sql<{ written_at: number; written_by_kind: string; written_by_id: string }>(
      'SELECT written_at, written_by_kind, written_by_id FROM documents WHERE collection = ? AND id = ?',
      ['devices', device.id],
    );
    expect(stored).toMatchObject({ written_by_kind: 'user', written_by_id: dana.userId });

    alex.network.goOnline();
    alex.sync.resync();
    await waitFor(async () => (await conflictsOf(alex, device.id)).length === 1 && (await conflictsOf(dana, device.id)).length === 1, 20_000, 'the conflict record on both replicas');

    const [record] = await conflictsOf(alex, device.id);
    expect(record).toMatchObject({ path: 'model', keptValue: 'HP LaserJet M404dn', otherValue: 'HP LaserJet M406' });
    expect(record?.kept).toEqual({ by: dana.userId, byKind: 'user', byName: 'Dana Kim', at: DANA_DEVICE_TIME, serverAt: new Date(Number(stored?.written_at)).toISOString() });
    // Alex's value never reached the server as the field's value: no server time.
    expect(record?.other).toEqual({ by: alex.userId, byKind: 'user', byName: 'Alex Roe', at: ALEX_DEVICE_TIME });
    // The server accepted the record as pushed, and Dana's replica holds the same one.
    expect(await conflictsOf(dana, device.id)).toEqual([record]);
    expect((await serverSnapshot(server, 'devices'))[0]?.['conflicts']).toEqual([record]);
  });
});
