import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { COLLECTIONS, type CollectionName } from '../../../shared/schema/collections.ts';
import type { Checkpoint } from '../../../shared/sync/checkpoint.ts';
import type { PushRow } from '../../../shared/sync/protocol.ts';
import type { Principal, Scope } from '../../auth/principal.ts';
import type { Logger } from '../../observability/logger.ts';
import { ChangeListeners } from '../change-listeners.ts';
import { decodeDocument, encodeDocument, replicatedJson } from '../document-codec.ts';
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
  type WriteProvenance,
} from '../store.ts';
import type { AuditEntry } from '../accounts.ts';
import { SqliteAgents } from './agents/sqlite-agents.ts';
import { SqliteAuditLog, appendAuditSync } from './accounts/sqlite-audit-log.ts';
import { SqliteEnrollmentTokens } from './accounts/sqlite-enrollment-tokens.ts';
import { SqliteSessions } from './accounts/sqlite-sessions.ts';
import { SqliteKnownDevices } from './accounts/sqlite-known-devices.ts';
import { SqliteThrottle } from './accounts/sqlite-throttle.ts';
import { SqliteUsers } from './accounts/sqlite-users.ts';
import { migrate } from './migrations.ts';
import { decidePushRow, pushPolicy, writeAuditEntry } from '../push-rules.ts';
import { provenanceFromRow, type ProvenanceColumns } from '../rows.ts';

interface DocumentRow {
  id: string;
  org_id: string;
  seq: number;
  revision: string;
  deleted: number;
  body: string;
}

/** Who a write is recorded as: the principal behind it. */
type Writer = Pick<Principal, 'kind' | 'id'>;
const SYSTEM_WRITER: Writer = { kind: 'system', id: 'system' };

/** A pulled change; its body as text, or as bytes when served without parsing. */
interface ChangeRow {
  seq: number;
  deleted: number;
  body: string | Uint8Array;
}
type BodyColumn = 'body' | 'CAST(body AS BLOB) AS body';

export interface SqliteStoreOptions {
  /** A file path, or ':memory:' for throwaway tests. */
  filename: string;
  now?: () => number;
  /** Where a failing change listener is reported. */
  logger?: Logger;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly #db: Database.Database;
  readonly #listeners: ChangeListeners;
  readonly #now: () => number;
  readonly users: SqliteUsers;
  readonly sessions: SqliteSessions;
  readonly throttle: SqliteThrottle;
  readonly knownDevices: SqliteKnownDevices;
  readonly enrollmentTokens: SqliteEnrollmentTokens;
  readonly audit: SqliteAuditLog;
  readonly agents: SqliteAgents;

