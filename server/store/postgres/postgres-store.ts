import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { COLLECTIONS, type CollectionName } from '../../../shared/schema/collections.ts';
import type { Checkpoint } from '../../../shared/sync/checkpoint.ts';
import type { PushRow } from '../../../shared/sync/protocol.ts';
import type { Principal, Scope } from '../../auth/principal.ts';
import { defaultLogger, type Logger } from '../../observability/logger.ts';
import type { AuditEntry } from '../accounts.ts';
import { ChangeListeners } from '../change-listeners.ts';
import { decodeDocument, encodeDocument, replicatedJson, type EncodedDocument } from '../document-codec.ts';
import { scopedOrgs, type ResolvedOrgScope } from '../scope.ts';
import {
  ResyncRequiredError,
  type ChangeBatch,
  type ChangeListener,
  type CollabTextKey,
  type CompactionPlanner,
  type PullPage,
  type PushOptions,
  type PushResult,
  type RejectedRow,
  type Store,
  type StoredDocument,
  type StoreTelemetry,
  type WriteProvenance,
} from '../store.ts';
import { PostgresAuditLog, appendAudit, takeAuditWriterLock } from './accounts/postgres-audit-log.ts';
import { PostgresEnrollmentTokens } from './accounts/postgres-enrollment-tokens.ts';
import { PostgresSessions } from './accounts/postgres-sessions.ts';
import { PostgresKnownDevices } from './accounts/postgres-known-devices.ts';
import { PostgresThrottle } from './accounts/postgres-throttle.ts';
import { PostgresUsers } from './accounts/postgres-users.ts';
import { PostgresAgents } from './agents/postgres-agents.ts';
import { ChangeListenerConnection, channelFor, publish, type ChangeAnnouncement } from './change-notifications.ts';
import { advisoryKey, checkSchemaName, createPool, inTransaction, type Queryable } from './connection.ts';
import { migrate } from './migrations.ts';
import { OrderedChangeFeed } from './ordered-change-feed.ts';
import { decidePushRow, pushPolicy, writeAuditEntry } from '../push-rules.ts';
import { provenanceFromRow, type ProvenanceColumns } from '../rows.ts';

export interface PostgresStoreOptions {
  /** A schema of its own (created if missing), e.g. one per test; the connection's default otherwise. */
  schema?: string;
  now?: () => number;
  /** Pool size of this instance. */
  maxConnections?: number;
  /** Longer statements are cancelled (migrations are exempt). */
  statementTimeoutMs?: number;
  /** Where lost connections and failed announcements are reported. */
  logger?: Logger;
}

interface DocumentRow extends ProvenanceColumns {
  org_id: string;
  revision: string;
  deleted: boolean;
  body: string;
}

/** Who a write is recorded as: the principal behind it. */
type Writer = Pick<Principal, 'kind' | 'id'>;
const SYSTEM_WRITER: Writer = { kind: 'system', id: 'system' };

interface PendingWrite {
  document: StoredDocument;
  encoded: EncodedDocument;
  seq: number;
  writtenAt: number;
  writtenBy: Writer;
}

/** The seqs one transaction took in one organization: consecutive, as the org stayed locked. */
interface SeqRange {
  fromSeq: number;
  toSeq: number;
}

