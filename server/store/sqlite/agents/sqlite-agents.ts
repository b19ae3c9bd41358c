import type Database from 'better-sqlite3';
import { latestPerDevice, newStateStamp, type AgentDeviceRecord, type AgentIngestUpdate, type AgentStore, type NewAgentDevice, type SavedIngest } from '../../agents.ts';
import { agentFromRow, type AgentRow } from '../../rows.ts';

interface SaveParameters {
  deviceId: string;
  lastSeenAt: number;
  state: string;
  basedOn: string;
  newStamp: string;
}

interface SaveResult {
  state_stamp: string;
  is_saved: 0 | 1;
  revoked_at: number | null;
}

export class SqliteAgents implements AgentStore {
  readonly #isSeen: Database.Statement<[string], number>;
  readonly #save: Database.Statement<[SaveParameters], SaveResult>;
  readonly #mark: Database.Statement<[string, string, number]>;

  constructor(private readonly db: Database.Database) {
    this.#isSeen = db.prepare<[string], number>('SELECT 1 FROM agent_records WHERE record_id = ?').pluck();
    // The same rule as PostgreSQL's: last seen only moves forward, a state only replaces the one it came from.
    this.#save = db.prepare<[SaveParameters], SaveResult>(
      `UPDATE agent_devices SET
         last_seen_at = max(coalesce(last_seen_at, @lastSeenAt), @lastSeenAt),
         telemetry_state = CASE WHEN state_stamp = @basedOn THEN @state ELSE telemetry_state END,
         state_stamp = CASE WHEN state_stamp = @basedOn THEN @newStamp ELSE state_stamp END
       WHERE device_id = @deviceId
       RETURNING state_stamp, state_stamp = @newStamp AS is_saved, revoked_at`,
    );
    this.#mark = db.prepare<[string, string, number]>('INSERT OR IGNORE INTO agent_records (record_id, device_id, received_at) VALUES (?, ?, ?)');
  }

  async create(device: NewAgentDevice): Promise<void> {
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

  async saveIngest(updates: readonly AgentIngestUpdate[]): Promise<SavedIngest[]> {
    if (updates.length === 0) return [];
    return this.db.transaction(() => {
      const saved: SavedIngest[] = [];
      for (const u of latestPerDevice(updates)) {
        const row = this.#save.get({ deviceId: u.deviceId, lastSeenAt: u.lastSeenAt, state: JSON.stringify(u.telemetryState), basedOn: u.basedOnStamp, newStamp: newStateStamp() });
        if (row) saved.push({ deviceId: u.deviceId, isSaved: row.is_saved === 1, stateStamp: row.state_stamp, revokedAt: row.revoked_at ?? undefined });
      }
      for (const update of updates) for (const id of update.recordIds) this.#mark.run(id, update.deviceId, update.lastSeenAt);
      return saved;
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