  constructor(options: SqliteStoreOptions) {
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
    this.#db = new Database(options.filename);
    this.#now = options.now ?? Date.now;
    this.#listeners = new ChangeListeners(options.logger);
    this.#db.pragma('journal_mode = WAL');
    // "Acknowledged" means durable: FULL fsyncs the WAL on every commit, surviving power loss too.
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    // Pulls read megabytes of bodies (a first sync of a site is tens of them): reading through a
    // memory map instead of a read() per page halves that time.
    this.#db.pragma('mmap_size = 268435456');
    this.#db.pragma('foreign_keys = ON');
    migrate(this.#db);
    this.users = new SqliteUsers(this.#db);
    this.sessions = new SqliteSessions(this.#db);
    this.throttle = new SqliteThrottle(this.#db);
    this.knownDevices = new SqliteKnownDevices(this.#db);
    this.enrollmentTokens = new SqliteEnrollmentTokens(this.#db);
    this.audit = new SqliteAuditLog(this.#db);
    this.agents = new SqliteAgents(this.#db);
  }

  async pull(scope: Scope, collection: CollectionName, checkpoint: Checkpoint, limit: number): Promise<PullPage> {
    return this.#pullPage(scope, collection, checkpoint, limit, 'body', (row) => decodeDocument(String(row.body), row.deleted === 1));
  }

  async pullJson(scope: Scope, collection: CollectionName, checkpoint: Checkpoint, limit: number): Promise<PullPage<Uint8Array>> {
    // Bodies as bytes: served without ever becoming JavaScript strings.
    return this.#pullPage(scope, collection, checkpoint, limit, 'CAST(body AS BLOB) AS body', (row) => replicatedJson(row.body as Uint8Array, row.deleted === 1));
  }

  #pullPage<D>(scope: Scope, collection: CollectionName, checkpoint: Checkpoint, limit: number, body: BodyColumn, present: (row: ChangeRow) => D): PullPage<D> {
    // One read transaction: the page, the new checkpoint and `remaining` see the same snapshot.
    return this.#db.transaction(() => {
      const orgs = scopedOrgs(scope, this.#allOrgIds());
      for (const org of orgs) {
        const position = checkpoint[org.orgId] ?? 0;
        if (position > 0 && position < this.#purgedThrough(org.orgId, collection)) {
          throw new ResyncRequiredError(org.orgId);
        }
      }
      const documents: D[] = [];
      const next: Checkpoint = {};
      let remaining = 0;
      for (const org of orgs) {
        let position = checkpoint[org.orgId] ?? 0;
        const room = limit - documents.length;
        if (room > 0) {
          const rows = this.#changesSince(org, collection, position, room, body);
          for (const row of rows) documents.push(present(row));
          position = rows.at(-1)?.seq ?? position;
        }
        next[org.orgId] = position;
        remaining += this.#countSince(org, collection, position);
      }
      return { documents, checkpoint: next, remaining };
    }).deferred();
  }

  async push(
    principal: Principal,
    collection: CollectionName,
    rows: readonly PushRow<StoredDocument>[],
    options: PushOptions = {},
  ): Promise<PushResult> {
    const isSiteScoped = COLLECTIONS[collection].isSiteScoped;
    const select = this.#prepare<[string, string], DocumentRow & ProvenanceColumns>(
      'SELECT id, org_id, seq, revision, deleted, body, written_at, written_by_kind, written_by_id FROM documents WHERE collection = ? AND id = ?',
    );
    const result = this.#db.transaction(() => {
      const conflicts: StoredDocument[] = [];
      const conflictProvenance: WriteProvenance[] = [];
      const rejected: RejectedRow[] = [];
      const written: StoredDocument[] = [];
      const seqByOrg = new Map<string, number>();
      const audit: AuditEntry[] = [];
      const policy = pushPolicy(principal, collection, options);
      for (const [index, row] of rows.entries()) {
        const current = select.get(collection, row.newDocumentState.id);
        const stored = current ? { revision: current.revision, document: decodeDocument(current.body, current.deleted === 1) } : undefined;
        const outcome = decidePushRow(index, row, stored, policy);
        if (outcome.kind === 'rejected') rejected.push(outcome.rejected);
        if (outcome.kind === 'conflict' && current) {
          conflicts.push(outcome.master);
          conflictProvenance.push(provenanceFromRow(current.id, current));
        }
        if (outcome.kind !== 'write') continue;
        const document = row.newDocumentState;
        const seq = this.#nextSeq(document.orgId);
        seqByOrg.set(document.orgId, seq);
        this.#upsert(collection, document, outcome.encoded, seq, isSiteScoped, principal);
        written.push(decodeDocument(outcome.encoded.body, outcome.encoded.deleted));
        audit.push(writeAuditEntry(principal, collection, document, outcome.action, this.#now(), options.clientAddress));
      }
      appendAuditSync(this.#db, audit);
      return { conflicts, conflictProvenance, rejected, written, seqByOrg };
    }).immediate();
    this.#listeners.emit(groupByOrg(collection, result.written, result.seqByOrg));
    return { conflicts: result.conflicts, conflictProvenance: result.conflictProvenance, rejected: result.rejected, written: result.written.length };
  }

  async getMany(collection: CollectionName, ids: readonly string[]): Promise<StoredDocument[]> {
    const select = this.#prepare<[string, string], DocumentRow>(
      'SELECT id, org_id, seq, revision, deleted, body FROM documents WHERE collection = ? AND id = ?',
    );
    return ids.flatMap((id) => {
      const row = select.get(collection, id);
      return row ? [decodeDocument(row.body, row.deleted === 1)] : [];
    });
  }

  async insertMany(collection: CollectionName, documents: readonly StoredDocument[]): Promise<void> {
    const isSiteScoped = COLLECTIONS[collection].isSiteScoped;
    this.#db.transaction(() => {
      for (const document of documents) {
        this.#upsert(collection, document, encodeDocument(document), this.#nextSeq(document.orgId), isSiteScoped, SYSTEM_WRITER);
      }
    }).immediate();
  }

  async countLiveUpdates(key: CollabTextKey): Promise<Map<string | null, number>> {
    const rows = this.#prepare<[string, string, string], { site_id: string | null; count: number }>(
        `SELECT site_id, count(*) AS count FROM documents WHERE ${LIVE_UPDATES_OF_TEXT} GROUP BY site_id`,
      )
      .all(key.targetId, key.orgId, key.targetCollection);
    return new Map(rows.map((row) => [row.site_id, row.count]));
  }

  async compactText(principal: Principal, key: CollabTextKey, plan: CompactionPlanner): Promise<number> {
    // The write lock of an immediate transaction is the text's lock: one writer at a time.
    const result = this.#db.transaction(() => {
      const live = this.#prepare<[string, string, string], DocumentRow>(
          `SELECT id, org_id, seq, revision, deleted, body FROM documents WHERE ${LIVE_UPDATES_OF_TEXT} ORDER BY seq`,
        )
        .all(key.targetId, key.orgId, key.targetCollection)
        .map((row) => decodeDocument(row.body, false));
      const documents = plan(live) ?? [];
      const written: StoredDocument[] = [];
      const seqByOrg = new Map<string, number>();
      for (const document of documents) {
        if (document.orgId !== key.orgId) throw new Error('a compaction writes only in the organization of its text');
        const seq = this.#nextSeq(document.orgId);
        seqByOrg.set(document.orgId, seq);
        const encoded = encodeDocument(document);
        this.#upsert('doc_updates', document, encoded, seq, true, principal);
        written.push(decodeDocument(encoded.body, encoded.deleted));
      }
      const action = (d: StoredDocument) => (d._deleted ? 'delete' : 'create');
      appendAuditSync(this.#db, written.map((d) => writeAuditEntry(principal, 'doc_updates', d, action(d), this.#now(), undefined)));
      return { written, seqByOrg };
    }).immediate();
    this.#listeners.emit(groupByOrg('doc_updates', result.written, result.seqByOrg));
    return result.written.length;
  }

