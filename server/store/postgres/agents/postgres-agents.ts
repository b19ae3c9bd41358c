import type pg from 'pg';
import { latestPerDevice, newStateStamp, type AgentDeviceRecord, type AgentIngestUpdate, type AgentStore, type NewAgentDevice, type SavedIngest } from '../../agents.ts';
import { inTransaction } from '../connection.ts';
import { agentFromRow, type AgentRow } from '../../rows.ts';

export class PostgresAgents implements AgentStore {
  constructor(private readonly pool: pg.Pool) {}

  async create(device: NewAgentDevice): Promise<void> {
    await this.pool.query(
      `INSERT INTO agent_devices (device_id, org_id, site_id, secret_hash, enrollment_token_id, enrolled_at, revoked_at, last_seen_at, telemetry_state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        device.deviceId,
        device.orgId,
        device.siteId,
        device.secretHash,
        device.enrollmentTokenId ?? null,
        device.enrolledAt,
        device.revokedAt ?? null,
        device.lastSeenAt ?? null,
        JSON.stringify(device.telemetryState ?? {}),
      ],
    );
  }

  async get(deviceId: string): Promise<AgentDeviceRecord | undefined> {
    const { rows } = await this.pool.query<AgentRow>('SELECT * FROM agent_devices WHERE device_id = $1', [deviceId]);
    return rows[0] ? agentFromRow(rows[0]) : undefined;
  }

  async unseenRecordIds(recordIds: readonly string[]): Promise<Set<string>> {
    if (recordIds.length === 0) return new Set();
    const { rows } = await this.pool.query<{ record_id: string }>('SELECT record_id FROM agent_records WHERE record_id = ANY($1::text[])', [[...recordIds]]);
    const seen = new Set(rows.map((row) => row.record_id));
    return new Set(recordIds.filter((id) => !seen.has(id)));
  }

  async saveIngest(updates: readonly AgentIngestUpdate[]): Promise<SavedIngest[]> {
    if (updates.length === 0) return [];
    return inTransaction(this.pool, async (db) => {
      const latest = latestPerDevice(updates).map((u) => ({ ...u, newStamp: newStateStamp() }));
      // One statement, so a concurrent save of the same device by another instance is waited
      // for and then seen: the CASEs compare against the row as that save left it.
      const { rows } = await db.query<{ device_id: string; state_stamp: string; is_saved: boolean; revoked_at: number | null }>(
        `UPDATE agent_devices AS a SET
           last_seen_at = GREATEST(a.last_seen_at, u.last_seen_at),
           telemetry_state = CASE WHEN a.state_stamp = u.based_on THEN u.telemetry_state ELSE a.telemetry_state END,
           state_stamp = CASE WHEN a.state_stamp = u.based_on THEN u.new_stamp ELSE a.state_stamp END
         FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[]) AS u(device_id, last_seen_at, telemetry_state, based_on, new_stamp)
         WHERE a.device_id = u.device_id
         RETURNING a.device_id, a.state_stamp, a.state_stamp = u.new_stamp AS is_saved, a.revoked_at`,
        [
          latest.map((u) => u.deviceId),
          latest.map((u) => u.lastSeenAt),
          latest.map((u) => JSON.stringify(u.telemetryState)),
          latest.map((u) => u.basedOnStamp),
          latest.map((u) => u.newStamp),
        ],
      );
      const records = updates.flatMap((u) => u.recordIds.map((id) => [id, u.deviceId, u.lastSeenAt] as const));
      if (records.length > 0) {
        await db.query(
          `INSERT INTO agent_records (record_id, device_id, received_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ON CONFLICT (record_id) DO NOTHING`,
          [records.map((r) => r[0]), records.map((r) => r[1]), records.map((r) => r[2])],
        );
      }
      return rows.map((row) => ({ deviceId: row.device_id, isSaved: row.is_saved, stateStamp: row.state_stamp, revokedAt: row.revoked_at ?? undefined }));
    });
  }

  async listSeenBefore(before: number): Promise<AgentDeviceRecord[]> {
    const { rows } = await this.pool.query<AgentRow>(
      'SELECT * FROM agent_devices WHERE revoked_at IS NULL AND last_seen_at IS NOT NULL AND last_seen_at < $1',
      [before],
    );
    return rows.map(agentFromRow);
  }

  async revoke(deviceId: string, now: number): Promise<boolean> {
    return ((await this.pool.query('UPDATE agent_devices SET revoked_at = $2 WHERE device_id = $1 AND revoked_at IS NULL', [deviceId, now])).rowCount ?? 0) > 0;
  }

  async forgetRecordsBefore(before: number): Promise<number> {
    return (await this.pool.query('DELETE FROM agent_records WHERE received_at < $1', [before])).rowCount ?? 0;
  }
}
