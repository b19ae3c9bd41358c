import type { RxCollection, RxDocumentData } from 'rxdb';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import { isPristine, pristineOf } from './pristine.ts';
import { idsWithAssumedMaster, insertAssumedMasters, openMetaInstance, type MetaInstance } from './replication-meta.ts';

/**
 * Keeps the conflict base of bulk-pulled documents (see pristine.ts): before a local write
 * first changes a pristine document, its current state, which is the master state it was
 * pulled as, becomes the replication's assumed master state, as RxDB's own pull would have
 * stored it. The push then carries it, and a conflict merges from it.
 *
 * Installed on every collection of the database (hooks run in every tab, whichever one
 * replicates), and run for every write path of RxDB's API: document saves and patches,
 * upserts, removals.
 */
export function keepConflictBases(collection: RxCollection): void {
  const keeper = new ConflictBaseKeeper(collection);
  // A save passes the stored state it replaces; a removal, the document's data.
  collection.preSave((_data, previous) => keeper.keep(previous), false);
  collection.preRemove((data) => keeper.keep(data), false);
  collection.onClose.push(() => keeper.close());
}

/** Whether the stored state may be pristine: known not to be only when it carries its revision and meta. */
function mayBePristine(state: Partial<RxDocumentData<unknown>>): boolean {
  return state._rev === undefined || state._meta === undefined || isPristine(state as RxDocumentData<unknown>);
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

class ConflictBaseKeeper {
  readonly #collection: RxCollection;
  readonly #metaInstances = new Map<string, Promise<MetaInstance>>();
  #waiting = new Map<string, Waiter[]>();
  #isFlushScheduled = false;

  constructor(collection: RxCollection) {
    this.#collection = collection;
  }

  /**
   * Resolves once the document's base is stored (or needs none). Most writes change documents
   * already written locally: they pass at once. The others are batched, for bulk writes.
   */
  keep(state: unknown): Promise<void> {
    const known = state as Partial<RxDocumentData<{ id: string }>>;
    if (!mayBePristine(known)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const id = String(known.id);
      this.#waiting.set(id, [...(this.#waiting.get(id) ?? []), { resolve, reject }]);
      if (this.#isFlushScheduled) return;
      this.#isFlushScheduled = true;
      // After the microtasks already queued: a bulk write's hooks all run before the flush.
      queueMicrotask(() => void this.#flush());
    });
  }

  async close(): Promise<void> {
    const instances = await Promise.allSettled(this.#metaInstances.values());
    await Promise.all(instances.map((instance) => (instance.status === 'fulfilled' ? instance.value.close() : undefined)));
  }

  async #flush(): Promise<void> {
    const waiting = this.#waiting;
    this.#waiting = new Map();
    this.#isFlushScheduled = false;
    try {
      await this.#storeBases([...waiting.keys()]);
      for (const waiter of [...waiting.values()].flat()) waiter.resolve();
    } catch (error) {
      for (const waiter of [...waiting.values()].flat()) waiter.reject(error);
    }
  }

  async #storeBases(ids: readonly string[]): Promise<void> {
    const storage = this.#collection.storageInstance.originalStorageInstance;
    const current = (await storage.findDocumentsById([...ids], true)) as RxDocumentData<{ id: string }>[];
    const byReplication = new Map<string, RxDocumentData<{ id: string }>[]>();
    for (const document of current) {
      const identifier = pristineOf(document);
      if (identifier !== undefined) byReplication.set(identifier, [...(byReplication.get(identifier) ?? []), document]);
    }
    for (const [identifier, documents] of byReplication) {
      const meta = await this.#metaInstance(identifier);
      const known = await idsWithAssumedMaster(meta, documents.map((d) => d.id));
      const bases = documents.filter((d) => !known.has(d.id)).map((d) => withoutLocalFields(d as Record<string, unknown>));
      await insertAssumedMasters(meta, bases, this.#collection.database.token);
    }
  }

  #metaInstance(identifier: string): Promise<MetaInstance> {
    let instance = this.#metaInstances.get(identifier);
    if (!instance) {
      instance = openMetaInstance(this.#collection, identifier);
      this.#metaInstances.set(identifier, instance);
    }
    return instance;
  }
}