/**
 * The Store on PostgreSQL, for several server instances sharing one database.
 *
 * Sequences: a writer locks its organizations' `org_sequences` rows (existing ones in one sorted
 * order) before it reads what it will replace, and holds them until commit. So
 * writers of one organization serialize, a seq is never visible before a smaller one of the same
 * organization, and a pull (one REPEATABLE READ snapshot) never passes a change that commits
 * later. Writers of different organizations take different rows and do not wait for each other.
 *
 * Durability: synchronous_commit stays on (the server's default; the store never lowers it, and
 * warns at open if the server has it off): a write is acknowledged only once its commit is flushed.
 *
 * Live changes: local listeners get each batch after commit; other instances hear a small
 * NOTIFY, load the documents and tell their own listeners, all through an OrderedChangeFeed.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  /** Names this instance in announcements, so it does not hear its own writes twice. */
  readonly instanceId = randomBytes(8).toString('hex');
  readonly users: PostgresUsers;
  readonly sessions: PostgresSessions;
  readonly throttle: PostgresThrottle;
  readonly knownDevices: PostgresKnownDevices;
  readonly enrollmentTokens: PostgresEnrollmentTokens;
  readonly audit: PostgresAuditLog;
  readonly agents: PostgresAgents;
  readonly #pool: pg.Pool;
  readonly #now: () => number;
  readonly #channel: string;
  readonly #auditLockKey: string;
  /** Advisory lock names of texts being compacted are per schema, like everything else here. */
  readonly #textLockPrefix: string;
  readonly #listeners: ChangeListeners;
  readonly #feed: OrderedChangeFeed;
  readonly #listener: ChangeListenerConnection;
  readonly #logger: Logger;
  readonly #fanOutListeners = new Set<(seconds: number) => void>();
  #isClosed = false;

  readonly telemetry: StoreTelemetry = {
    poolUsage: () => ({ total: this.#pool.totalCount, idle: this.#pool.idleCount, waiting: this.#pool.waitingCount }),
    onFanOutDelay: (listener) => {
      this.#fanOutListeners.add(listener);
      return () => this.#fanOutListeners.delete(listener);
    },
  };

  private constructor(url: string, pool: pg.Pool, schema: string, now: () => number, logger: Logger) {
    this.#pool = pool;
    this.#now = now;
    this.#logger = logger;
    this.#listeners = new ChangeListeners(logger);
    this.#channel = channelFor(schema);
    this.#auditLockKey = advisoryKey(`outpost audit ${schema}`);
    this.#textLockPrefix = `outpost text ${schema}`;
    this.users = new PostgresUsers(pool);
    this.sessions = new PostgresSessions(pool);
    this.throttle = new PostgresThrottle(pool);
    this.knownDevices = new PostgresKnownDevices(pool);
    this.enrollmentTokens = new PostgresEnrollmentTokens(pool);
    this.audit = new PostgresAuditLog(pool, this.#auditLockKey);
    this.agents = new PostgresAgents(pool);
    this.#feed = new OrderedChangeFeed(
      (orgId, afterSeq, throughSeq, limit) => this.#loadChanges(orgId, afterSeq, throughSeq, limit),
      (batches) => this.#listeners.emit(batches),
      logger,
    );
    this.#listener = new ChangeListenerConnection({
      url,
      channel: this.#channel,
      applicationName: `outpost-listener ${this.instanceId}`,
      onAnnouncement: (announcement) => this.#heard(announcement),
      onReconnected: () => this.#catchUp(),
      logger,
    });
  }

  /** Migrates (under an advisory lock, so instances may start together), connects and listens. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const schema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
    await migrate(url, schema);
    const logger = options.logger ?? defaultLogger();
    const pool = createPool({
      logger,
      url,
      schema,
      maxConnections: options.maxConnections ?? 10,
      statementTimeoutMs: options.statementTimeoutMs ?? 30_000,
      applicationName: 'outpost',
    });
    let store: PostgresStore | undefined;
    try {
      const { rows } = await pool.query<{ schema: string | null; synchronous_commit: string }>(
        "SELECT current_schema() AS schema, current_setting('synchronous_commit') AS synchronous_commit",
      );
      if (rows[0]?.synchronous_commit === 'off') {
        logger.warn('PostgreSQL: synchronous_commit is off on this server, so acknowledged writes can be lost in a crash; Outpost expects it on');
      }
      const resolved = schema ?? rows[0]?.schema ?? 'public';
      store = new PostgresStore(url, pool, resolved, options.now ?? Date.now, logger);
      await store.#listener.start();
      // Read after LISTEN took effect: every commit past these positions will be announced.
      store.#feed.start(await store.#sequencePositions());
      return store;
    } catch (error) {
      if (store) await store.#listener.stop();
      await pool.end();
      throw error;
    }
  }

  /** Whether another instance's writes reach this one's listeners right now (for readiness). */
  get isListening(): boolean {
    return this.#listener.isConnected;
  }

  async pull(scope: Scope, collection: CollectionName, checkpoint: Checkpoint, limit: number): Promise<PullPage> {
    return this.#pullPage(scope, collection, checkpoint, limit, decodeDocument);
  }

  async pullJson(scope: Scope, collection: CollectionName, checkpoint: Checkpoint, limit: number): Promise<PullPage<Uint8Array>> {
    return this.#pullPage(scope, collection, checkpoint, limit, (body, deleted) => replicatedJson(Buffer.from(body), deleted));
  }

  async #pullPage<D>(scope: Scope, collection: CollectionName, checkpoint: Checkpoint, limit: number, present: (body: string, deleted: boolean) => D): Promise<PullPage<D>> {
    // One snapshot: the page, the new checkpoint and `remaining` agree with each other.
    return inTransaction(
      this.#pool,
      async (db) => {
        const orgs = scopedOrgs(scope, scope.kind === 'everything' ? await this.#allOrgIds(db) : []);
        const purged = await this.#purgedThrough(db, collection, orgs.map((org) => org.orgId));
        for (const org of orgs) {
          const position = checkpoint[org.orgId] ?? 0;
          if (position > 0 && position < (purged.get(org.orgId) ?? 0)) throw new ResyncRequiredError(org.orgId);
        }
        const documents: D[] = [];
        const next: Checkpoint = {};
        for (const org of orgs) {
          let position = checkpoint[org.orgId] ?? 0;
          const room = limit - documents.length;
          if (room > 0) {
            const rows = await this.#changesSince(db, org, collection, position, room);
            for (const row of rows) documents.push(present(row.body, row.deleted));
            position = rows.at(-1)?.seq ?? position;
          }
          next[org.orgId] = position;
        }
        const remaining = await this.#countSince(db, orgs, collection, next);
        return { documents, checkpoint: next, remaining };
      },
      { isolation: 'repeatable read', isReadOnly: true },
    );
  }

  async push(principal: Principal, collection: CollectionName, rows: readonly PushRow<StoredDocument>[], options: PushOptions = {}): Promise<PushResult> {
    const isSiteScoped = COLLECTIONS[collection].isSiteScoped;
    const policy = pushPolicy(principal, collection, options);
    const result = await inTransaction(this.#pool, async (db) => {
      // First, before any row lock: audit readers wait for writers through this lock (see the audit log).
      await takeAuditWriterLock(db, this.#auditLockKey);
      const lastSeq = await lockOrganizations(db, rows.map((row) => row.newDocumentState.orgId));
      const current = await this.#selectDocuments(db, collection, rows.map((row) => row.newDocumentState.id));
      const conflicts: StoredDocument[] = [];
      const conflictProvenance: WriteProvenance[] = [];
      const rejected: RejectedRow[] = [];
      const written: StoredDocument[] = [];
      const writes = new Map<string, PendingWrite>();
      const ranges = new Map<string, SeqRange>();
      const audit: AuditEntry[] = [];
      for (const [index, row] of rows.entries()) {
        const id = row.newDocumentState.id;
        const existing = current.get(id);
        const stored = existing ? { revision: existing.revision, document: decodeDocument(existing.body, existing.deleted) } : undefined;
        const outcome = decidePushRow(index, row, stored, policy);
        if (outcome.kind === 'rejected') rejected.push(outcome.rejected);
        if (outcome.kind === 'conflict' && existing) {
          conflicts.push(outcome.master);
          conflictProvenance.push(provenanceFromRow(id, existing));
        }
        if (outcome.kind !== 'write') continue;
        const next = outcome.encoded;
        const document = row.newDocumentState;
        const seq = takeSeq(lastSeq, ranges, document.orgId);
        const pending: PendingWrite = { document, encoded: next, seq, writtenAt: this.#now(), writtenBy: principal };
        writes.set(id, pending);
        // A later row of this push for the same id sees this write, as it would on SQLite.
        current.set(id, {
          org_id: document.orgId,
          revision: next.revision,
          deleted: next.deleted,
          body: next.body,
          written_at: pending.writtenAt,
          written_by_kind: principal.kind,
          written_by_id: principal.id,
        });
        written.push(decodeDocument(next.body, next.deleted));
        audit.push(writeAuditEntry(principal, collection, document, outcome.action, this.#now(), options.clientAddress));
      }
      await upsertDocuments(db, collection, [...writes.values()], isSiteScoped);
      await saveSequences(db, lastSeq, ranges);
      await appendAudit(db, audit);
      return { conflicts, conflictProvenance, rejected, written, ranges };
    });
    await this.#publishWritten(collection, result.ranges, result.written);
    return { conflicts: result.conflicts, conflictProvenance: result.conflictProvenance, rejected: result.rejected, written: result.written.length };
  }

  async countLiveUpdates(key: CollabTextKey): Promise<Map<string | null, number>> {
    const { rows } = await this.#pool.query<{ site_id: string | null; count: number }>(
      `SELECT site_id, count(*) AS count FROM documents WHERE ${LIVE_UPDATES_OF_TEXT} GROUP BY site_id`,
      [key.targetId, key.orgId, key.targetCollection],
    );
    return new Map(rows.map((row) => [row.site_id, row.count]));
  }

  async compactText(principal: Principal, key: CollabTextKey, plan: CompactionPlanner): Promise<number> {
    const result = await inTransaction(this.#pool, async (db) => {
      // One compactor per text across instances: a second one skips rather than waits, as the
      // first merges everything the second would have. Held until commit.
      const lock = await db.query<{ isLocked: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS "isLocked"', [
        advisoryKey(`${this.#textLockPrefix} ${key.targetCollection}/${key.targetId}`),
      ]);
      if (lock.rows[0]?.isLocked !== true) return undefined;
      // Read committed, after the lock: an earlier compaction of this text is visible here.
      const live = await db.query<{ body: string }>(`SELECT body FROM documents WHERE ${LIVE_UPDATES_OF_TEXT} ORDER BY seq`, [
        key.targetId,
        key.orgId,
        key.targetCollection,
      ]);
      const documents = plan(live.rows.map((row) => decodeDocument(row.body, false))) ?? [];
      if (documents.length === 0) return undefined;
      if (documents.some((d) => d.orgId !== key.orgId)) throw new Error('a compaction writes only in the organization of its text');
      await takeAuditWriterLock(db, this.#auditLockKey);
      const lastSeq = await lockOrganizations(db, [key.orgId]);
      const ranges = new Map<string, SeqRange>();
      const writes = documents.map((document) => ({
        document,
        encoded: encodeDocument(document),
        seq: takeSeq(lastSeq, ranges, key.orgId),
        writtenAt: this.#now(),
        writtenBy: principal,
      }));
      await upsertDocuments(db, 'doc_updates', writes, true);
      await saveSequences(db, lastSeq, ranges);
      const written = writes.map((w) => decodeDocument(w.encoded.body, w.encoded.deleted));
      await appendAudit(db, written.map((d) => writeAuditEntry(principal, 'doc_updates', d, d._deleted ? 'delete' : 'create', this.#now(), undefined)));
      return { ranges, written };
    });
    if (result === undefined) return 0;
    await this.#publishWritten('doc_updates', result.ranges, result.written);
    return result.written.length;
  }

  async getMany(collection: CollectionName, ids: readonly string[]): Promise<StoredDocument[]> {
    const rows = await this.#selectDocuments(this.#pool, collection, ids);
    return ids.flatMap((id) => {
      const row = rows.get(id);
      return row ? [decodeDocument(row.body, row.deleted)] : [];
    });
  }

  async insertMany(collection: CollectionName, documents: readonly StoredDocument[]): Promise<void> {
    if (documents.length === 0) return;
    const isSiteScoped = COLLECTIONS[collection].isSiteScoped;
    const ranges = await inTransaction(this.#pool, async (db) => {
      const lastSeq = await lockOrganizations(db, documents.map((d) => d.orgId));
      const ranges = new Map<string, SeqRange>();
      const writes = new Map<string, PendingWrite>();
      for (const document of documents) {
        writes.set(document.id, {
          document,
          encoded: encodeDocument(document),
          seq: takeSeq(lastSeq, ranges, document.orgId),
          writtenAt: this.#now(),
          writtenBy: SYSTEM_WRITER,
        });
      }
      await upsertDocuments(db, collection, [...writes.values()], isSiteScoped);
      await saveSequences(db, lastSeq, ranges);
      return ranges;
    });
    await this.#announce(collection, ranges, true);
    await Promise.all([...ranges].map(([orgId, range]) => this.#feed.deliver({ kind: 'silent', orgId, ...range })));
  }

  async purgeTombstones(writtenBefore: Date): Promise<number> {
    // One statement: the purge marks come from exactly the rows deleted.
    const { rows } = await this.#pool.query<{ purged: number }>(
      `WITH purged AS (
         DELETE FROM documents WHERE deleted AND written_at < $1 RETURNING org_id, collection, seq
       ), marked AS (
         INSERT INTO tombstone_purges (org_id, collection, purged_seq)
         SELECT org_id, collection, max(seq) FROM purged GROUP BY org_id, collection
         ON CONFLICT (org_id, collection) DO UPDATE SET purged_seq = GREATEST(tombstone_purges.purged_seq, excluded.purged_seq)
       )
       SELECT count(*) AS purged FROM purged`,
      [writtenBefore.getTime()],
    );
    return rows[0]?.purged ?? 0;
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  async countDocuments(): Promise<number> {
    const { rows } = await this.#pool.query<{ count: number }>('SELECT count(*) AS count FROM documents');
    return rows[0]?.count ?? 0;
  }

  onChange(listener: ChangeListener): () => void {
    return this.#listeners.add(listener);
  }

  /** Stops listening, lets pending change emissions finish, then closes every connection. */
  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    await this.#listener.stop();
    await this.#feed.idle();
    await this.#pool.end();
  }

  /** After commit: tells other instances, then this one's listeners (in seq order, through the feed). */
  async #publishWritten(collection: CollectionName, ranges: ReadonlyMap<string, SeqRange>, written: readonly StoredDocument[]): Promise<void> {
    await this.#announce(collection, ranges, false);
    await Promise.all(
      [...ranges].map(([orgId, range]) =>
        this.#feed.deliver({
          kind: 'written',
          fromSeq: range.fromSeq,
          batch: { collection, orgId, documents: written.filter((d) => d.orgId === orgId), seq: range.toSeq },
        }),
      ),
    );
  }

  async #announce(collection: CollectionName, ranges: ReadonlyMap<string, SeqRange>, isSilent: boolean): Promise<void> {
    // Wall-clock time, not #now (which tests may fake): the receiver compares it with its own clock.
    const sentAt = Date.now();
    const announcements: ChangeAnnouncement[] = [...ranges].map(([orgId, range]) => ({ instance: this.instanceId, collection, orgId, ...range, isSilent, sentAt }));
    try {
      await publish(this.#pool, this.#channel, announcements);
    } catch (error) {
      // The write is committed; other instances catch up with this organization's next announcement.
      this.#logger.error({ err: error }, 'PostgreSQL store: could not announce committed changes to other instances');
    }
  }

  #heard(announcement: ChangeAnnouncement): void {
    if (announcement.instance === this.instanceId || this.#isClosed) return;
    const { orgId, fromSeq, toSeq, sentAt } = announcement;
    const handled = this.#feed.deliver(announcement.isSilent ? { kind: 'silent', orgId, fromSeq, toSeq } : { kind: 'announced', orgId, toSeq });
    if (announcement.isSilent || sentAt === undefined || this.#fanOutListeners.size === 0) return;
    // Until this instance's listeners got the changes (loaded from the database), not just the signal.
    void handled.then(() => {
      // A host whose clock runs behind the sender's would report a negative delay.
      const seconds = Math.max(0, Date.now() - sentAt) / 1000;
      for (const listener of this.#fanOutListeners) listener(seconds);
    });
  }

  /** Announcements sent while the listener was disconnected are gone: compare positions instead. */
  async #catchUp(): Promise<void> {
    for (const [orgId, seq] of await this.#sequencePositions()) {
      if (seq > this.#feed.positionOf(orgId)) void this.#feed.deliver({ kind: 'announced', orgId, toSeq: seq });
    }
  }

  async #sequencePositions(): Promise<[string, number][]> {
    const { rows } = await this.#pool.query<{ org_id: string; last_seq: number }>('SELECT org_id, last_seq FROM org_sequences');
    return rows.map((row) => [row.org_id, row.last_seq]);
  }

  async #loadChanges(orgId: string, afterSeq: number, throughSeq: number, limit: number): Promise<ChangeBatch[]> {
    const { rows } = await this.#pool.query<{ collection: CollectionName; seq: number; deleted: boolean; body: string }>(
      `SELECT collection, seq, deleted, body FROM documents
       WHERE org_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`,
      [orgId, afterSeq, throughSeq, limit],
    );
    const batches: ChangeBatch[] = [];
    for (const row of rows) {
      const document = decodeDocument(row.body, row.deleted);
      const last = batches.at(-1);
      if (last?.collection === row.collection) {
        last.documents.push(document);
        last.seq = row.seq;
      } else {
        batches.push({ collection: row.collection, orgId, documents: [document], seq: row.seq });
      }
    }
    return batches;
  }

  async #allOrgIds(db: Queryable): Promise<string[]> {
    const { rows } = await db.query<{ org_id: string }>('SELECT org_id FROM org_sequences WHERE last_seq > 0 ORDER BY org_id');
    return rows.map((row) => row.org_id);
  }

  async #purgedThrough(db: Queryable, collection: CollectionName, orgIds: readonly string[]): Promise<Map<string, number>> {
    if (orgIds.length === 0) return new Map();
    const { rows } = await db.query<{ org_id: string; purged_seq: number }>(
      'SELECT org_id, purged_seq FROM tombstone_purges WHERE collection = $1 AND org_id = ANY($2::text[])',
      [collection, orgIds],
    );
    return new Map(rows.map((row) => [row.org_id, row.purged_seq]));
  }

  async #changesSince(db: Queryable, org: ResolvedOrgScope, collection: CollectionName, seq: number, limit: number) {
    const sites = siteFilter(org, collection);
    const { rows } = await db.query<{ seq: number; deleted: boolean; body: string }>(
      `SELECT seq, deleted, body FROM documents
       WHERE org_id = $1 AND collection = $2 AND seq > $3 ${sites === undefined ? '' : `AND ${SITE_IS_VISIBLE('$5')}`}
       ORDER BY seq LIMIT $4`,
      [org.orgId, collection, seq, limit, ...(sites === undefined ? [] : [sites])],
    );
    return rows;
  }

  /** Changes visible to the scope past `positions`: one query for all organizations seen whole. */
  async #countSince(db: Queryable, orgs: readonly ResolvedOrgScope[], collection: CollectionName, positions: Checkpoint): Promise<number> {
    const whole = orgs.filter((org) => siteFilter(org, collection) === undefined);
    let remaining = 0;
    if (whole.length > 0) {
      const { rows } = await db.query<{ count: number }>(
        `SELECT count(*) AS count FROM unnest($2::text[], $3::bigint[]) AS p(org_id, seq)
         JOIN documents d ON d.org_id = p.org_id AND d.collection = $1 AND d.seq > p.seq`,
        [collection, whole.map((org) => org.orgId), whole.map((org) => positions[org.orgId] ?? 0)],
      );
      remaining += rows[0]?.count ?? 0;
    }
    for (const org of orgs) {
      const sites = siteFilter(org, collection);
      if (sites === undefined) continue;
      const { rows } = await db.query<{ count: number }>(
        `SELECT count(*) AS count FROM documents WHERE org_id = $1 AND collection = $2 AND seq > $3 AND ${SITE_IS_VISIBLE('$4')}`,
        [org.orgId, collection, positions[org.orgId] ?? 0, sites],
      );
      remaining += rows[0]?.count ?? 0;
    }
    return remaining;
  }

  async #selectDocuments(db: Queryable, collection: CollectionName, ids: readonly string[]): Promise<Map<string, DocumentRow>> {
    if (ids.length === 0) return new Map();
    const { rows } = await db.query<DocumentRow & { id: string }>(
      'SELECT id, org_id, revision, deleted, body, written_at, written_by_kind, written_by_id FROM documents WHERE collection = $1 AND id = ANY($2::text[])',
      [collection, [...new Set(ids)]],
    );
    return new Map(rows.map(({ id, ...row }) => [id, row]));
  }
}

