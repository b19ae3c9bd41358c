import type Database from 'better-sqlite3';
import type { KnownDeviceRecord, KnownDeviceStore } from '../../accounts.ts';
import { knownDeviceFromRow, type KnownDeviceRow } from '../../rows.ts';

export class SqliteKnownDevices implements KnownDeviceStore {
  constructor(private readonly db: Database.Database) {}

  async create(device: KnownDeviceRecord): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM known_devices WHERE user_id = ? AND expires_at <= ?').run(device.userId, device.createdAt);
      this.db
        .prepare('INSERT INTO known_devices (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(device.tokenHash, device.userId, device.createdAt, device.expiresAt);
    }).immediate();
  }

  async find(tokenHash: string): Promise<KnownDeviceRecord | undefined> {
    const row = this.db.prepare<[string], KnownDeviceRow>('SELECT * FROM known_devices WHERE token_hash = ?').get(tokenHash);
    return row ? knownDeviceFromRow(row) : undefined;
  }

  async deleteAllOf(userId: string): Promise<number> {
    return this.db.prepare('DELETE FROM known_devices WHERE user_id = ?').run(userId).changes;
  }
}
