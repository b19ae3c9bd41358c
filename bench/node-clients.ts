import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { createOutpostDatabase, type OutpostDatabase } from '../client/db/database.ts';
import { startSync, type SyncEngine } from '../client/sync/sync-engine.ts';
import { PEER_COLLECTIONS, type PeerCollection } from './peers/couch-documents.ts';

const MemoryPouch = PouchDB.plugin(memoryAdapter).defaults({ adapter: 'memory' });
let clients = 0;

/** A fresh Outpost client in Node (RxDB, memory storage): ms from creating it to every document stored. */
export async function outpostFirstSync(server: { url: string; fetch: typeof fetch }, collections: readonly PeerCollection[], expected: number): Promise<number> {
  const started = performance.now();
  const db = await createOutpostDatabase({ name: `bench-client-${++clients}`, storage: getRxStorageMemory(), collections });
  const sync = startSync({ db, baseUrl: server.url, fetch: server.fetch, live: false, collections });
  try {
    await sync.awaitInSync();
    const ms = performance.now() - started;
    expectCount(expected, (await Promise.all(collections.map((name) => db.collections[name].count().exec()))).reduce((a, b) => a + b, 0));
    return ms;
  } finally {
    await sync.stop();
    await db.remove();
  }
}

/** A fresh PouchDB client (memory adapter) replicating every collection's database at once. */
export async function pouchFirstSync(serverUrl: string, collections: readonly PeerCollection[], expected: number, batchSize: number): Promise<number> {
  const started = performance.now();
  const databases = collections.map((name) => new MemoryPouch(`bench-pouch-${++clients}-${name}`));
  try {
    await Promise.all(collections.map((name, i) => databases[i]?.replicate.from(new PouchDB(`${serverUrl}/${name}`), { batch_size: batchSize })));
    const ms = performance.now() - started;
    expectCount(expected, (await Promise.all(databases.map((db) => db.info()))).reduce((sum, info) => sum + info.doc_count, 0));
    return ms;
  } finally {
    await Promise.all(databases.map((db) => db.destroy()));
  }
}

function expectCount(expected: number, actual: number): void {
  if (actual !== expected) throw new Error(`synced ${actual} documents, expected ${expected}`);
}

export interface LiveClient {
  db: OutpostDatabase;
  sync: SyncEngine;
  close(): Promise<void>;
}

/** An Outpost client in Node kept live (push on write, the server's stream), after its first sync. */
export async function startLiveClient(server: { url: string; fetch: typeof fetch }, name: string): Promise<LiveClient> {
  const db = await createOutpostDatabase({ name: `${name}-${++clients}`, storage: getRxStorageMemory(), collections: PEER_COLLECTIONS });
  const sync = startSync({ db, baseUrl: server.url, fetch: server.fetch, collections: PEER_COLLECTIONS });
  await sync.awaitInSync();
  return {
    db,
    sync,
    async close() {
      await sync.stop();
      await db.remove();
    },
  };
}