/** The live updates of one text ($1 targetId, $2 orgId, $3 targetCollection), as the partial index has them. */
const LIVE_UPDATES_OF_TEXT = `collection = 'doc_updates' AND NOT deleted AND (body::jsonb ->> 'targetId') = $1
  AND org_id = $2 AND (body::jsonb ->> 'targetCollection') = $3`;

/** A document without a site (allowed only where its schema says so) belongs to the whole organization. */
const SITE_IS_VISIBLE = (sitesParameter: string) => `(site_id IS NULL OR site_id = ANY(${sitesParameter}::text[]))`;

/** The sites a scope limits this collection to, or undefined when it sees the whole organization. */
function siteFilter(org: ResolvedOrgScope, collection: CollectionName): readonly string[] | undefined {
  return org.siteIds === 'all' || !COLLECTIONS[collection].isSiteScoped ? undefined : org.siteIds;
}

/**
 * Locks the organizations' sequence rows until commit and returns each one's last seq. Existing
 * rows are locked in one sorted order, so writers of overlapping organizations queue instead of
 * deadlocking, and without writing anything (a replayed push changes nothing, not even here).
 * Missing rows are created at 0; if a race around a new organization still deadlocks, PostgreSQL
 * aborts one writer and inTransaction runs it again. Rows left at 0 are removed by saveSequences.
 */
