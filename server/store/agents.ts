import { randomBytes } from 'node:crypto';

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
  /** Changes with every saved telemetry state ('' until the first), so a save can name the state it builds on. */
  stateStamp: string;
}

/** A newly enrolled agent: its state has no stamp yet. */
export type NewAgentDevice = Omit<AgentDeviceRecord, 'stateStamp'>;

export interface AgentIngestUpdate {
  deviceId: string;
  lastSeenAt: number;
  telemetryState: unknown;
  /** The stamp of the stored state `telemetryState` was derived from. */
  basedOnStamp: string;
  recordIds: readonly string[];
}

/** What one update of `saveIngest` found and left in the database. */
export interface SavedIngest {
  deviceId: string;
  /**
   * False when another server instance saved a state since `basedOnStamp`: that newer state was
   * kept and this one dropped (last seen and record ids are saved all the same).
   */
  isSaved: boolean;
  /** The stamp now stored. */
  stateStamp: string;
  revokedAt: number | undefined;
}

export interface AgentStore {
  create(device: NewAgentDevice): Promise<void>;
  get(deviceId: string): Promise<AgentDeviceRecord | undefined>;
  /** The subset of `recordIds` this device has not delivered before. */
  unseenRecordIds(recordIds: readonly string[]): Promise<Set<string>>;
  /**
   * Saves pipeline states and marks records applied, all in one transaction. One update per
   * device (the last given wins). Last seen only moves forward; a state is saved only over the
   * one it was derived from, so instances never overwrite each other's newer state.
   */
  saveIngest(updates: readonly AgentIngestUpdate[]): Promise<SavedIngest[]>;
  /** Devices last seen before `before` (not revoked), for the offline/stale sweeper. */
  listSeenBefore(before: number): Promise<AgentDeviceRecord[]>;
  revoke(deviceId: string, now: number): Promise<boolean>;
  /** Forgets delivered record ids older than `before` (agents never re-send that late). */
  forgetRecordsBefore(before: number): Promise<number>;
}

/** The last update given for each device, as when applied one by one. */
export const latestPerDevice = (updates: readonly AgentIngestUpdate[]): AgentIngestUpdate[] => [...new Map(updates.map((u) => [u.deviceId, u])).values()];

/** Unique per save: two instances deriving from one state never produce the same stamp. */
export const newStateStamp = (): string => randomBytes(9).toString('base64url');
