import type Database from 'better-sqlite3';
import type { EnrollmentTokenRecord, EnrollmentTokenStore } from '../../accounts.ts';

interface TokenRow {
  id: string;
  token_hash: string;
  org_id: string;
  site_id: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  uses: number;
}

const fromRow = (row: TokenRow): EnrollmentTokenRecord => ({
  id: row.id,
  tokenHash: row.token_hash,
  orgId: row.org_id,
  siteId: row.site_id,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at ?? undefined,
  uses: row.uses,
});

export class SqliteEnrollmentTokens implements EnrollmentTokenStore {
  constructor(private readonly db: Database.Database) {}

  async create(token: EnrollmentTokenRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO enrollment_tokens (id, token_hash, org_id, site_id, created_by, created_at, expires_at, revoked_at, uses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(token.id, token.tokenHash, token.orgId, token.siteId, token.createdBy, token.createdAt, token.expiresAt, token.revokedAt ?? null, token.uses);
  }

  async get(id: string): Promise<EnrollmentTokenRecord | undefined> {
    const row = this.db.prepare<[string], TokenRow>('SELECT * FROM enrollment_tokens WHERE id = ?').get(id);
    return row ? fromRow(row) : undefined;
  }

  async findByHash(tokenHash: string): Promise<EnrollmentTokenRecord | undefined> {
    const row = this.db.prepare<[string], TokenRow>('SELECT * FROM enrollment_tokens WHERE token_hash = ?').get(tokenHash);
    return row ? fromRow(row) : undefined;
  }

  async revoke(id: string, now: number): Promise<boolean> {
    return this.db.prepare('UPDATE enrollment_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes > 0;
  }

  async recordUse(id: string): Promise<void> {
    this.db.prepare('UPDATE enrollment_tokens SET uses = uses + 1 WHERE id = ?').run(id);
  }
}
