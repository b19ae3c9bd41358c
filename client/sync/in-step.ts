import { getHeightOfRevision, type RxCollection, type RxDocumentData } from 'rxdb';
import { isDeepEqual } from '../../shared/merge/canonical.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import type { SettledState } from './pending-writes.ts';
import { isPristine } from './pristine.ts';
import { findAssumedMasters, type MetaInstance } from './replication-meta.ts';

/**
 * Which of these documents the server already holds as they are here: documents as pulled
 * (pristine), and documents equal to the replication's assumed master state, which is what the
 * server last acknowledged or answered. What waits to be sent is exactly the rest.
 */
export async function documentsInStep(collection: RxCollection, meta: MetaInstance, ids: readonly string[]): Promise<SettledState[]> {
  const storage = collection.storageInstance.originalStorageInstance;
  const [local, masters] = await Promise.all([
    storage.findDocumentsById([...ids], true) as Promise<RxDocumentData<{ id: string; updatedAt?: string }>[]>,
    findAssumedMasters(meta, ids),
  ]);
  return local
    .filter((document) => {
      if (isPristine(document)) return true;
      const master = masters.get(document.id);
      return master !== undefined && isDeepEqual(withoutLocalFields(master), withoutLocalFields(document as Record<string, unknown>));
    })
    .map((document) => ({ id: document.id, revision: getHeightOfRevision(document._rev), ...(document.updatedAt === undefined ? {} : { updatedAt: document.updatedAt }) }));
}
