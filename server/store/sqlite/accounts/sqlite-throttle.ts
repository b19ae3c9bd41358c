import type Database from 'better-sqlite3';
import type { ThrottleState, ThrottleStore } from '../../accounts.ts';

export class SqliteThrottle implements ThrottleStore {
  constructor(private readonly db: Database.Database) {}

  async get(key: string): Promise<ThrottleState | undefined> {
    const row = this.db
      .prepare<[string], { failures: number; locked_until: number }>('SELECT failures, locked_until FROM login_throttle WHERE key = ?')
      .get(key);
    return row ? { failures: row.failures, lockedUntil: row.locked_until } : undefined;
  }

  async recordFailure(key: string, now: number, lockFor: (failures: number) => number, forgetAfterMs: number): Promise<ThrottleState> {
    return this.db.transaction(() => {
      const previous = this.db
        .prepare<[string], { failures: number; last_failure: number }>('SELECT failures, last_failure FROM login_throttle WHERE key = ?')
        .get(key);
      const failures = previous && now - previous.last_failure < forgetAfterMs ? previous.failures : 0;
      const next = { failures: failures + 1, lockedUntil: now + lockFor(failures + 1) };
      this.db
        .prepare(
          `INSERT INTO login_throttle (key, failures, locked_until, last_failure) VALUES (?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, last_failure = excluded.last_failure`,
        )
        .run(key, next.failures, next.lockedUntil, now);
      return next;
    }).immediate();
  }

  async clear(key: string): Promise<void> {
    this.db.prepare('DELETE FROM login_throttle WHERE key = ?').run(key);
  }
}