  async purgeTombstones(writtenBefore: Date): Promise<number> {
    return this.#db.transaction(() => {
      const cutoff = writtenBefore.getTime();
      const groups = this.#prepare<[number], { org_id: string; collection: string; max_seq: number }>(
          `SELECT org_id, collection, max(seq) AS max_seq FROM documents
           WHERE deleted = 1 AND written_at < ? GROUP BY org_id, collection`,
        )
        .all(cutoff);
      const mark = this.#prepare(
        `INSERT INTO tombstone_purges (org_id, collection, purged_seq) VALUES (?, ?, ?)
         ON CONFLICT (org_id, collection) DO UPDATE SET purged_seq = max(purged_seq, excluded.purged_seq)`,
      );
      for (const group of groups) mark.run(group.org_id, group.collection, group.max_seq);
      return this.#prepare('DELETE FROM documents WHERE deleted = 1 AND written_at < ?').run(cutoff).changes;
    }).immediate();
  }

  async ping(): Promise<void> {
    this.#prepare('SELECT 1').get();
  }

  async countDocuments(): Promise<number> {
    return this.#prepare('SELECT count(*) FROM documents').pluck().get() as number;
  }

  onChange(listener: ChangeListener): () => void {
    return this.#listeners.add(listener);
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  readonly #statements = new Map<string, Database.Statement>();

  /** Statements are compiled once per SQL text: pulls and pushes reuse them. */
  #prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement as unknown as Database.Statement<P, R>;
  }

  #allOrgIds(): string[] {
    return this.#prepare('SELECT org_id FROM org_sequences ORDER BY org_id').pluck().all() as string[];
  }

  #purgedThrough(orgId: string, collection: CollectionName): number {
    const seq = this.#prepare('SELECT purged_seq FROM tombstone_purges WHERE org_id = ? AND collection = ?')
      .pluck()
      .get(orgId, collection) as number | undefined;
    return seq ?? 0;
  }

  #changesSince(org: ResolvedOrgScope, collection: CollectionName, seq: number, limit: number, body: BodyColumn): ChangeRow[] {
    const { clause, params } = siteFilter(org, collection);
    return this.#prepare<unknown[], ChangeRow>(
        `SELECT seq, deleted, ${body} FROM documents
         WHERE org_id = ? AND collection = ? AND seq > ? ${clause} ORDER BY seq LIMIT ?`,
      )
      .all(org.orgId, collection, seq, ...params, limit);
  }

  #countSince(org: ResolvedOrgScope, collection: CollectionName, seq: number): number {
    const { clause, params } = siteFilter(org, collection);
    return this.#prepare(`SELECT count(*) FROM documents WHERE org_id = ? AND collection = ? AND seq > ? ${clause}`)
      .pluck()
      .get(org.orgId, collection, seq, ...params) as number;
  }

  /** Called inside the write transaction: SQLite's single writer serializes sequence assignment. */
  #nextSeq(orgId: string): number {
    return this.#prepare(
        `INSERT INTO org_sequences (org_id, last_seq) VALUES (?, 1)
         ON CONFLICT (org_id) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq`,
      )
      .pluck()
      .get(orgId) as number;
  }

  #upsert(collection: CollectionName, document: StoredDocument, encoded: ReturnType<typeof encodeDocument>, seq: number, isSiteScoped: boolean, writer: Writer): void {
    this.#prepare(
        `INSERT INTO documents (collection, id, org_id, site_id, seq, revision, deleted, body, written_at, written_by_kind, written_by_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (collection, id) DO UPDATE SET
           site_id = excluded.site_id, seq = excluded.seq, revision = excluded.revision,
           deleted = excluded.deleted, body = excluded.body, written_at = excluded.written_at,
           written_by_kind = excluded.written_by_kind, written_by_id = excluded.written_by_id`,
      )
      .run(
        collection,
        document.id,
        document.orgId,
        isSiteScoped ? (document.siteId ?? null) : null,
        seq,
        encoded.revision,
        encoded.deleted ? 1 : 0,
        encoded.body,
        this.#now(),
        writer.kind,
        writer.id,
      );
  }
}

