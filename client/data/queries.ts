import type { MangoQuery } from 'rxdb';
import type { Accessor } from 'solid-js';
import { map } from 'rxjs';
import type { CollectionName, EntityOf } from '../../shared/schema/collections.ts';
import { useReplica } from '../app/replica-context.tsx';
import { createRxSignal } from '../ui/rx.ts';

/**
 * Live plain copies of a query's documents. `query` is tracked: when a filter or route parameter
 * it reads changes, the query is rebuilt.
 */
export function useDocuments<C extends CollectionName>(collection: C, query: () => MangoQuery<EntityOf<C>> = () => ({})): Accessor<EntityOf<C>[]> {
  const loaded = useLoadedDocuments(collection, query);
  return () => loaded() ?? [];
}

/**
 * Like `useDocuments`, but undefined until the local database has first answered, so a view can
 * say "opening" instead of claiming, for a moment, that the device holds nothing. A rebuilt
 * query (a filter changed) keeps showing the last answer until the new one arrives.
 */
export function useLoadedDocuments<C extends CollectionName>(collection: C, query: () => MangoQuery<EntityOf<C>> = () => ({})): Accessor<EntityOf<C>[] | undefined> {
  const replica = useReplica();
  return createRxSignal<EntityOf<C>[] | undefined>(
    () =>
      replica.db.collections[collection]
        .find(query() as never)
        .$.pipe(map((documents) => documents.map((document) => document.toJSON() as unknown as EntityOf<C>))),
    undefined,
  );
}

/** One live document; undefined while absent (not synced yet, deleted, or out of scope). */
export function useDocument<C extends CollectionName>(collection: C, id: () => string | undefined): Accessor<EntityOf<C> | undefined> {
  const replica = useReplica();
  return createRxSignal(
    () =>
      replica.db.collections[collection]
        .findOne(id() ?? '')
        .$.pipe(map((document) => (document ? (document.toJSON() as unknown as EntityOf<C>) : undefined))),
    undefined,
  );
}
