import type Database from 'better-sqlite3';
import type { SessionRecord, SessionStore } from '../../accounts.ts';

interface SessionRow {
  token_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  client_address: string | null;
  user_agent: string | null;
}

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
    return {
      tokenHash: row.token_hash,
      userId: row.user_id,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
      clientAddress: row.client_address ?? undefined,
      userAgent: row.user_agent ?? undefined,
    };
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
