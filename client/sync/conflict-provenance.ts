import * as v from 'valibot';
import { isDeepEqual } from '../../shared/merge/canonical.ts';
import type { Writer } from '../../shared/merge/merge.ts';
import type { CollectionName } from '../../shared/schema/collections.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import { ConflictProvenanceList, type ConflictProvenance } from '../../shared/sync/protocol.ts';

/** The signed-in user of a replica: who wrote the values it has not pushed yet. */
export interface LocalAuthor {
  id: string;
  name?: string | undefined;
}

interface Entry {
  master: object;
  provenance: ConflictProvenance;
}

/** Entries the conflict handler never asked for (a cancelled replication) are dropped past this. */
const MAX_ENTRIES = 1000;

/**
 * Who wrote the masters a push was answered with, kept from the push handler until the conflict
 * handler merges each of them: RxDB hands the handler documents only. Like the RejectionLog, it
 * lives beside one database, in the tab that replicates it.
 */
export class ConflictProvenanceLog {
  readonly #entries = new Map<string, Entry>();

  /**
   * Keeps the provenance the server gave for these masters. `provenance` comes off the wire: it is
   * validated here, and anything malformed is ignored (the merge then names no master writer)
   * rather than stopping the replication.
   */
  record(collection: CollectionName, masters: readonly object[], provenance: unknown): void {
    if (provenance === undefined) return;
    const parsed = v.safeParse(ConflictProvenanceList, provenance);
    if (!parsed.success) return;
    const byId = new Map(parsed.output.map((entry) => [entry.id, entry]));
    for (const master of masters) {
      const id = (master as { id?: unknown }).id;
      const entry = typeof id === 'string' ? byId.get(id) : undefined;
      if (!entry) continue;
      const key = keyOf(collection, entry.id);
      this.#entries.delete(key);
      this.#entries.set(key, { master, provenance: entry });
    }
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= MAX_ENTRIES) break;
      this.#entries.delete(key);
    }
  }

  /**
   * Who wrote this master and when the server accepted it, if the server said so for exactly this
   * state; taken once, by the merge that resolves it.
   */
  takeWriterOf(collection: CollectionName, master: object): Writer | undefined {
    const id = (master as { id?: unknown }).id;
    if (typeof id !== 'string') return undefined;
    const key = keyOf(collection, id);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (!isDeepEqual(withoutLocalFields(entry.master), withoutLocalFields(master))) return undefined;
    const { writtenAt, writtenBy } = entry.provenance;
    return { ...(writtenBy ? { kind: writtenBy.kind, id: writtenBy.id, ...(writtenBy.name ? { name: writtenBy.name } : {}) } : {}), serverAt: writtenAt };
  }

  get size(): number {
    return this.#entries.size;
  }
}

const keyOf = (collection: CollectionName, id: string) => `${collection}:${id}`;

const logs = new WeakMap<object, ConflictProvenanceLog>();

/**
 * The log of one database: its collections' conflict handlers read it, its replication's push
 * handlers fill it, and neither needs the other threaded through.
 */
export function conflictProvenanceOf(database: object): ConflictProvenanceLog {
  let log = logs.get(database);
  if (!log) logs.set(database, (log = new ConflictProvenanceLog()));
  return log;
}
