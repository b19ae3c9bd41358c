import type pg from 'pg';
import type { ThrottleState, ThrottleStep, ThrottleStore } from '../../accounts.ts';
import { throttleFromRow, type ThrottleRow } from '../../rows.ts';
import { inTransaction } from '../connection.ts';

export class PostgresThrottle implements ThrottleStore {
  constructor(private readonly pool: pg.Pool) {}

  async get(key: string): Promise<ThrottleState | undefined> {
    const { rows } = await this.pool.query<ThrottleRow>('SELECT * FROM login_throttle WHERE key = $1', [key]);
    return rows[0] ? throttleFromRow(rows[0]) : undefined;
  }

  async update<T>(keys: readonly string[], step: (states: ReadonlyMap<string, ThrottleState>) => ThrottleStep<T>): Promise<T> {
    const distinct = [...new Set(keys)].sort();
    return inTransaction(this.pool, async (db) => {
      // Creates or locks every key's row first, in one order (no deadlock between attempts
      // sharing keys): concurrent attempts on several instances are decided one by one. A row
      // made here only to be locked (xmax = 0: inserted by this statement) stands for no state.
      const { rows } = await db.query<ThrottleRow & { is_new: boolean }>(
        `INSERT INTO login_throttle (key, failures, locked_until, last_failure, window_started_at)
           SELECT key, 0, 0, 0, 0 FROM unnest($1::text[]) AS key ORDER BY key
         ON CONFLICT (key) DO UPDATE SET key = excluded.key
         RETURNING *, (xmax = 0) AS is_new`,
        [distinct],
      );
      const states = new Map(rows.filter((row) => !row.is_new).map((row) => [row.key, throttleFromRow(row)] as const));
      const { writes, result } = step(states);
      const updates = [...writes].flatMap(([key, state]) => (state ? [{ key, state }] : []));
      // Deleted: what the step forgot, and rows made only to be locked that it left alone.
      const deletes = [...distinct.filter((key) => !states.has(key) && !writes.has(key)), ...[...writes].filter(([, state]) => !state).map(([key]) => key)];
      if (updates.length > 0) {
        await db.query(
          `UPDATE login_throttle AS t
             SET failures = w.failures, locked_until = w.locked_until, last_failure = w.last_failure, window_started_at = w.window_started_at
           FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) AS w (key, failures, locked_until, last_failure, window_started_at)
           WHERE t.key = w.key`,
          [
            updates.map((u) => u.key),
            updates.map((u) => u.state.failures),
            updates.map((u) => u.state.lockedUntil),
            updates.map((u) => u.state.lastFailureAt),
            updates.map((u) => u.state.windowStartedAt),
          ],
        );
      }
      if (deletes.length > 0) await db.query('DELETE FROM login_throttle WHERE key = ANY($1::text[])', [deletes]);
      return result;
    });
  }
}
