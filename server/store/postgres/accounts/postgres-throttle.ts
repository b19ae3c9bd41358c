import type pg from 'pg';
import type { ThrottleState, ThrottleStore } from '../../accounts.ts';
import { inTransaction } from '../connection.ts';

export class PostgresThrottle implements ThrottleStore {
  constructor(private readonly pool: pg.Pool) {}

  async get(key: string): Promise<ThrottleState | undefined> {
    const { rows } = await this.pool.query<{ failures: number; locked_until: number }>('SELECT failures, locked_until FROM login_throttle WHERE key = $1', [key]);
    const row = rows[0];
    return row ? { failures: row.failures, lockedUntil: row.locked_until } : undefined;
  }

  async recordFailure(key: string, now: number, lockFor: (failures: number) => number, forgetAfterMs: number): Promise<ThrottleState> {
    return inTransaction(this.pool, async (db) => {
      // Creates or locks the key's row first: concurrent failures on several instances count one by one.
      const { rows } = await db.query<{ failures: number; last_failure: number }>(
        `INSERT INTO login_throttle (key, failures, locked_until, last_failure) VALUES ($1, 0, 0, $2)
         ON CONFLICT (key) DO UPDATE SET key = excluded.key
         RETURNING failures, last_failure`,
        [key, now],
      );
      const previous = rows[0];
      const failures = previous && now - previous.last_failure < forgetAfterMs ? previous.failures : 0;
      const next = { failures: failures + 1, lockedUntil: now + lockFor(failures + 1) };
      await db.query('UPDATE login_throttle SET failures = $2, locked_until = $3, last_failure = $4 WHERE key = $1', [key, next.failures, next.lockedUntil, now]);
      return next;
    });
  }

  async clear(key: string): Promise<void> {
    await this.pool.query('DELETE FROM login_throttle WHERE key = $1', [key]);
  }
}
