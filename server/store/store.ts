import type { CollectionName } from '../../shared/schema/collections.ts';
import type { CollabParentCollection } from '../../shared/schema/doc-update.ts';
import type { Checkpoint } from '../../shared/sync/checkpoint.ts';
import type { PushRow, Replicated } from '../../shared/sync/protocol.ts';
import type { Principal, Scope } from '../auth/principal.ts';
import type { AgentStore } from './agents.ts';
import type { AuditLog, EnrollmentTokenStore, KnownDeviceStore, SessionStore, ThrottleStore, UserStore } from './accounts.ts';

export type StoredDocument = Replicated<{ id: string; orgId: string; siteId?: string } & Record<string, unknown>>;

export interface PullPage<D = StoredDocument> {
  documents: D[];
  checkpoint: Checkpoint;
  remaining: number;
}

export interface RejectedRow {
  index: number;
  id: string;
  reason: string;
  field?: string;
  /** What the server holds for this id, so the client can return to it. */
  master?: StoredDocument;
}

export interface RowDenial {
  reason: string;
  field?: string;
}

/**
 * Decides one row inside the write transaction, seeing the stored state it would replace:
 * undefined allows it. Must be synchronous and pure (it runs under the write lock).
 */
export type RowAuthorizer = (before: StoredDocument | undefined, after: StoredDocument) => RowDenial | undefined;

export interface PushOptions {
  /** Defaults to "inside the principal's scope". */
  authorize?: RowAuthorizer;
  /** Recorded in the audit log with every accepted write. */
  clientAddress?: string;
  /**
   * Whether the principal may read a stored document. Answers about documents it may not read
   * (their content, or that a push equals them) would leak them; defaults to "in scope".
   */
  isVisible?: (stored: StoredDocument) => boolean;
}

/** Who wrote a document's current state, and when the server accepted it. */
export interface WriteProvenance {
  /** The document's id. */
  id: string;
  /** Server time of the write, in milliseconds since the epoch. */
  writtenAt: number;
  /** Absent for documents written before the store kept track of writers. */
  writtenBy?: { kind: Principal['kind']; id: string };
}

export interface PushResult {
  /** Current masters of the rows that were not applied. */
  conflicts: StoredDocument[];
  /** Who wrote each of `conflicts`, and when: one entry per conflict, in the same order. */
  conflictProvenance: WriteProvenance[];
  /** Rows outside the principal's scope: not applied, each with its reason. */
  rejected: RejectedRow[];
  /** Rows written (identical replays are not counted: they change nothing). */
  written: number;
}

/** Committed changes, fanned out to live streams (and, with PostgreSQL, to other instances). */
export interface ChangeBatch {
  collection: CollectionName;
  orgId: string;
  documents: StoredDocument[];
  /** The organization's sequence after this batch. */
  seq: number;
}

export type ChangeListener = (batch: ChangeBatch) => void;

/** Connections of a store's pool right now. */
export interface PoolUsage {
  /** Open connections, busy or idle. */
  total: number;
  idle: number;
  /** Queries waiting for a connection: the pool is too small, or the database too slow. */
  waiting: number;
}

/** What an operator can watch of a store with a connection pool and a fan-out to other instances (PostgreSQL). */
export interface StoreTelemetry {
  poolUsage(): PoolUsage;
  /**
   * Calls `listener` with the seconds from another instance announcing a commit to this one's
   * listeners getting it; returns the unsubscribe.
   */
  onFanOutDelay(listener: (seconds: number) => void): () => void;
}

/** One collaborative text: the Yjs updates (doc_updates) of one runbook's body or incident's review. */
export interface CollabTextKey {
  orgId: string;
  targetCollection: CollabParentCollection;
  targetId: string;
}

/**
 * Decides a compaction from the live updates of one text, in commit order: the doc_updates to
 * write (a snapshot first, then tombstones of what it merged), or undefined to write nothing.
 * Synchronous: it runs inside the store's transaction, under the text's lock.
 */
export type CompactionPlanner = (liveUpdates: readonly StoredDocument[]) => readonly StoredDocument[] | undefined;

/** A pull whose checkpoint predates purged tombstones would silently miss deletions. */
export class ResyncRequiredError extends Error {
  constructor(readonly orgId: string) {
    super(`checkpoint for organization ${orgId} predates purged deletions: resync from an empty checkpoint`);
  }
}

/** A push row that the store refuses as a whole request (it breaks an invariant). */
export class InvalidWriteError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * Storage behind the sync protocol. Implementations (SQLite, PostgreSQL) guarantee:
 * per-organization sequences assigned in commit order, so a pull never skips a change;
 * a push row is applied atomically only when its assumed master equals the stored one;
 * replays of an applied row change nothing.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  pull(scope: Scope, collection: CollectionName, checkpoint: Checkpoint, limit: number): Promise<PullPage>;
  /** The same page as pull(), each document as its replicated JSON in UTF-8, served unparsed. */
  pullJson(scope: Scope, collection: CollectionName, checkpoint: Checkpoint, limit: number): Promise<PullPage<Uint8Array>>;
  push(principal: Principal, collection: CollectionName, rows: readonly PushRow<StoredDocument>[], options?: PushOptions): Promise<PushResult>;
  /** Current states by id (deleted ones included), for checks that need related documents. */
  getMany(collection: CollectionName, ids: readonly string[]): Promise<StoredDocument[]>;
  /** Loads documents without conflict checks: seeding an empty database (written by the system). */
  insertMany(collection: CollectionName, documents: readonly StoredDocument[]): Promise<void>;
  /** How many live updates a text has, by the site they carry (null: none). */
  countLiveUpdates(key: CollabTextKey): Promise<Map<string | null, number>>;
  /**
   * Compacts one text in one transaction: reads its live updates, asks `plan`, writes what it
   * returns (audited as `principal`'s). Never runs for one text on two instances at once: the
   * second skips (the first merges what it would have). Returns how many documents it wrote.
   */
  compactText(principal: Principal, key: CollabTextKey, plan: CompactionPlanner): Promise<number>;
  /** Removes tombstones written before `writtenBefore`; returns how many were purged. */
  purgeTombstones(writtenBefore: Date): Promise<number>;
  countDocuments(): Promise<number>;
  /** Readiness: resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly throttle: ThrottleStore;
  readonly knownDevices: KnownDeviceStore;
  readonly enrollmentTokens: EnrollmentTokenStore;
  readonly audit: AuditLog;
  readonly agents: AgentStore;
  /** Absent where there is nothing of the kind to watch (SQLite: no pool, one instance). */
  readonly telemetry?: StoreTelemetry;
  onChange(listener: ChangeListener): () => void;
  close(): Promise<void>;
}
