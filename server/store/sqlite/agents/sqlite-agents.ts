import type Database from 'better-sqlite3';
import type { AgentDeviceRecord, AgentIngestUpdate, AgentStore } from '../../agents.ts';
import { agentFromRow, type AgentRow } from '../../rows.ts';

export class SqliteAgents implements AgentStore {
  readonly #isSeen: Database.Statement<[string], number>;
  readonly #save: Database.Statement<[number, string, string]>;
  readonly #mark: Database.Statement<[string, string, number]>;

  constructor(private readonly db: Database.Database) {
    this.#isSeen = db.prepare<[string], number>('SELECT 1 FROM agent_records WHERE record_id = ?').pluck();
    this.#save = db.prepare<[number, string, string]>('UPDATE agent_devices SET last_seen_at = ?, telemetry_state = ? WHERE device_id = ?');
    this.#mark = db.prepare<[string, string, number]>('INSERT OR IGNORE INTO agent_records (record_id, device_id, received_at) VALUES (?, ?, ?)');
  }

  async create(device: AgentDeviceRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO agent_devices (device_id, org_id, site_id, secret_hash, enrollment_token_id, enrolled_at, revoked_at, last_seen_at, telemetry_state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(device.deviceId, device.orgId, device.siteId, device.secretHash, device.enrollmentTokenId ?? null, device.enrolledAt,
        device.revokedAt ?? null, device.lastSeenAt ?? null, JSON.stringify(device.telemetryState ?? {}));
  }

  async get(deviceId: string): Promise<AgentDeviceRecord | undefined> {
    const row = this.db.prepare<[string], AgentRow>('SELECT * FROM agent_devices WHERE device_id = ?').get(deviceId);
    return row ? agentFromRow(row) : undefined;
  }

  async unseenRecordIds(recordIds: readonly string[]): Promise<Set<string>> {
    return new Set(recordIds.filter((id) => this.#isSeen.get(id) === undefined));
  }

  async saveIngest(updates: readonly AgentIngestUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    this.db.transaction(() => {
      for (const update of updates) {
        this.#save.run(update.lastSeenAt, JSON.stringify(update.telemetryState), update.deviceId);
        for (const id of update.recordIds) this.#mark.run(id, update.deviceId, update.lastSeenAt);
      }
    }).immediate();
  }

  async listSeenBefore(before: number): Promise<AgentDeviceRecord[]> {
    return this.db
      .prepare<[number], AgentRow>('SELECT * FROM agent_devices WHERE revoked_at IS NULL AND last_seen_at IS NOT NULL AND last_seen_at < ?')
      .all(before)
      .map(agentFromRow);
  }

  async revoke(deviceId: string, now: number): Promise<boolean> {
    return this.db.prepare('UPDATE agent_devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL').run(now, deviceId).changes > 0;
  }

  async forgetRecordsBefore(before: number): Promise<number> {
    return this.db.prepare('DELETE FROM agent_records WHERE received_at < ?').run(before).changes;
  }
}