async function lockOrganizations(db: Queryable, orgIds: readonly string[]): Promise<Map<string, number>> {
  const unique = [...new Set(orgIds)];
  if (unique.length === 0) return new Map();
  const { rows } = await db.query<{ org_id: string; last_seq: number }>(
    'SELECT org_id, last_seq FROM org_sequences WHERE org_id = ANY($1::text[]) ORDER BY org_id FOR UPDATE',
    [unique],
  );
  const lastSeq = new Map(rows.map((row) => [row.org_id, row.last_seq]));
  const missing = unique.filter((orgId) => !lastSeq.has(orgId));
  if (missing.length > 0) {
    const created = await db.query<{ org_id: string; last_seq: number }>(
      `INSERT INTO org_sequences (org_id, last_seq)
       SELECT org_id, 0 FROM unnest($1::text[]) AS org_id ORDER BY org_id COLLATE "C"
       ON CONFLICT (org_id) DO UPDATE SET last_seq = org_sequences.last_seq
       RETURNING org_id, last_seq`,
      [missing],
    );
    for (const row of created.rows) lastSeq.set(row.org_id, row.last_seq);
  }
  return lastSeq;
}

/** The next seq of a locked organization, extending this transaction's range there. */
function takeSeq(lastSeq: ReadonlyMap<string, number>, ranges: Map<string, SeqRange>, orgId: string): number {
  const range = ranges.get(orgId);
  if (range) return ++range.toSeq;
  const start = lastSeq.get(orgId);
  if (start === undefined) throw new Error(`organization ${orgId} was not locked before writing`);
  ranges.set(orgId, { fromSeq: start + 1, toSeq: start + 1 });
  return start + 1;
}

