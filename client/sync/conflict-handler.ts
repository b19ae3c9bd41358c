import type { RxConflictHandler, WithDeleted } from 'rxdb';
import { isDeepEqual } from '../../shared/merge/canonical.ts';
import { mergeDocuments } from '../../shared/merge/merge.ts';
import type { CollectionName } from '../../shared/schema/collections.ts';
import type { ConflictRecord } from '../../shared/schema/common.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import type { RejectionLog } from './rejections.ts';

type Mergeable = { conflicts?: ConflictRecord[] | undefined };

/**
 * Resolves a rejected push with the shared three-way merge: the assumed master is the base,
 * so edits to different fields both survive and a same-field clash keeps the other value in
 * the document's conflict records instead of dropping it. A write the server refused for
 * authorization goes back to the server's state (the refused content stays in the log).
 */
export function mergeConflictHandler<T extends object>(collection: CollectionName, rejections?: RejectionLog): RxConflictHandler<T> {
  const plain = (document: WithDeleted<T>) => withoutLocalFields(document) as Mergeable;
  return {
    isEqual: (a, b) => isDeepEqual(withoutLocalFields(a), withoutLocalFields(b)),
    resolve: async ({ assumedMasterState, realMasterState, newDocumentState }) => {
      const id = (newDocumentState as { id?: unknown }).id;
      if (typeof id === 'string' && rejections?.takePending(collection, id)) return realMasterState;
      return mergeDocuments({
        base: assumedMasterState ? plain(assumedMasterState) : undefined,
        master: plain(realMasterState),
        local: plain(newDocumentState),
      }) as WithDeleted<T>;
    },
  };
}

/**
 * For collections whose stored documents never change (text updates, frozen versions): a
 * conflict means the server already holds this id (another approval of the same version) or
 * compacted it away (its text lives on in the snapshot). Either way its state is the answer.
 */
export function serverStateConflictHandler<T extends object>(collection: CollectionName, rejections?: RejectionLog): RxConflictHandler<T> {
  return {
    isEqual: (a, b) => isDeepEqual(withoutLocalFields(a), withoutLocalFields(b)),
    resolve: async ({ newDocumentState, realMasterState }) => {
      const id = (newDocumentState as { id?: unknown }).id;
      if (typeof id === 'string') rejections?.takePending(collection, id);
      return realMasterState;
    },
  };
}
