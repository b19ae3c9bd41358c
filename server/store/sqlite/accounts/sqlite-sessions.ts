import type Database from 'better-sqlite3';
import type { SessionRecord, SessionStore } from '../../accounts.ts';
import { sessionFromRow, type SessionRow } from '../../rows.ts';

export class SqliteSessions implements SessionStore {
  constructor(private readonly db: Database.Database) {}

  async create(session: SessionRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, client_address, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(session.tokenHash, session.userId, session.createdAt, session.lastSeenAt, session.expiresAt, session.clientAddress ?? null, session.userAgent ?? null);
  }

  async find(tokenHash: string): Promise<SessionRecord | undefined> {
    const row = this.db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash);
    if (!row) return undefined;
    return sessionFromRow(row);
  }

  async touch(tokenHash: string, lastSeenAt: number, expiresAt: number): Promise<void> {
    this.db.prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ?').run(lastSeenAt, expiresAt, tokenHash);
  }

  async delete(tokenHash: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  async deleteAllOf(userId: string): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
  }
}
