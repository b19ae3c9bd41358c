import type Database from 'better-sqlite3';
import type { EnrollmentTokenRecord, EnrollmentTokenStore } from '../../accounts.ts';
import { enrollmentTokenFromRow, type EnrollmentTokenRow } from '../../rows.ts';

export class SqliteEnrollmentTokens implements EnrollmentTokenStore {
  constructor(private readonly db: Database.Database) {}

  async create(token: EnrollmentTokenRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO enrollment_tokens (id, token_hash, org_id, site_id, created_by, created_at, expires_at, revoked_at, uses, max_uses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(token.id, token.tokenHash, token.orgId, token.siteId, token.createdBy, token.createdAt, token.expiresAt, token.revokedAt ?? null, token.uses, token.maxUses ?? null);
  }

  async get(id: string): Promise<EnrollmentTokenRecord | undefined> {
    const row = this.db.prepare<[string], EnrollmentTokenRow>('SELECT * FROM enrollment_tokens WHERE id = ?').get(id);
    return row ? enrollmentTokenFromRow(row) : undefined;
  }

  async findByHash(tokenHash: string): Promise<EnrollmentTokenRecord | undefined> {
    const row = this.db.prepare<[string], EnrollmentTokenRow>('SELECT * FROM enrollment_tokens WHERE token_hash = ?').get(tokenHash);
    return row ? enrollmentTokenFromRow(row) : undefined;
  }

  async listInOrgs(orgIds: readonly string[], limit: number): Promise<EnrollmentTokenRecord[]> {
    if (orgIds.length === 0) return [];
    return this.db
      .prepare<(string | number)[], EnrollmentTokenRow>(
        `SELECT * FROM enrollment_tokens WHERE org_id IN (${orgIds.map(() => '?').join(', ')}) ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(...orgIds, limit)
      .map(enrollmentTokenFromRow);
  }

  async revoke(id: string, now: number): Promise<boolean> {
    return this.db.prepare('UPDATE enrollment_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes > 0;
  }

  async claimUse(id: string, now: number): Promise<boolean> {
    return (
      this.db
        .prepare('UPDATE enrollment_tokens SET uses = uses + 1 WHERE id = ? AND revoked_at IS NULL AND expires_at > ? AND (max_uses IS NULL OR uses < max_uses)')
        .run(id, now).changes > 0
    );
  }
}
