import { deleteIndexedDb } from '../delete-indexed-db.ts';

/**
 * One record of a collection's log: a batch of document states written together (with the
 * context RxDB wrote them in), or the ids of tombstones purged for good. Records of a compaction
 * carry `snapshot`: together they hold the whole collection as it was. States are stored as
 * objects: IndexedDB's structured clone of a batch costs less than JSON.stringify of it.
 */
export interface LogRecord {
  states?: unknown[];
  /** States as the JSON text of an array, each given `shared`'s fields after parsing (see LogStorageInstance.bulkWriteParsed). */
  parsed?: ParsedStates;
  context?: string;
  purged?: string[];
  snapshot?: { id: string; part: number; parts: number };
}

export interface ParsedStates {
  json: string;
  shared: Record<string, unknown>;
}

export interface KeyedRecord {
  key: number;
  record: LogRecord;
}

const STORE = 'log';

function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** Settles when the transaction has committed; rejects with its error when it aborts (a full disk: QuotaExceededError). */
function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onabort = () => reject(transaction.error ?? new DOMException('The write was aborted.', 'AbortError'));
    transaction.onerror = (event) => event.preventDefault();
  });
}

/**
 * An append-only log of records in one IndexedDB database. IndexedDB's cost is per record, not
 * per byte, so a collection stored as a few large records writes and loads many times faster than
 * one record per document. Keys come from the store's key generator: they only grow, even across
 * a compaction's clear, so "every record after key K" stays meaningful to every reader.
 */
export class ChunkLog {
  private constructor(
    readonly name: string,
    private readonly db: IDBDatabase,
  ) {}

  static async open(name: string): Promise<ChunkLog> {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { autoIncrement: true });
    const db = await requestResult(request);
    // Another tab deleting this database (a sign-out) must not wait for this one to close.
    db.onversionchange = () => db.close();
    return new ChunkLog(name, db);
  }

  static delete(name: string): Promise<void> {
    return deleteIndexedDb(name);
  }

  /** The records after `afterKey` (from the first without it), in order, at most `limit` of them, from one consistent read. */
  async readAfter(afterKey?: number, limit?: number): Promise<KeyedRecord[]> {
    const transaction = this.db.transaction(STORE, 'readonly');
    const store = transaction.objectStore(STORE);
    const range = afterKey === undefined ? undefined : IDBKeyRange.lowerBound(afterKey, true);
    const [keys, records] = await Promise.all([requestResult(store.getAllKeys(range, limit)), requestResult(store.getAll(range, limit))]);
    return records.map((record, i) => ({ key: keys[i] as number, record: record as LogRecord }));
  }

  /** Appends records in one transaction; resolves with the last one's key once they are committed. */
  async append(records: readonly LogRecord[]): Promise<number> {
    const keys = await this.write((store) => records.map((record) => store.add(record)));
    return keys[keys.length - 1] as number;
  }

  /** Replaces every record with `records`, atomically; resolves with the last key written. */
  async replaceAll(records: readonly LogRecord[]): Promise<number> {
    const keys = await this.write((store) => {
      store.clear();
      return records.map((record) => store.add(record));
    });
    return keys[keys.length - 1] as number;
  }

  /**
   * Runs `requests` in one readwrite transaction and resolves with their keys once it has
   * committed. A request that throws (a full disk may throw at once) aborts the whole
   * transaction: a compaction's clear must never commit without the records that replace it.
   */
  private async write(requests: (store: IDBObjectStore) => IDBRequest<IDBValidKey>[]): Promise<IDBValidKey[]> {
    const transaction = this.db.transaction(STORE, 'readwrite');
    const done = committed(transaction);
    let pending: IDBRequest<IDBValidKey>[];
    try {
      pending = requests(transaction.objectStore(STORE));
    } catch (error) {
      done.catch(() => undefined);
      transaction.abort();
      throw error;
    }
    await done;
    return pending.map((request) => request.result);
  }

  close(): void {
    this.db.close();
  }
}
