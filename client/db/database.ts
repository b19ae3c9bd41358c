import { createRxDatabase, type RxCollection, type RxDatabase, type RxJsonSchema, type RxStorage } from 'rxdb';
import { COLLECTION_NAMES, COLLECTIONS, type CollectionName, type EntityOf } from '../../shared/schema/collections.ts';
import { toRxJsonSchema } from '../../shared/schema/rxdb-schema.ts';
import { mergeConflictHandler, serverStateConflictHandler } from '../sync/conflict-handler.ts';
import { keepConflictBases } from '../sync/conflict-bases.ts';
import type { RejectionLog } from '../sync/rejections.ts';

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
  await db.addCollections(
    Object.fromEntries(
      names.map((name) => [
        name,
        {
          schema: toRxJsonSchema(name) as unknown as RxJsonSchema<EntityOf<typeof name>>,
          conflictHandler: COLLECTIONS[name].isImmutable
            ? serverStateConflictHandler<EntityOf<typeof name>>(name, options.rejections)
            : mergeConflictHandler<EntityOf<typeof name>>(name, options.rejections),
        },
      ]),
    ),
  );
  // Bulk-pulled documents get their conflict base when first written locally, in any tab.
  for (const name of names) keepConflictBases(db.collections[name]);
  return db;
}
