import { fillWithDefaultSettings, type RxJsonSchema } from 'rxdb';
import { getDexieStoreSchema } from 'rxdb/plugins/storage-dexie';
import { toRxJsonSchema } from '../../shared/schema/rxdb-schema.ts';
import type { PeerCollection } from '../peers/couch-documents.ts';

/**
 * The floor under every browser figure: the same documents put into plain IndexedDB, one object
 * store per collection with the very indexes RxDB's Dexie storage declares for it, one
 * transaction per collection, no library in between.
 */
export async function putIntoRawIndexedDb(name: string, documents: ReadonlyMap<PeerCollection, readonly Record<string, unknown>[]>): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      for (const collection of documents.keys()) createStore(request.result, collection);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    await Promise.all(
      [...documents].map(
        ([collection, list]) =>
          new Promise<void>((resolve, reject) => {
            const transaction = db.transaction(collection, 'readwrite');
            const store = transaction.objectStore(collection);
            // As RxDB stores them: flags indexed as '0'/'1', with its bookkeeping fields.
            for (const document of list) store.put({ ...document, _deleted: '0', _meta: { lwt: 1 }, _rev: '1-bench', _attachments: {} });
            transaction.oncomplete = () => resolve();
            transaction.onerror = () => reject(transaction.error);
          }),
      ),
    );
  } finally {
    db.close();
  }
}

export function deleteRawIndexedDb(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** Dexie's schema string ("id, [_deleted+id], …") read back into IndexedDB key paths. */
function createStore(db: IDBDatabase, collection: PeerCollection): void {
  const schema = fillWithDefaultSettings(toRxJsonSchema(collection) as unknown as RxJsonSchema<unknown>);
  const [primary, ...indexes] = getDexieStoreSchema(schema).split(',').map((part) => part.trim());
  const store = db.createObjectStore(collection, { keyPath: primary ?? 'id' });
  for (const index of indexes) {
    const keyPath = index.startsWith('[') ? index.slice(1, -1).split('+') : index;
    store.createIndex(index, keyPath);
  }
}
