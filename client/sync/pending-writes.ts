import type { CollectionName } from '../../shared/schema/collections.ts';

type Listener = (count: number) => void;

/** One document waiting: the device time of its latest local write and, where known, that write's revision height. */
interface Entry {
  at: string;
  revision?: number;
}

/** A state the server holds: its author's time and, where known, its local revision height. */
export interface SettledState {
  id: string;
  updatedAt?: string;
  revision?: number;
}

/**
 * Documents written on this device that the server does not hold yet, one entry per document,
 * kept in localStorage so a reload, another tab and the sign-out warning all see them. An entry
 * is settled when the push that carried that state (or a later one) succeeded, or when the
 * replica shows the document in step with the server at that revision or a later one, whatever
 * happened to it on the way (merged into the master, refused and reverted, edited back; see
 * in-step.ts). Revision heights order a document's local states in every tab without a clock;
 * the author's time is the fallback where no revision is known.
 */
export class PendingWrites {
  readonly #key: string;
  #entries: Record<string, Entry>;
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

  has(collection: CollectionName, id: string): boolean {
    return `${collection}/${id}` in this.#entries;
  }

  /** The ids waiting, per collection. */
  byCollection(): Map<CollectionName, string[]> {
    const ids = new Map<CollectionName, string[]>();
    for (const key of Object.keys(this.#entries)) {
      const slash = key.indexOf('/');
      const collection = key.slice(0, slash) as CollectionName;
      ids.set(collection, [...(ids.get(collection) ?? []), key.slice(slash + 1)]);
    }
    return ids;
  }

  /** Records that `id` was written locally with this `updatedAt` (and local revision, e.g. RxDocument.revision). */
  add(collection: CollectionName, id: string, updatedAt: string, revision?: string): void {
    const acknowledged = this.#acknowledged.get(`${collection}/${id}`);
    if (acknowledged !== undefined && acknowledged >= updatedAt) return;
    this.#entries = this.#read();
    const height = revision === undefined ? undefined : heightOf(revision);
    this.#entries[`${collection}/${id}`] = height === undefined ? { at: updatedAt } : { at: updatedAt, revision: height };
    this.#save();
  }

  /** A push of these states succeeded: settle what they cover, and what is recorded after (see #acknowledged). */
  acknowledge(collection: CollectionName, documents: readonly SettledState[]): void {
    for (const document of documents) this.#remember(`${collection}/${document.id}`, document.updatedAt ?? '');
    this.settle(collection, documents);
  }

  /** The server holds these states: settle every entry they cover. */
  settle(collection: CollectionName, documents: readonly SettledState[]): void {
    this.#entries = this.#read();
    let changed = false;
    for (const document of documents) {
      const key = `${collection}/${document.id}`;
      const written = this.#entries[key];
      if (written !== undefined && covers(document, written)) {
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

  #read(): Record<string, Entry> {
    try {
      const raw = this.storage.getItem(this.#key);
      const stored = raw ? (JSON.parse(raw) as Record<string, Entry | string>) : {};
      // Entries written before revisions were kept are the author's time alone.
      return Object.fromEntries(Object.entries(stored).map(([key, entry]) => [key, typeof entry === 'string' ? { at: entry } : entry]));
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

/** Whether a state the server holds includes the write an entry waits for. */
function covers(state: SettledState, entry: Entry): boolean {
  if (state.revision !== undefined && entry.revision !== undefined) return state.revision >= entry.revision;
  return (state.updatedAt ?? '') >= entry.at;
}

/** RxDB revisions are "<height>-<hash>". */
function heightOf(revision: string): number | undefined {
  const height = Number.parseInt(revision, 10);
  return Number.isSafeInteger(height) ? height : undefined;
}
