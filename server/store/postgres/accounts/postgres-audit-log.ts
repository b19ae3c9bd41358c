import type pg from 'pg';
import type { AuditEntry, AuditLog, AuditRecord } from '../../accounts.ts';
import { inTransaction, type Queryable } from '../connection.ts';
import { auditFromRow, type AuditRow } from '../../rows.ts';

/**
 * Readers page by id, but with concurrent writers an id can commit after a larger one, and a
 * cursor would pass it for good. So every transaction that appends takes this advisory lock in
 * shared mode first (appenders never wait for each other), and `list` takes it exclusively before
 * reading: it waits for the appends in flight, and any id allocated after its read is larger than
 * every id it saw. New appends wait only for that one short read.
 */
export function takeAuditWriterLock(db: Queryable, lockKey: string): Promise<unknown> {
  return db.query('SELECT pg_advisory_xact_lock_shared($1::bigint)', [lockKey]);
}

export class PostgresAuditLog implements AuditLog {
  constructor(
    private readonly pool: pg.Pool,
    private readonly lockKey: string,
  ) {}

  async append(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await inTransaction(this.pool, async (db) => {
      await takeAuditWriterLock(db, this.lockKey);
      await appendAudit(db, entries);
    });
  }

  async list(orgIds: readonly string[], cursor: number, limit: number): Promise<AuditRecord[]> {
    if (orgIds.length === 0) return [];
    const rows = await inTransaction(this.pool, async (db) => {
      await db.query('SELECT pg_advisory_xact_lock($1::bigint)', [this.lockKey]);
      const result = await db.query<AuditRow>('SELECT * FROM audit_log WHERE org_id = ANY($1::text[]) AND id > $2 ORDER BY id LIMIT $3', [
        [...orgIds],
        cursor,
        limit,
      ]);
      return result.rows;
    });
    return rows.map(auditFromRow);
  }
}

/** Inside the caller's transaction (after takeAuditWriterLock), so a write and its entries commit together. */
export async function appendAudit(db: Queryable, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    `INSERT INTO audit_log (at, actor_kind, actor_id, action, org_id, collection, document_id, client_address, detail)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
    [
      entries.map((e) => e.at),
      entries.map((e) => e.actorKind),
      entries.map((e) => e.actorId),
      entries.map((e) => e.action),
      entries.map((e) => e.orgId ?? null),
      entries.map((e) => e.collection ?? null),
      entries.map((e) => e.documentId ?? null),
      entries.map((e) => e.clientAddress ?? null),
      entries.map((e) => (e.detail === undefined ? null : JSON.stringify(e.detail))),
    ],
  );
}
