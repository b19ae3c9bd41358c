import type pg from 'pg';
import type { KnownDeviceRecord, KnownDeviceStore } from '../../accounts.ts';
import { knownDeviceFromRow, type KnownDeviceRow } from '../../rows.ts';

export class PostgresKnownDevices implements KnownDeviceStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(device: KnownDeviceRecord): Promise<void> {
    // One statement: the user's expired devices go as the new one arrives.
    await this.pool.query(
      `WITH expired AS (DELETE FROM known_devices WHERE user_id = $2 AND expires_at <= $3)
       INSERT INTO known_devices (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
      [device.tokenHash, device.userId, device.createdAt, device.expiresAt],
    );
  }

  async find(tokenHash: string): Promise<KnownDeviceRecord | undefined> {
    const { rows } = await this.pool.query<KnownDeviceRow>('SELECT * FROM known_devices WHERE token_hash = $1', [tokenHash]);
    return rows[0] ? knownDeviceFromRow(rows[0]) : undefined;
  }

  async deleteAllOf(userId: string): Promise<number> {
    return (await this.pool.query('DELETE FROM known_devices WHERE user_id = $1', [userId])).rowCount ?? 0;
  }
}