/** The live updates of one text (targetId, orgId, targetCollection): the partial index's terms. */
const LIVE_UPDATES_OF_TEXT = `collection = 'doc_updates' AND deleted = 0 AND json_extract(body, '$.targetId') = ?
  AND org_id = ? AND json_extract(body, '$.targetCollection') = ?`;

/** A document without a site (allowed only where its schema says so) belongs to the whole organization. */
function siteFilter(org: ResolvedOrgScope, collection: CollectionName): { clause: string; params: string[] } {
  if (org.siteIds === 'all' || !COLLECTIONS[collection].isSiteScoped) return { clause: '', params: [] };
  if (org.siteIds.length === 0) return { clause: 'AND site_id IS NULL', params: [] };
  return { clause: `AND (site_id IS NULL OR site_id IN (${org.siteIds.map(() => '?').join(', ')}))`, params: [...org.siteIds] };
}

function groupByOrg(collection: CollectionName, documents: StoredDocument[], seqByOrg: Map<string, number>): ChangeBatch[] {
  const byOrg = new Map<string, StoredDocument[]>();
  for (const document of documents) {
    const list = byOrg.get(document.orgId) ?? [];
    list.push(document);
    byOrg.set(document.orgId, list);
  }
  return [...byOrg].map(([orgId, docs]) => ({ collection, orgId, documents: docs, seq: seqByOrg.get(orgId) ?? 0 }));
}
