import type pg from 'pg';
import type { EnrollmentTokenRecord, EnrollmentTokenStore } from '../../accounts.ts';
import { enrollmentTokenFromRow, type EnrollmentTokenRow } from '../../rows.ts';

export class PostgresEnrollmentTokens implements EnrollmentTokenStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(token: EnrollmentTokenRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO enrollment_tokens (id, token_hash, org_id, site_id, created_by, created_at, expires_at, revoked_at, uses, max_uses) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
      [token.id, token.tokenHash, token.orgId, token.siteId, token.createdBy, token.createdAt, token.expiresAt, token.revokedAt ?? null, token.uses, token.maxUses ?? null],
    );
  }

  async get(id: string): Promise<EnrollmentTokenRecord | undefined> {
    const { rows } = await this.pool.query<EnrollmentTokenRow>('SELECT * FROM enrollment_tokens WHERE id = $1', [id]);
    return rows[0] ? enrollmentTokenFromRow(rows[0]) : undefined;
  }

  async findByHash(tokenHash: string): Promise<EnrollmentTokenRecord | undefined> {
    const { rows } = await this.pool.query<EnrollmentTokenRow>('SELECT * FROM enrollment_tokens WHERE token_hash = $1', [tokenHash]);
    return rows[0] ? enrollmentTokenFromRow(rows[0]) : undefined;
  }

  async listInOrgs(orgIds: readonly string[], limit: number): Promise<EnrollmentTokenRecord[]> {
    if (orgIds.length === 0) return [];
    const { rows } = await this.pool.query<EnrollmentTokenRow>(
      'SELECT * FROM enrollment_tokens WHERE org_id = ANY($1::text[]) ORDER BY created_at DESC, id DESC LIMIT $2',
      [[...orgIds], limit],
    );
    return rows.map(enrollmentTokenFromRow);
  }

  async revoke(id: string, now: number): Promise<boolean> {
    return ((await this.pool.query('UPDATE enrollment_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [id, now])).rowCount ?? 0) > 0;
  }

  async claimUse(id: string, now: number): Promise<boolean> {
    // One statement: the row lock serializes uses claimed on several instances at once, and the
    // condition is re-checked on the row as it is after the one before.
    const result = await this.pool.query(
      'UPDATE enrollment_tokens SET uses = uses + 1 WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2 AND (max_uses IS NULL OR uses < max_uses)',
      [id, now],
    );
    return (result.rowCount ?? 0) > 0;
  }
}
