import type pg from 'pg';
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

export class PostgresEnrollmentTokens implements EnrollmentTokenStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(token: EnrollmentTokenRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO enrollment_tokens (id, token_hash, org_id, site_id, created_by, created_at, expires_at, revoked_at, uses) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [token.id, token.tokenHash, token.orgId, token.siteId, token.createdBy, token.createdAt, token.expiresAt, token.revokedAt ?? null, token.uses],
    );
  }

  async get(id: string): Promise<EnrollmentTokenRecord | undefined> {
    const { rows } = await this.pool.query<TokenRow>('SELECT * FROM enrollment_tokens WHERE id = $1', [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async findByHash(tokenHash: string): Promise<EnrollmentTokenRecord | undefined> {
    const { rows } = await this.pool.query<TokenRow>('SELECT * FROM enrollment_tokens WHERE token_hash = $1', [tokenHash]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async revoke(id: string, now: number): Promise<boolean> {
    return ((await this.pool.query('UPDATE enrollment_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [id, now])).rowCount ?? 0) > 0;
  }

  async recordUse(id: string): Promise<void> {
    // One statement: uses counted on several instances at once all land.
    await this.pool.query('UPDATE enrollment_tokens SET uses = uses + 1 WHERE id = $1', [id]);
  }
}
