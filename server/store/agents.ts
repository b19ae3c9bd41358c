/** Server-side state of an enrolled endpoint agent; never replicated. */
export interface AgentDeviceRecord {
  deviceId: string;
  orgId: string;
  siteId: string;
  secretHash: string;
  enrollmentTokenId: string | undefined;
  enrolledAt: number;
  revokedAt: number | undefined;
  /** Server clock of the last accepted ingest: heartbeats land here, not in the replicated document. */
  lastSeenAt: number | undefined;
  /** JSON-serializable state of the telemetry pipeline (check states, the open hour's sums). */
  telemetryState: unknown;
}

export interface AgentIngestUpdate {
  deviceId: string;
  lastSeenAt: number;
  telemetryState: unknown;
  recordIds: readonly string[];
}

export interface AgentStore {
  create(device: AgentDeviceRecord): Promise<void>;
  get(deviceId: string): Promise<AgentDeviceRecord | undefined>;
  /** The subset of `recordIds` this device has not delivered before. */
  unseenRecordIds(recordIds: readonly string[]): Promise<Set<string>>;
  /** Saves pipeline states and marks records applied, all in one transaction. */
  saveIngest(updates: readonly AgentIngestUpdate[]): Promise<void>;
  /** Devices last seen before `before` (not revoked), for the offline/stale sweeper. */
  listSeenBefore(before: number): Promise<AgentDeviceRecord[]>;
  revoke(deviceId: string, now: number): Promise<boolean>;
  /** Forgets delivered record ids older than `before` (agents never re-send that late). */
  forgetRecordsBefore(before: number): Promise<number>;
}
