import * as v from 'valibot';
import { Id, Timestamp, list, text } from '../schema/common.ts';
import { DEVICE_KINDS, Inventory } from '../schema/device.ts';

/**
 * What an endpoint agent says to the server. Every record carries a client-generated id the
 * server de-duplicates, so a batch re-sent after a lost answer is applied once.
 */
export const AGENT_CHECKS = [
  'disk_space', 'memory_pressure', 'pending_updates', 'antivirus', 'firewall', 'clock_skew', 'stopped_services', 'agent_health',
] as const;
export type AgentCheck = (typeof AGENT_CHECKS)[number];
export const CHECK_STATES = ['ok', 'warning', 'critical', 'unknown'] as const;
export type CheckState = (typeof CHECK_STATES)[number];

const percent = v.pipe(v.number(), v.minValue(0), v.maxValue(100));

export const HeartbeatRecord = v.strictObject({
  kind: v.literal('heartbeat'),
  id: Id,
  observedAt: Timestamp,
  cpuPercent: v.optional(percent),
  memoryUsedPercent: v.optional(percent),
  diskFreePercent: v.optional(percent),
  uptimeSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** Present when the outbox folded several heartbeats (while offline) into this one. */
  rolledUp: v.optional(v.strictObject({ count: v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(10_000_000)), since: Timestamp })),
});

export const InventoryRecord = v.strictObject({
  kind: v.literal('inventory'),
  id: Id,
  observedAt: Timestamp,
  hostname: text(253, 1),
  deviceKind: v.optional(v.picklist(DEVICE_KINDS)),
  os: v.optional(v.strictObject({ name: text(100, 1), version: v.optional(text(100)) })),
  model: v.optional(text(200)),
  serial: v.optional(text(100)),
  ips: list(text(45, 2), 32),
  macs: list(text(17, 11), 32),
  inventory: Inventory,
});

export const CheckRecord = v.strictObject({
  kind: v.literal('check'),
  id: Id,
  observedAt: Timestamp,
  check: v.picklist(AGENT_CHECKS),
  state: v.picklist(CHECK_STATES),
  /** One line a person can act on: "C: has 3.1 GB free (4%)". */
  message: text(500),
});

export const AgentRecord = v.variant('kind', [HeartbeatRecord, InventoryRecord, CheckRecord]);
export type AgentRecord = v.InferOutput<typeof AgentRecord>;
export type HeartbeatRecord = v.InferOutput<typeof HeartbeatRecord>;
export type InventoryRecord = v.InferOutput<typeof InventoryRecord>;
export type CheckRecord = v.InferOutput<typeof CheckRecord>;

export const INGEST_MAX_RECORDS = 500;
export const INGEST_MAX_BYTES = 1024 * 1024;

/** POST /api/agent/ingest (Authorization: Bearer <deviceId>.<secret>) */
export const IngestBatch = v.strictObject({
  agentVersion: text(40, 1),
  records: v.pipe(v.array(AgentRecord), v.minLength(1), v.maxLength(INGEST_MAX_RECORDS)),
});
export type IngestBatch = v.InferOutput<typeof IngestBatch>;

export interface IngestResponse {
  /** Ids the server now holds (new or seen before): the agent may drop them from its outbox. */
  accepted: string[];
  serverTime: string;
}

/** POST /api/agent/enroll */
export const EnrollRequest = v.strictObject({
  token: text(200, 20),
  hostname: text(253, 1),
  deviceKind: v.optional(v.picklist(DEVICE_KINDS)),
  agentVersion: text(40, 1),
});
export type EnrollRequest = v.InferOutput<typeof EnrollRequest>;

export interface EnrollResponse {
  deviceId: string;
  /** Shown once; the agent stores it with owner-only permissions, the server only its hash. */
  deviceSecret: string;
  orgId: string;
  siteId: string;
  serverTime: string;
}

/** The bearer credential: the device id is taken from here, never from a request body. */
export function formatDeviceCredential(deviceId: string, secret: string): string {
  return `${deviceId}.${secret}`;
}
