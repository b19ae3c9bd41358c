import type { CollectionName } from '../../shared/schema/collections.ts';

type Listener = (count: number) => void;

/**
 * Local writes the server has not confirmed yet, kept in localStorage so a reload, another tab
 * and the sign-out warning all see them. A write is settled once the push that carried its
 * state (or a later one) succeeded.
 */
export class PendingWrites {
  readonly #key: string;
  #entries: Record<string, string>;
  readonly #listeners = new Set<Listener>();
  /**
   * What the server already acknowledged, per document: a push can complete before the code
   * that wrote the document gets to record it, and such a write must not stay "pending" forever.
   */
  readonly #acknowledged = new Map<string, string>();

  constructor(userId: string, private readonly storage: Storage = localStorage) {
    this.#key = `outpost.pending.${userId}`;
    this.#entries = this.#read();
  }

  get count(): number {
    return Object.keys(this.#entries).length;
  }

  /** Records that `id` was written locally with this `updatedAt`. */
  add(collection: CollectionName, id: string, updatedAt: string): void {
    const acknowledged = this.#acknowledged.get(`${collection}/${id}`);
    if (acknowledged !== undefined && acknowledged >= updatedAt) return;
    this.#entries = this.#read();
    this.#entries[`${collection}/${id}`] = updatedAt;
    this.#save();
  }

  /** The server acknowledged these states: settle every entry they cover. */
  settle(collection: CollectionName, documents: readonly { id: string; updatedAt?: string }[]): void {
    this.#entries = this.#read();
    let changed = false;
    for (const document of documents) {
      const key = `${collection}/${document.id}`;
      this.#remember(key, document.updatedAt ?? '');
      const written = this.#entries[key];
      if (written !== undefined && (document.updatedAt ?? '') >= written) {
        delete this.#entries[key];
        changed = true;
      }
    }
    if (changed) this.#save();
  }

  #remember(key: string, updatedAt: string): void {
    const previous = this.#acknowledged.get(key);
    if (previous !== undefined && previous >= updatedAt) return;
    this.#acknowledged.delete(key);
    this.#acknowledged.set(key, updatedAt);
    // Only the race right after a write matters: a short memory is enough.
    if (this.#acknowledged.size > 2_000) this.#acknowledged.delete(this.#acknowledged.keys().next().value as string);
  }

  /** Another tab changed the list. */
  reload(): void {
    this.#entries = this.#read();
    this.#emit();
  }

  get storageKey(): string {
    return this.#key;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  clear(): void {
    this.#entries = {};
    this.storage.removeItem(this.#key);
    this.#emit();
  }

  #read(): Record<string, string> {
    try {
      const raw = this.storage.getItem(this.#key);
      return raw ? (JSON.parse(raw) as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  #save(): void {
    try {
      this.storage.setItem(this.#key, JSON.stringify(this.#entries));
    } catch {
      // localStorage full: the write itself is in IndexedDB; only this tally stays in memory.
    }
    this.#emit();
  }

  #emit(): void {
    for (const listener of this.#listeners) listener(this.count);
  }
}
