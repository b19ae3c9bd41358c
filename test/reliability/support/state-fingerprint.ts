import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { TestServer } from '../../support/server.ts';

/**
 * State that changes on a refused request by design, left out of the fingerprint: failed sign-ins,
 * current-password checks and enrollments are counted (throttling) and audited; a session slides
 * on every authenticated request; an agent's last-seen and telemetry soft state are flushed in
 * the background.
 */
const PROJECTIONS: Record<string, string> = {
  login_throttle: 'SELECT 1 WHERE 1 = 0',
  audit_log: "SELECT * FROM audit_log WHERE action NOT IN ('login_failed', 'password_change_failed')",
  sessions: 'SELECT token_hash, user_id, created_at FROM sessions',
  agent_devices: 'SELECT device_id, org_id, site_id, secret_hash, enrollment_token_id, enrolled_at, revoked_at FROM agent_devices',
};

/**
 * A digest of everything a request could change in the server's database, every table, on
 * either engine (SQLite through a connection of the test's own, kept open; PostgreSQL through
 * the server's inspector).
 */
export class StateFingerprint {
  #inspector: Database.Database | undefined;
  #tables: string[] | undefined;

  constructor(private readonly server: TestServer) {
    if (server.engine === 'sqlite') this.#inspector = new Database(server.databaseFile);
  }

  async take(): Promise<string> {
    this.#tables ??= await this.#listTables();
    const hash = createHash('sha256');
    for (const table of this.#tables) {
      const select = PROJECTIONS[table] ?? `SELECT * FROM ${table}`;
      const rows = (await this.#query(select)).map((row) => JSON.stringify(row)).sort();
      hash.update(`${table}\u0000${rows.join('\u0001')}\u0002`);
    }
    return hash.digest('hex');
  }

  close(): void {
    this.#inspector?.close();
  }

  async #listTables(): Promise<string[]> {
    const rows = this.#inspector
      ? this.#inspector.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
      : await this.server.sql("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
    return (rows as { name: string }[]).map((row) => row.name);
  }

  async #query(text: string): Promise<unknown[]> {
    return this.#inspector ? this.#inspector.prepare(text).all() : this.server.sql(text);
  }
}
