import type { RxCollection, RxDocumentData } from 'rxdb';
import { isDeepEqual } from '../../shared/merge/canonical.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import { isAsPulledBy } from './pristine.ts';

/**
 * The ids, among states about to be pushed, whose local document is still exactly that state
 * as this replication pulled it from the server. RxDB's upstream can hand such a state over as
 * a local change: its rescan after a conflict reads documents, not who wrote them, and between
 * the downstream's write of a document and of its assumed master the two differ. A master state
 * that arrived late (the server has moved on since, by this replica's own later push) would then
 * be accepted on the newer base and silently revert it. Such states are never pushed.
 */
export async function idsHeldAsPulled(collection: RxCollection, replicationHash: string, states: readonly { id: string }[]): Promise<Set<string>> {
  if (states.length === 0) return new Set();
  const storage = collection.storageInstance.originalStorageInstance ?? collection.storageInstance;
  const local = (await storage.findDocumentsById(
    states.map((state) => state.id),
    true,
  )) as RxDocumentData<{ id: string }>[];
  const byId = new Map(local.map((document) => [document.id, document]));
  const held = new Set<string>();
  for (const state of states) {
    const document = byId.get(state.id);
    if (!document || !isAsPulledBy(document, replicationHash)) continue;
    if (isDeepEqual(withoutLocalFields(document as Record<string, unknown>), withoutLocalFields(state))) held.add(state.id);
  }
  return held;
}
