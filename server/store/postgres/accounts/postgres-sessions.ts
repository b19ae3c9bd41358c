import type pg from 'pg';
import type { SessionRecord, SessionStore } from '../../accounts.ts';
import { sessionFromRow, type SessionRow } from '../../rows.ts';

export class PostgresSessions implements SessionStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(session: SessionRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, client_address, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [session.tokenHash, session.userId, session.createdAt, session.lastSeenAt, session.expiresAt, session.clientAddress ?? null, session.userAgent ?? null],
    );
  }

  async find(tokenHash: string): Promise<SessionRecord | undefined> {
    const { rows } = await this.pool.query<SessionRow>('SELECT * FROM sessions WHERE token_hash = $1', [tokenHash]);
    const row = rows[0];
    if (!row) return undefined;
    return sessionFromRow(row);
  }

  async touch(tokenHash: string, lastSeenAt: number, expiresAt: number): Promise<void> {
    await this.pool.query('UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1', [tokenHash, lastSeenAt, expiresAt]);
  }

  async delete(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async deleteAllOf(userId: string): Promise<number> {
    return (await this.pool.query('DELETE FROM sessions WHERE user_id = $1', [userId])).rowCount ?? 0;
  }
}
