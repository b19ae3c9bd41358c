import type { RxConflictHandler, WithDeleted } from 'rxdb';
import { isDeepEqual } from '../../shared/merge/canonical.ts';
import { mergeDocuments, type Writer } from '../../shared/merge/merge.ts';
import type { CollectionName } from '../../shared/schema/collections.ts';
import type { ConflictRecord } from '../../shared/schema/common.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import type { ConflictProvenanceLog, LocalAuthor } from './conflict-provenance.ts';
import type { OwnPushBases } from './own-pushes.ts';
import type { RejectionLog } from './rejections.ts';
import type { ReplacedStates } from './replaced-states.ts';

type Mergeable = { conflicts?: ConflictRecord[] | undefined };

/** What the merge is told about who wrote each side. */
export interface ConflictWriters {
  /** Who wrote the masters the server answered with (filled by the push handler). */
  provenance?: ConflictProvenanceLog | undefined;
  /** The signed-in user of this replica: the writer of its unpushed values. */
  author?: LocalAuthor | undefined;
  /** Better bases than RxDB's assumed master, where a master holds this replica's own lost push (own-pushes.ts). */
  ownBases?: OwnPushBases | undefined;
  /** Masters the server replaced, never applied over what the replica holds (replaced-states.ts). */
  replaced?: ReplacedStates | undefined;
}

/**
 * Resolves a rejected push with the shared three-way merge: the assumed master is the base,
 * so edits to different fields both survive and a same-field clash keeps the other value in
 * the document's conflict records instead of dropping it. A write the server refused for
 * authorization goes back to the server's state (the refused content stays in the log).
 * Each conflict record says who wrote each value: the master's writer and server time as the
 * server told the push, the local value as this replica's signed-in user's, never yet on the
 * server; each side's `updatedAt` as its author's clock.
 */
export function mergeConflictHandler<T extends object>(collection: CollectionName, rejections?: RejectionLog, writers: ConflictWriters = {}): RxConflictHandler<T> {
  const plain = (document: WithDeleted<T>) => withoutLocalFields(document) as Mergeable;
  return {
    // RxDB's downstream, about to apply a master (`a`) to the replica's state (`b`), asks this.
    isEqual: (a, b, context) =>
      (context === 'downstream-check-if-equal-1' && writers.replaced?.isStale(collection, a, b) === true) || isDeepEqual(withoutLocalFields(a), withoutLocalFields(b)),
    resolve: async ({ assumedMasterState, realMasterState, newDocumentState }) => {
      const id = (newDocumentState as { id?: unknown }).id;
      if (typeof id === 'string' && rejections?.takePending(collection, id)) return realMasterState;
      const master: Writer = writers.provenance?.takeWriterOf(collection, realMasterState) ?? {};
      const local: Writer = writers.author ? { kind: 'user', id: writers.author.id, name: writers.author.name } : {};
      return mergeDocuments({
        base: (writers.ownBases?.take(collection, realMasterState) as Mergeable | undefined) ?? (assumedMasterState ? plain(assumedMasterState) : undefined),
        master: plain(realMasterState),
        local: plain(newDocumentState),
        authors: { master, local },
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
