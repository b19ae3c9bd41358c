import type Database from 'better-sqlite3';
import type { AuditEntry, AuditLog, AuditRecord } from '../../accounts.ts';
import { auditFromRow, type AuditRow } from '../../rows.ts';

export class SqliteAuditLog implements AuditLog {
  constructor(private readonly db: Database.Database) {}

  async append(entries: readonly AuditEntry[]): Promise<void> {
    appendAuditSync(this.db, entries);
  }

  async list(orgIds: readonly string[], cursor: number, limit: number): Promise<AuditRecord[]> {
    if (orgIds.length === 0) return [];
    const rows = this.db
      .prepare<unknown[], AuditRow>(
        `SELECT * FROM audit_log WHERE org_id IN (${orgIds.map(() => '?').join(', ')}) AND id > ? ORDER BY id LIMIT ?`,
      )
      .all(...orgIds, cursor, limit);
    return rows.map(auditFromRow);
  }
}

/** Synchronous form, so a write and its audit entries commit in one transaction. */
export function appendAuditSync(db: Database.Database, entries: readonly AuditEntry[]): void {
  const insert = db.prepare(
    `INSERT INTO audit_log (at, actor_kind, actor_id, action, org_id, collection, document_id, client_address, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const e of entries) {
    insert.run(
      e.at,
      e.actorKind,
      e.actorId,
      e.action,
      e.orgId ?? null,
      e.collection ?? null,
      e.documentId ?? null,
      e.clientAddress ?? null,
      e.detail === undefined ? null : JSON.stringify(e.detail),
    );
  }
}