async function saveSequences(db: Queryable, lastSeq: ReadonlyMap<string, number>, ranges: ReadonlyMap<string, SeqRange>): Promise<void> {
  if (ranges.size > 0) {
    await db.query(
      `UPDATE org_sequences AS s SET last_seq = v.last_seq
       FROM unnest($1::text[], $2::bigint[]) AS v(org_id, last_seq) WHERE s.org_id = v.org_id`,
      [[...ranges.keys()], [...ranges.values()].map((range) => range.toSeq)],
    );
  }
  // As on SQLite, an organization has a sequence row only once something was written to it.
  const unused = [...lastSeq].filter(([orgId, seq]) => seq === 0 && !ranges.has(orgId)).map(([orgId]) => orgId);
  if (unused.length > 0) await db.query('DELETE FROM org_sequences WHERE org_id = ANY($1::text[]) AND last_seq = 0', [unused]);
}

async function upsertDocuments(db: Queryable, collection: CollectionName, writes: readonly PendingWrite[], isSiteScoped: boolean): Promise<void> {
  if (writes.length === 0) return;
  await db.query(
    `INSERT INTO documents (collection, id, org_id, site_id, seq, revision, deleted, body, written_at, written_by_kind, written_by_id)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::boolean[], $8::text[], $9::bigint[], $10::text[], $11::text[])
     ON CONFLICT (collection, id) DO UPDATE SET
       site_id = excluded.site_id, seq = excluded.seq, revision = excluded.revision,
       deleted = excluded.deleted, body = excluded.body, written_at = excluded.written_at,
       written_by_kind = excluded.written_by_kind, written_by_id = excluded.written_by_id`,
    [
      collection,
      writes.map((w) => w.document.id),
      writes.map((w) => w.document.orgId),
      writes.map((w) => (isSiteScoped ? (w.document.siteId ?? null) : null)),
      writes.map((w) => w.seq),
      writes.map((w) => w.encoded.revision),
      writes.map((w) => w.encoded.deleted),
      writes.map((w) => w.encoded.body),
      writes.map((w) => w.writtenAt),
      writes.map((w) => w.writtenBy.kind),
      writes.map((w) => w.writtenBy.id),
    ],
  );
}
