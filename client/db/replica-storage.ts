import type { RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageLog } from './log-storage/log-storage.ts';

// RxDB storages are generic over internal types that differ per storage.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyStorage = RxStorage<any, any>;

const logStorage = getRxStorageLog();

/** Whether an IndexedDB database exists, without creating it (an open that would create it is aborted). */
function indexedDbExists(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = indexedDB.open(name);
    request.onupgradeneeded = () => {
      request.transaction?.abort();
      resolve(false);
    };
    request.onsuccess = () => {
      request.result.close();
      resolve(true);
    };
    request.onerror = () => resolve(false);
  });
}

/**
 * The storage a replica lives in. New replicas use the log storage; a replica created before it,
 * in RxDB's Dexie storage, stays there (it may hold changes not yet pushed, and moving 10,000
 * documents would cost more than it saves) until it is rebuilt — a scope change or a sign-out.
 */
export async function storageForReplica(databaseName: string): Promise<AnyStorage> {
  const isDexieReplica = await indexedDbExists(`rxdb-dexie-${databaseName}--0--_rxdb_internal`);
  return isDexieReplica ? getRxStorageDexie() : logStorage;
}
