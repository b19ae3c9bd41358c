import type { RxCollection } from 'rxdb';
import type { Accessor } from 'solid-js';
import { combineLatest, map, type Observable } from 'rxjs';
import type { ConflictRecord } from '../../shared/schema/common.ts';
import { COLLECTION_NAMES, type CollectionName } from '../../shared/schema/collections.ts';
import type { OutpostDatabase } from '../db/database.ts';
import { useReplica } from '../app/replica-context.tsx';
import { createRxSignal } from '../ui/rx.ts';

export interface ConflictedDocument {
  collection: CollectionName;
  id: string;
  /** A short human name for the document (title, hostname, name). */
  label: string;
  conflicts: ConflictRecord[];
}

function labelOf(data: Record<string, unknown>): string {
  for (const key of ['title', 'hostname', 'name', 'message', 'text', 'email']) {
    if (typeof data[key] === 'string' && data[key]) return data[key];
  }
  return String(data['id']);
}

/** Every local document that carries unresolved conflict records, across collections. */
export function conflictedDocuments$(db: OutpostDatabase): Observable<ConflictedDocument[]> {
  const perCollection = COLLECTION_NAMES.map((collection): Observable<ConflictedDocument[]> => {
    // The collections' document types differ; only the shared `conflicts` field is read here.
    const query = (db.collections[collection] as unknown as RxCollection<Record<string, unknown>>).find({ selector: { conflicts: { $exists: true } } });
    return query.$.pipe(
      map((documents) =>
        documents
          .map((document) => document.toJSON() as Record<string, unknown>)
          .filter((data) => Array.isArray(data['conflicts']) && data['conflicts'].length > 0)
          .map((data): ConflictedDocument => ({ collection, id: String(data['id']), label: labelOf(data), conflicts: data['conflicts'] as ConflictRecord[] })),
      ),
    );
  });
  return combineLatest(perCollection).pipe(map((lists) => lists.flat()));
}

export function useConflictedDocuments(): Accessor<ConflictedDocument[]> {
  const replica = useReplica();
  return createRxSignal(() => conflictedDocuments$(replica.db), []);
}

export function useConflictCount(): Accessor<number> {
  const documents = useConflictedDocuments();
  return () => documents().reduce((sum, document) => sum + document.conflicts.length, 0);
}
