import * as v from 'valibot';
import { Id, Tags, Timestamp, documentBase, integer, list, text } from './common.ts';

export const DEVICE_KINDS = [
  'workstation', 'laptop', 'server', 'pos', 'router', 'switch', 'access-point',
  'firewall', 'printer', 'kiosk', 'phone', 'tablet', 'camera', 'other',
] as const;
export const DEVICE_STATUSES = ['online', 'offline', 'stale', 'retired'] as const;
export const HEALTH_LEVELS = ['ok', 'warning', 'critical'] as const;
export const PROTECTION_STATES = ['on', 'off', 'unknown'] as const;

const bytes = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const percent = v.pipe(v.number(), v.minValue(0), v.maxValue(100));

export const Disk = v.strictObject({
  /** Mount point or drive letter: the identity of a disk within its device. */
  id: text(256, 1),
  totalBytes: bytes,
  freeBytes: bytes,
});

/** What the agent last reported; `observedAt` is when the agent saw it, so the app can say "as of". */
export const Inventory = v.strictObject({
  cpuModel: v.optional(text(200)),
  cpuCores: v.optional(integer(1, 4096)),
  memoryBytes: v.optional(bytes),
  disks: list(Disk, 64),
  uptimeSeconds: v.optional(bytes),
  lastBootAt: v.optional(Timestamp),
  pendingUpdates: v.optional(integer(0, 100_000)),
  antivirus: v.optional(v.picklist(PROTECTION_STATES)),
  firewall: v.optional(v.picklist(PROTECTION_STATES)),
  installedSoftwareCount: v.optional(integer(0, 1_000_000)),
  observedAt: Timestamp,
});

export const Telemetry = v.strictObject({
  cpuPercent: v.optional(percent),
  memoryUsedPercent: v.optional(percent),
  diskFreePercent: v.optional(percent),
  observedAt: Timestamp,
});

/** One hourly roll-up; the device keeps a small window of them for a sparkline. */
export const TrendPoint = v.strictObject({
  at: Timestamp,
  cpuPercent: percent,
  memoryUsedPercent: percent,
});

export const Device = v.strictObject({
  ...documentBase,
  siteId: Id,
  hostname: text(253, 1),
  kind: v.picklist(DEVICE_KINDS),
  os: v.optional(v.strictObject({ name: text(100, 1), version: v.optional(text(100)) })),
  model: v.optional(text(200)),
  serial: v.optional(text(100)),
  ips: list(text(45, 2), 32),
  macs: list(text(17, 11), 32),
  assignee: v.optional(text(200)),
  tags: Tags,
  inventory: v.optional(Inventory),
  telemetry: v.optional(Telemetry),
  trend: list(TrendPoint, 48),
  status: v.picklist(DEVICE_STATUSES),
  statusObservedAt: v.optional(Timestamp),
  health: v.picklist(HEALTH_LEVELS),
  healthReasons: list(text(300), 20),
  /** Alerts are silenced while `maintenanceUntil` is in the future. */
  maintenanceUntil: v.optional(Timestamp),
  notes: v.optional(text(5000)),
});
export type Device = v.InferOutput<typeof Device>;
