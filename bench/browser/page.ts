import PouchDB from 'pouchdb-browser';
import { getRxStorageLog } from '../../client/db/log-storage/log-storage.ts';
import { createOutpostDatabase, type OutpostDatabase } from '../../client/db/database.ts';
import { startSync } from '../../client/sync/sync-engine.ts';
import type { PullResponse } from '../../shared/sync/protocol.ts';
import type { PeerCollection } from '../peers/couch-documents.ts';
import type { BrowserBenchApi, PageMeasurement } from './page-api.ts';
import { deleteRawIndexedDb, putIntoRawIndexedDb } from './raw-indexeddb.ts';

let runs = 0;
const storage = getRxStorageLog();

async function openDatabase(collections: readonly PeerCollection[]): Promise<OutpostDatabase> {
  return createOutpostDatabase({ name: `bench-${Date.now()}-${++runs}`, storage, collections });
}

async function countAndRemove(db: OutpostDatabase, collections: readonly PeerCollection[]): Promise<number> {
  const counts = await Promise.all(collections.map((name) => db.collections[name].count().exec()));
  await db.remove();
  return counts.reduce((sum, count) => sum + count, 0);
}

/** Every document of a collection through the public pull route (before any clock starts). */
async function fetchAll(collection: PeerCollection): Promise<Record<string, unknown>[]> {
  const documents: Record<string, unknown>[] = [];
  let checkpoint = {};
  for (;;) {
    const response = await fetch(`/api/sync/${collection}/pull?checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}&limit=2000`);
    const page = (await response.json()) as PullResponse<Record<string, unknown>>;
    documents.push(...page.documents);
    checkpoint = page.checkpoint;
    if (page.remaining === 0) return documents;
  }
}

const api: BrowserBenchApi = {
  async outpostSync(collections) {
    const started = performance.now();
    const db = await openDatabase(collections);
    const sync = startSync({ db, baseUrl: location.origin, live: false, collections });
    await sync.awaitInSync();
    const ms = performance.now() - started;
    await sync.stop();
    return { ms, documents: await countAndRemove(db, collections) };
  },

  async pouchSync(collections, batchSize) {
    const started = performance.now();
    const databases = collections.map((name) => new PouchDB(`pouch-bench-${++runs}-${name}`));
    await Promise.all(collections.map((name, i) => databases[i]?.replicate.from(`${location.origin}/${name}`, { batch_size: batchSize })));
    const ms = performance.now() - started;
    const infos = await Promise.all(databases.map((db) => db.info()));
    await Promise.all(databases.map((db) => db.destroy()));
    return { ms, documents: infos.reduce((sum, info) => sum + info.doc_count, 0) };
  },

  async storageLimit(collections) {
    const fetched = await Promise.all(collections.map(fetchAll));
    const started = performance.now();
    const db = await openDatabase(collections);
    await Promise.all(collections.map((name, i) => db.collections[name].bulkInsert((fetched[i] ?? []).map(({ _deleted, ...entity }) => entity) as never)));
    const ms = performance.now() - started;
    return { ms, documents: await countAndRemove(db, collections) } satisfies PageMeasurement;
  },

  async rawIndexedDb(collections) {
    const fetched = new Map(await Promise.all(collections.map(async (name) => [name, await fetchAll(name)] as const)));
    const name = `bench-raw-${Date.now()}-${++runs}`;
    const started = performance.now();
    await putIntoRawIndexedDb(name, fetched);
    const ms = performance.now() - started;
    await deleteRawIndexedDb(name);
    return { ms, documents: [...fetched.values()].reduce((sum, list) => sum + list.length, 0) };
  },
};

window.outpostBench = api;
