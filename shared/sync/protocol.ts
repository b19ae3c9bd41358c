import * as v from 'valibot';
import type { CollectionName } from '../schema/collections.ts';
import { Timestamp, WRITER_KINDS, text } from '../schema/common.ts';
import type { Checkpoint } from './checkpoint.ts';

/** A document as it travels: the entity plus RxDB's soft-deletion flag. */
export type Replicated<T> = T & { _deleted: boolean };

export const PULL_DEFAULT_LIMIT = 200;
export const PULL_MAX_LIMIT = 2000;
export const PUSH_MAX_ROWS = 1000;

export const PullQuerySchema = v.strictObject({
  checkpoint: v.optional(v.pipe(v.string(), v.maxLength(100_000))),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,6}$/, 'must be a whole number'),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(PULL_MAX_LIMIT, `must be at most ${PULL_MAX_LIMIT}`),
    ),
  ),
});

/** GET /api/sync/:collection/pull */
export interface PullResponse<T = unknown> {
  documents: Replicated<T>[];
  checkpoint: Checkpoint;
  /** Changes still waiting after this page, so a first sync can show real progress. */
  remaining: number;
}

/** POST /api/sync/:collection/push body: RxDB's push rows. */
export interface PushRow<T = unknown> {
  newDocumentState: Replicated<T>;
  assumedMasterState?: Replicated<T>;
}

/** A row the principal may not write: not applied, with a reason a person can read. */
export interface RejectedPush<T = unknown> {
  id: string;
  reason: string;
  field?: string;
  /** The server's current state, when it has one, so the client can return to it. */
  master?: Replicated<T>;
}

/**
 * Who wrote a conflicting master, and when the server accepted it: the merge records it beside
 * the value it keeps. `writtenBy` is absent for documents written before the server kept track;
 * `name` is a user's display name, given only to callers who may read that organization's
 * directory. Parsed leniently (unknown keys dropped), so a newer server's additions never cost
 * an older client the rest.
 */
export const ConflictProvenance = v.object({
  /** The conflicting document's id. */
  id: text(128, 1),
  /** Server time of the master's write. */
  writtenAt: Timestamp,
  writtenBy: v.optional(
    v.object({
      kind: v.picklist(WRITER_KINDS),
      id: text(128, 1),
      name: v.optional(text(200, 1)),
    }),
  ),
});
export type ConflictProvenance = v.InferOutput<typeof ConflictProvenance>;
export const ConflictProvenanceList = v.pipe(v.array(ConflictProvenance), v.maxLength(PUSH_MAX_ROWS));

/**
 * Push answer: `conflicts` holds the current master of every row whose assumed master was
 * stale (resolve by merging); `rejected` the rows refused by authorization. Both empty: all applied.
 * `conflictProvenance` says, per conflicting id, who wrote that master and when (servers before
 * it existed do not send it).
 */
export interface PushResponse<T = unknown> {
  conflicts: Replicated<T>[];
  rejected: RejectedPush<T>[];
  conflictProvenance?: ConflictProvenance[];
}

/** One batch of changes on the live stream (GET /api/sync/stream). */
export interface StreamChange<T = unknown> {
  collection: CollectionName;
  documents: Replicated<T>[];
  /** Positions reached by this batch, only for the organizations it touches. */
  checkpoint: Checkpoint;
}

/** Sent first on every (re)connection: the client must pull, it may have missed changes. */
export const RESYNC = 'RESYNC' as const;
export type StreamMessage = StreamChange | typeof RESYNC;

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

/** 410 on a pull: the checkpoint predates purged tombstones; start again from an empty one. */
export const RESYNC_REQUIRED = 'resync_required';
