import type { RxConflictHandler, WithDeleted } from 'rxdb';
import { isDeepEqual } from '../../shared/merge/canonical.ts';
import { mergeDocuments } from '../../shared/merge/merge.ts';
import type { ConflictRecord } from '../../shared/schema/common.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';

type Mergeable = { conflicts?: ConflictRecord[] | undefined };

/**
 * Resolves a rejected push with the shared three-way merge: the assumed master is the base,
 * so edits to different fields both survive and a same-field clash keeps the other value in
 * the document's conflict records instead of dropping it.
 */
export function mergeConflictHandler<T extends object>(): RxConflictHandler<T> {
  const plain = (document: WithDeleted<T>) => withoutLocalFields(document) as Mergeable;
  return {
    isEqual: (a, b) => isDeepEqual(withoutLocalFields(a), withoutLocalFields(b)),
    resolve: async ({ assumedMasterState, realMasterState, newDocumentState }) =>
      mergeDocuments({
        base: assumedMasterState ? plain(assumedMasterState) : undefined,
        master: plain(realMasterState),
        local: plain(newDocumentState),
      }) as WithDeleted<T>,
  };
}
