import { createRxDatabase, getPrimaryKeyOfInternalDocument, INTERNAL_CONTEXT_COLLECTION, type RxCollection, type RxDatabase, type RxJsonSchema, type RxStorage } from 'rxdb';
import { COLLECTION_NAMES, COLLECTIONS, type CollectionDefinition, type CollectionName, type EntityOf } from '../../shared/schema/collections.ts';
import { toRxJsonSchema } from '../../shared/schema/rxdb-schema.ts';
import { mergeConflictHandler, serverStateConflictHandler } from '../sync/conflict-handler.ts';
import { keepConflictBases } from '../sync/conflict-bases.ts';
import type { RejectionLog } from '../sync/rejections.ts';
import { conflictProvenanceOf, type LocalAuthor } from '../sync/conflict-provenance.ts';
import { ownPushBasesOf } from '../sync/own-pushes.ts';
import { replacedStatesOf } from '../sync/replaced-states.ts';

export type OutpostCollections = { [C in CollectionName]: RxCollection<EntityOf<C>> };
export type OutpostDatabase = RxDatabase<OutpostCollections>;

export interface DatabaseOptions {
  name: string;
  // RxDB storages are generic over internal types that differ per storage.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  storage: RxStorage<any, any>;
  multiInstance?: boolean;
  collections?: readonly CollectionName[];
  /** Shared with the replication, so refused writes are settled instead of retried. */
  rejections?: RejectionLog;
  /** The signed-in user: conflict records name them as the writer of this replica's values. */
  author?: LocalAuthor;
}

/**
 * The user indexes each collection of a replica was created with, read back from RxDB's record
 * of its schema (RxDB stores each as [_deleted, ...fields, id]); none for a new replica. A replica
 * keeps the indexes it was created with: RxDB refuses to open a collection whose schema changed
 * without a version bump, and a version bump migrates every document, which for 10,000 devices
 * in IndexedDB takes minutes. Queries answer with or without an index; a rebuilt replica (scope
 * change, sign-out) gets the current ones. One read for all collections: it runs at every start.
 */
async function storedIndexes(db: OutpostDatabase, names: readonly CollectionName[]): Promise<Map<string, CollectionDefinition['indexes']>> {
  const ids = names.map((name) => getPrimaryKeyOfInternalDocument(`${name}-0`, INTERNAL_CONTEXT_COLLECTION));
  const stored = await db.internalStore.findDocumentsById(ids, false);
  const indexes = new Map<string, CollectionDefinition['indexes']>();
  for (const document of stored) {
    const data = document.data as { name?: string; schema?: { indexes?: (string | string[])[] } } | undefined;
    if (!data?.name || !data.schema) continue;
    indexes.set(
      data.name,
      (data.schema.indexes ?? [])
        .map((index) => (typeof index === 'string' ? [index] : index))
        .filter((index) => index.length > 2 && index[0] === '_deleted')
        .map((index) => index.slice(1, -1))
        .map((fields) => (fields.length === 1 ? (fields[0] as string) : fields)),
    );
  }
  return indexes;
}

/** Opens the local replica with one collection per shared schema. */
export async function createOutpostDatabase(options: DatabaseOptions): Promise<OutpostDatabase> {
  const db = await createRxDatabase<OutpostCollections>({
    name: options.name,
    storage: options.storage,
    multiInstance: options.multiInstance ?? false,
    eventReduce: true,
    closeDuplicates: true,
  });
  const names = options.collections ?? COLLECTION_NAMES;
  const previous = await storedIndexes(db, names);
  await db.addCollections(
    Object.fromEntries(
      names.map((name) => [
        name,
        {
          schema: toRxJsonSchema(name, previous.get(name)) as unknown as RxJsonSchema<EntityOf<typeof name>>,
          conflictHandler: COLLECTIONS[name].isImmutable
            ? serverStateConflictHandler<EntityOf<typeof name>>(name, options.rejections)
            : mergeConflictHandler<EntityOf<typeof name>>(name, options.rejections, { provenance: conflictProvenanceOf(db), author: options.author, ownBases: ownPushBasesOf(db), replaced: replacedStatesOf(db) }),
        },
      ]),
    ),
  );
  // Bulk-pulled documents get their conflict base when first written locally, in any tab.
  for (const name of names) keepConflictBases(db.collections[name]);
  return db;
}
