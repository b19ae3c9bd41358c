import type { RxCollection, RxDocumentData } from 'rxdb';
import { isDeepEqual } from '../../shared/merge/canonical.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import { isAsPulledBy, pristineOf } from './pristine.ts';
import { findAssumedMasters, insertAssumedMasters, openMetaInstance, replaceAssumedMasters, replicationHash, type MetaInstance } from './replication-meta.ts';

/**
 * Keeps the conflict base of every local write right, before the write happens. A local write
 * on top of a state the replication pulled is based on exactly that state (the master it was),
 * and the push must carry it as its assumed master:
 * - a pristine document (bulk-pulled, see pristine.ts) has no stored base: its current state
 *   becomes the replication's assumed master state, as RxDB's own pull would have stored it;
 * - a document RxDB's downstream just wrote has its base stored a moment later (the downstream
 *   writes the document, then the base). A write in between would be pushed on the older base,
 *   and the merge would take the pulled values for this person's own edits (a false conflict).
 *   The write waits until the base is stored, and stores it itself if it never comes (the app
 *   stopped between the two).
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

/** This tab's replications of each collection, by the hash RxDB marks their pulled documents with. */
const replicationsOf = new WeakMap<RxCollection, Map<string, string>>();

/** Tells the conflict bases which replication pulls a collection (called as the replication is set up). */
export async function noteReplication(collection: RxCollection, identifier: string): Promise<void> {
  const hash = await replicationHash(collection, identifier);
  let known = replicationsOf.get(collection);
  if (!known) replicationsOf.set(collection, (known = new Map()));
  known.set(hash, identifier);
}

const contentOf = (document: RxDocumentData<{ id: string }>) => withoutLocalFields(document as Record<string, unknown>);

/** How long a local write waits for the downstream to store the base of the state it replaces. */
const BASE_WAIT_MS = 1000;
const BASE_POLL_MS = 10;

/** Whether the stored state may be a pulled one: known not to be only when it carries its revision and meta. */
function mayBePulled(state: Partial<RxDocumentData<unknown>>): boolean {
  if (state._rev === undefined || state._meta === undefined) return true;
  const origin = (state._meta as { o?: { hash?: unknown } }).o;
  return typeof origin?.hash === 'string' && isAsPulledBy(state as RxDocumentData<unknown>, origin.hash);
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
    if (!mayBePulled(known)) return Promise.resolve();
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
    const pulled = new Map<string, RxDocumentData<{ id: string }>[]>();
    const replications = replicationsOf.get(this.#collection);
    for (const document of current) {
      const hash = (document._meta as { o?: { hash?: string } }).o?.hash;
      if (hash === undefined || !isAsPulledBy(document, hash)) continue;
      const by = pristineOf(document) ?? replications?.get(hash);
      if (by !== undefined) pulled.set(by, [...(pulled.get(by) ?? []), document]);
    }
    for (const [identifier, documents] of pulled) await this.#storeBasesOf(await this.#metaInstance(identifier), documents);
  }

  /**
   * Makes each pulled state the stored base of its document. A bulk-pulled document without one
   * gets it at once (nothing else would write it). Otherwise the downstream is storing it, or
   * has stored an older one and is about to replace it: wait for that, up to BASE_WAIT_MS, then
   * store what is still missing.
   */
  async #storeBasesOf(meta: MetaInstance, documents: RxDocumentData<{ id: string }>[]): Promise<void> {
    const token = this.#collection.database.token;
    const deadline = Date.now() + BASE_WAIT_MS;
    let waiting = documents;
    for (let round = 0; ; round++) {
      const bases = await findAssumedMasters(meta, waiting.map((d) => d.id));
      if (round === 0) {
        const unbased = waiting.filter((d) => !bases.has(d.id) && pristineOf(d) !== undefined);
        await insertAssumedMasters(meta, unbased.map(contentOf), token);
        waiting = waiting.filter((d) => !unbased.includes(d));
      }
      waiting = waiting.filter((d) => {
        const base = bases.get(d.id);
        return base === undefined || !isDeepEqual(withoutLocalFields(base), contentOf(d));
      });
      if (waiting.length === 0) return;
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, BASE_POLL_MS));
    }
    await replaceAssumedMasters(meta, waiting.map(contentOf), token);
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
