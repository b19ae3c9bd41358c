import { createRxDatabase, type RxJsonSchema, type RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutpostDatabase, type OutpostDatabase } from '../../client/db/database.ts';
import { keepConflictBases } from '../../client/sync/conflict-bases.ts';
import { mergeConflictHandler } from '../../client/sync/conflict-handler.ts';
import { startSync } from '../../client/sync/sync-engine.ts';
import type { Device } from '../../shared/schema/device.ts';
import { toRxJsonSchema } from '../../shared/schema/rxdb-schema.ts';
import type { PushRow } from '../../shared/sync/protocol.ts';
import type { StoredDocument } from '../../server/store/store.ts';
import { serverSnapshot } from '../support/client.ts';
import { makeDevice, makeSite } from '../support/documents.ts';
import { SwitchableNetwork } from '../support/network.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const DEVICE_COUNT = 300;

const PREVIOUS_DEVICE_INDEXES = ['siteId', 'status', 'health'];

/** The devices collection as replicas created it before its status and health indexes were dropped. */
async function openPreviousReplica(name: string, storage: RxStorage<unknown, unknown>): Promise<OutpostDatabase> {
  const schema = toRxJsonSchema('devices', PREVIOUS_DEVICE_INDEXES);
  const db = await createRxDatabase({ name, storage, multiInstance: false, eventReduce: true, closeDuplicates: true });
  await db.addCollections({ devices: { schema: schema as unknown as RxJsonSchema<Device>, conflictHandler: mergeConflictHandler<Device>('devices') } });
  keepConflictBases(db.collections['devices'] as never);
  return db as unknown as OutpostDatabase;
}

describe('a replica created with indexes since dropped', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
    const site = makeSite(server.orgId);
    await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
    const devices = Array.from({ length: DEVICE_COUNT }, (_, i) => ({ ...makeDevice(server.orgId, site.id, { hostname: `nw-mig-${i}` }), _deleted: false }));
    await server.store.insertMany('devices', devices as StoredDocument[]);
  });

  afterEach(async () => {
    await server.dispose();
  });

  it('opens with the indexes it has, keeps its documents and checkpoints, and still pushes the write made before the update', async () => {
    const name = `migrating-${Date.now()}`;
    const storage = getRxStorageMemory();
    const network = new SwitchableNetwork(server.adminCookie);
    const old = await openPreviousReplica(name, storage);
    const firstSync = startSync({ db: old, baseUrl: server.url, fetch: network.fetch, collections: ['devices'], live: false, retryTime: 100 });
    await firstSync.awaitInSync();
    await firstSync.stop();
    expect(await old.devices.count().exec()).toBe(DEVICE_COUNT);
    // Edited offline, then the app updates before the edit is pushed.
    const edited = await old.devices.findOne().exec();
    if (!edited) throw new Error('no device stored');
    await edited.incrementalPatch({ hostname: 'edited-before-the-update' });
    await old.close();

    const pushed: PushRow<Record<string, unknown>>[] = [];
    const pulledAgain: unknown[] = [];
    const observed: typeof fetch = async (input, init) => {
      const response = await network.fetch(input, init);
      const url = String(input);
      if (url.includes('/push')) pushed.push(...(JSON.parse(String(init?.body)) as PushRow<Record<string, unknown>>[]));
      if (url.includes('/pull')) pulledAgain.push(...((await response.clone().json()) as { documents: { id: string }[] }).documents.map((d) => d.id));
      return response;
    };
    const db = await createOutpostDatabase({ name, storage, collections: ['devices'] });
    try {
      expect(db.devices.schema.jsonSchema.indexes).toEqual(expect.arrayContaining([['_deleted', 'status', 'id']]));
      expect(await db.devices.count().exec()).toBe(DEVICE_COUNT);
      expect((await db.devices.findOne(edited.id).exec())?.hostname).toBe('edited-before-the-update');

      const sync = startSync({ db, baseUrl: server.url, fetch: observed, collections: ['devices'], live: false, retryTime: 100 });
      await sync.awaitInSync();
      await sync.stop();

      // Only the edit went up, with the conflict base it was made on; nothing came down again
      // but the edit's own new server state.
      expect(pushed.map((row) => row.newDocumentState['id'])).toEqual([edited.id]);
      expect(pushed[0]?.assumedMasterState?.['hostname']).toBe(edited.hostname);
      expect(pulledAgain.filter((id) => id !== edited.id)).toEqual([]);
      const onServer = (await serverSnapshot(server, 'devices')).find((device) => device['id'] === edited.id);
      expect(onServer?.['hostname']).toBe('edited-before-the-update');
      expect(await db.devices.count({ selector: { status: edited.status } }).exec()).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  it('gives a new replica only the current indexes, and queries on a dropped one still answer', async () => {
    const db = await createOutpostDatabase({ name: `fresh-${Date.now()}`, storage: getRxStorageMemory(), collections: ['devices'] });
    try {
      expect(db.devices.schema.jsonSchema.indexes).not.toEqual(expect.arrayContaining([['_deleted', 'status', 'id']]));
      expect(db.devices.schema.jsonSchema.indexes).toEqual(expect.arrayContaining([['_deleted', 'siteId', 'id']]));
      const site = makeSite(server.orgId);
      await db.devices.bulkInsert([makeDevice(server.orgId, site.id, { status: 'stale' }), makeDevice(server.orgId, site.id, { status: 'online' })]);
      expect(await db.devices.count({ selector: { status: 'stale' } }).exec()).toBe(1);
    } finally {
      await db.close();
    }
  });
});
