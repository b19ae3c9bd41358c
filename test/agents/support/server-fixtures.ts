import type { AgentRecord, CheckRecord } from '../../../shared/agent/protocol.ts';
import type { Alert } from '../../../shared/schema/alert.ts';
import type { Device } from '../../../shared/schema/device.ts';
import type { TelemetryState } from '../../../server/agents/telemetry-pipeline.ts';
import { makeSite } from '../../support/documents.ts';
import type { TestServer } from '../../support/server.ts';

const json = { 'content-type': 'application/json' };

/** A site in the administrator's organization, ready for enrollment tokens. */
export async function addSite(server: TestServer): Promise<string> {
  const site = makeSite(server.orgId);
  await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
  return site.id;
}

export interface IssuedToken {
  id: string;
  token: string;
}

/** What an admin does on the enrollment page: POST /api/admin/enrollment-tokens. */
export async function issueEnrollmentToken(server: TestServer, siteId: string, expiresInHours = 24): Promise<IssuedToken> {
  const response = await server.adminFetch(`${server.url}/api/admin/enrollment-tokens`, { method: 'POST', headers: json, body: JSON.stringify({ siteId, expiresInHours }) });
  if (response.status !== 201) throw new Error(`issuing a token failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as IssuedToken;
}

/** Where an administrator reaches the server: a test server, or a server process and a signed-in fetch. */
export type ServerAddress = Pick<TestServer, 'url' | 'adminFetch'>;

/** Every document of a collection an administrator pulls, following the checkpoint to the end. */
export async function pullAll<T>(server: ServerAddress, collection: 'devices' | 'alerts'): Promise<T[]> {
  const documents: T[] = [];
  let checkpoint: unknown;
  for (let page = 0; page < 100; page++) {
    const query = new URLSearchParams({ limit: '500' });
    if (checkpoint !== undefined) query.set('checkpoint', JSON.stringify(checkpoint));
    const response = await server.adminFetch(`${server.url}/api/sync/${collection}/pull?${query.toString()}`);
    if (response.status !== 200) throw new Error(`pull ${collection} failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { documents: T[]; checkpoint: unknown };
    documents.push(...body.documents);
    if (body.documents.length < 500) return documents;
    checkpoint = body.checkpoint;
  }
  throw new Error(`pull ${collection} did not end`);
}

export const pullDevice = async (server: ServerAddress, deviceId: string): Promise<Device | undefined> =>
  (await pullAll<Device>(server, 'devices')).find((device) => device.id === deviceId);

export const pullAlerts = async (server: ServerAddress, deviceId: string): Promise<Alert[]> =>
  (await pullAll<Alert>(server, 'alerts')).filter((alert) => alert.deviceId === deviceId);

export interface AppliedState {
  /** Rows of `agent_records` for the device: the ids the server durably applied. */
  recordIds: string[];
  telemetryState: TelemetryState;
  lastSeenAt: number | null;
}

/** Reads what the server committed, straight from its database, outside the store. */
export async function readAppliedState(server: TestServer, deviceId: string): Promise<AppliedState> {
  const recordIds = (await server.sql<{ record_id: string }>('SELECT record_id FROM agent_records WHERE device_id = ? ORDER BY record_id', [deviceId]))
    .map((row) => row.record_id)
    // Code-unit order on both engines, whatever the PostgreSQL collation.
    .sort();
  const [device] = await server.sql<{ telemetry_state: string; last_seen_at: number | null }>('SELECT telemetry_state, last_seen_at FROM agent_devices WHERE device_id = ?', [deviceId]);
  if (!device) throw new Error(`no agent_devices row for ${deviceId}`);
  return { recordIds, telemetryState: JSON.parse(device.telemetry_state) as TelemetryState, lastSeenAt: device.last_seen_at };
}

const isProblem = (state: CheckRecord['state']) => state === 'warning' || state === 'critical';

/** Ordered as the server applies a batch: by observation time, then id. */
export const byObservedThenId = (a: AgentRecord, b: AgentRecord): number =>
  a.observedAt < b.observedAt ? -1 : a.observedAt > b.observedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

export interface ExpectedAlertWrites {
  /** Alerts that must exist, one per time a check entered a problem state. */
  opened: number;
  /** Writes the alert rules make: one per open, severity or message change while open, and recovery. */
  writes: number;
  /** Whether the last alert is still open. */
  isOpen: boolean;
}

/**
 * What the server's alert rules should have written for one check's transitions, each applied
 * once: an alert opens when the check enters warning/critical, is updated on every change while
 * it is a problem, and resolves when the check recovers.
 */
export function expectedAlertWrites(transitions: readonly CheckRecord[]): ExpectedAlertWrites {
  let opened = 0;
  let writes = 0;
  let isOpen = false;
  let previous: CheckRecord | undefined;
  for (const record of [...transitions].sort(byObservedThenId)) {
    if (previous && previous.state === record.state && previous.message === record.message) continue;
    if (isProblem(record.state)) {
      if (!isOpen) opened += 1;
      writes += 1;
      isOpen = true;
    } else if (isOpen) {
      writes += 1;
      isOpen = false;
    }
    previous = record;
  }
  return { opened, writes, isOpen };
}

/** Counts every committed write to an alert document, by alert id, until `stop` is called. */
export function watchAlertWrites(server: TestServer): { writes: Map<string, number>; stop: () => void } {
  const writes = new Map<string, number>();
  const stop = server.store.onChange((batch) => {
    if (batch.collection !== 'alerts') return;
    for (const document of batch.documents) writes.set(document.id, (writes.get(document.id) ?? 0) + 1);
  });
  return { writes, stop };
}
