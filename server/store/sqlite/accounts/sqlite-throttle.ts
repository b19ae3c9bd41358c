import type Database from 'better-sqlite3';
import type { ThrottleState, ThrottleStep, ThrottleStore } from '../../accounts.ts';
import { throttleFromRow, type ThrottleRow } from '../../rows.ts';

export class SqliteThrottle implements ThrottleStore {
  constructor(private readonly db: Database.Database) {}

  async get(key: string): Promise<ThrottleState | undefined> {
    const row = this.db.prepare<[string], ThrottleRow>('SELECT * FROM login_throttle WHERE key = ?').get(key);
    return row ? throttleFromRow(row) : undefined;
  }

  async update<T>(keys: readonly string[], step: (states: ReadonlyMap<string, ThrottleState>) => ThrottleStep<T>): Promise<T> {
    // IMMEDIATE takes the write lock before reading: no other connection counts in between.
    return this.db.transaction(() => {
      const read = this.db.prepare<[string], ThrottleRow>('SELECT * FROM login_throttle WHERE key = ?');
      const states = new Map<string, ThrottleState>();
      for (const key of new Set(keys)) {
        const row = read.get(key);
        if (row) states.set(key, throttleFromRow(row));
      }
      const { writes, result } = step(states);
      const upsert = this.db.prepare(
        `INSERT INTO login_throttle (key, failures, locked_until, last_failure, window_started_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until,
           last_failure = excluded.last_failure, window_started_at = excluded.window_started_at`,
      );
      const remove = this.db.prepare('DELETE FROM login_throttle WHERE key = ?');
      for (const [key, state] of writes) {
        if (state) upsert.run(key, state.failures, state.lockedUntil, state.lastFailureAt, state.windowStartedAt);
        else remove.run(key);
      }
      return result;
    }).immediate();
  }
}
