import { createRevision, getHeightOfRevision, type RxDocumentData } from 'rxdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import { replicationIdentifierFor } from '../../client/sync/http-replication.ts';
import { findAssumedMasters, replaceAssumedMasters, replicationHash, type MetaInstance } from '../../client/sync/replication-meta.ts';
import { makeDevice, makeSite } from '../support/documents.ts';
import { serverSnapshot, startTestClient, waitFor, type TestClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const collections = ['orgs', 'sites', 'devices'] as const;
type Stored = RxDocumentData<Record<string, unknown> & { id: string }>;

/**
 * Master states RxDB's downstream writes into the replica (marked with `_meta.o`) are no local
 * changes: never pushed back, and the base of the local write that follows them.
 */
describe('states the replication pulled into the replica', () => {
  let server: TestServer;
  let client: TestClient;
  let pushes: string[];

  beforeEach(async () => {
    server = await startTestServer();
    pushes = [];
    const baseFetch: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/api/sync/devices/push')) pushes.push(String(init?.body));
      return fetch(input, init);
    };
    client = await startTestClient(server.url, server.adminCookie, { collections }, { baseFetch });
  });

  afterEach(async () => {
    await client.close();
    await server.dispose();
  });

  const storage = () => client.db.devices.storageInstance.originalStorageInstance;
  const meta = () => client.sync.replications.get('devices')?.metaInstance as MetaInstance;

  /** Writes `state` into the replica as RxDB's downstream does: the next revision, marked as pulled by the replication. */
  async function writeAsPulled(state: Record<string, unknown>): Promise<void> {
    const [previous] = (await storage().findDocumentsById([String(state['id'])], true)) as Stored[];
    const hash = await replicationHash(client.db.devices as never, replicationIdentifierFor('devices', server.url));
    const revision = createRevision(client.db.token, previous);
    const document = { ...state, _attachments: {}, _rev: revision, _meta: { lwt: Date.now(), o: { _rev: getHeightOfRevision(revision), hash } } };
    const result = await storage().bulkWrite([{ document: document as never, ...(previous ? { previous: previous as never } : {}) }], 'test-as-pulled');
    expect(result.error).toEqual([]);
  }

  async function storedDevice(id: string): Promise<Record<string, unknown>> {
    const [document] = (await storage().findDocumentsById([id], false)) as Stored[];
    return withoutLocalFields(document as Record<string, unknown>);
  }

  async function deviceOnServer(notes: string): Promise<Record<string, unknown>> {
    const site = makeSite(server.orgId);
    const device = makeDevice(server.orgId, site.id, { notes });
    await client.db.sites.insert(site);
    await client.db.devices.insert(device);
    await waitFor(async () => (await serverSnapshot(server, 'devices'))[0]?.['notes'] === notes, 15_000, 'the device on the server');
    await client.sync.awaitInSync();
    return storedDevice(device.id);
  }

  it('never pushes a pulled state back, even one older than what the server holds', async () => {
    const older = await deviceOnServer('older');
    await (await client.db.devices.findOne(String(older['id'])).exec())?.incrementalPatch({ notes: 'newer', updatedAt: new Date().toISOString() });
    await waitFor(async () => (await serverSnapshot(server, 'devices'))[0]?.['notes'] === 'newer', 15_000, 'the newer note on the server');
    await client.sync.awaitInSync();
    const pushed = pushes.length;

    // A late pull answer: the older master lands in the replica after the newer push was acknowledged.
    await writeAsPulled(older);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await client.sync.awaitInSync();

    expect(pushes.slice(pushed).filter((body) => body.includes('"older"'))).toEqual([]);
    expect((await serverSnapshot(server, 'devices'))[0]?.['notes']).toBe('newer');
  }, 30_000);

  it('bases a local write on the pulled state it replaces, though the replication had not stored that base yet', async () => {
    const original = await deviceOnServer('original');
    const id = String(original['id']);
    client.network.goOffline();
    // Another person changes the assignee on the server…
    const theirs = { ...original, assignee: 'Alex', updatedAt: new Date().toISOString() };
    const answer = await server.adminFetch(`${server.url}/api/sync/devices/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ newDocumentState: theirs, assumedMasterState: original }]),
    });
    expect(await answer.json()).toMatchObject({ conflicts: [], rejected: [] });
    // …and the downstream writes it into the replica, its base to follow a moment later (here: never, the app stopped).
    await writeAsPulled(theirs);
    await replaceAssumedMasters(meta(), [original], client.db.token);

    await (await client.db.devices.findOne(id).exec())?.incrementalPatch({ notes: 'mine', updatedAt: new Date().toISOString() });
    const bases = await findAssumedMasters(meta(), [id]);
    expect(withoutLocalFields(bases.get(id) ?? {})).toMatchObject({ assignee: 'Alex', notes: 'original' });

    client.network.goOnline();
    client.sync.resync();
    await waitFor(async () => (await serverSnapshot(server, 'devices'))[0]?.['notes'] === 'mine', 15_000, 'the local write on the server');
    const [onServer] = await serverSnapshot(server, 'devices');
    // Both changes kept, and the other person's assignee taken for nobody's clash.
    expect(onServer).toMatchObject({ notes: 'mine', assignee: 'Alex' });
    expect(onServer?.['conflicts'] ?? []).toEqual([]);
  }, 30_000);
});
