import type { AgentCheck, AgentRecord, CheckState, HeartbeatRecord, InventoryRecord } from '../../shared/agent/protocol.ts';
import { isDeepEqual } from '../../shared/merge/canonical.ts';
import type { Alert } from '../../shared/schema/alert.ts';
import type { Device } from '../../shared/schema/device.ts';
import { derivedId } from '../ids/derived-id.ts';

const HOUR_MS = 3_600_000;
const TREND_POINTS = 48;

export interface CheckMemory {
  state: CheckState;
  message: string;
  /** The alert this check keeps open, if any. */
  openAlertId?: string;
}

export interface TelemetryState {
  checks: Partial<Record<AgentCheck, CheckMemory>>;
  /** The hour being accumulated for the trend roll-up. */
  hour?: { start: number; weight: number; cpuSum: number; cpuWeight: number; memorySum: number; memoryWeight: number };
  lastHeartbeat?: Pick<HeartbeatRecord, 'observedAt' | 'cpuPercent' | 'memoryUsedPercent' | 'diskFreePercent'>;
}

export type AlertWrite =
  | { kind: 'open'; alert: Alert }
  | { kind: 'update'; id: string; severity: Alert['severity']; message: string; at: string }
  | { kind: 'resolve'; id: string; at: string };

export interface PipelineResult {
  state: TelemetryState;
  /** Device fields to change; undefined when nothing a person cares about changed. */
  devicePatch: Partial<Device> | undefined;
  alerts: AlertWrite[];
}

const SEVERITY: Record<CheckState, number> = { unknown: 0, ok: 0, warning: 1, critical: 2 };

/**
 * Turns an agent's records into state and document changes. Pure and deterministic (ids and
 * timestamps come from the records), so re-applying a batch after a crash writes the same.
 * Heartbeats only touch `state`, except for status transitions and the hourly roll-up.
 */
export function applyRecords(input: { state: TelemetryState; device: Device; records: readonly AgentRecord[] }): PipelineResult {
  const state: TelemetryState = structuredClone(input.state);
  state.checks ??= {};
  const device = input.device;
  const patch: Partial<Device> = {};
  const alerts: AlertWrite[] = [];
  const records = [...input.records].sort((a, b) => (a.observedAt < b.observedAt ? -1 : a.observedAt > b.observedAt ? 1 : a.id < b.id ? -1 : 1));

  for (const record of records) {
    if (record.kind === 'heartbeat') applyHeartbeat(state, device, patch, record);
    else if (record.kind === 'inventory') applyInventory(device, patch, record);
    else {
      const previous = state.checks[record.check];
      if (previous && previous.state === record.state && previous.message === record.message) continue;
      const memory: CheckMemory = { state: record.state, message: record.message };
      const openAlertId = previous?.openAlertId;
      const isProblem = record.state === 'warning' || record.state === 'critical';
      const isInMaintenance = device.maintenanceUntil !== undefined && device.maintenanceUntil > record.observedAt;
      if (isProblem && openAlertId) {
        memory.openAlertId = openAlertId;
        if (previous?.state !== record.state || previous.message !== record.message) {
          alerts.push({ kind: 'update', id: openAlertId, severity: record.state === 'critical' ? 'critical' : 'warning', message: record.message, at: record.observedAt });
        }
      } else if (isProblem && !isInMaintenance) {
        const id = derivedId('alert', device.id, record.check, record.id);
        memory.openAlertId = id;
        alerts.push({
          kind: 'open',
          alert: {
            id,
            orgId: device.orgId,
            siteId: device.siteId,
            deviceId: device.id,
            rule: `check.${record.check}`,
            severity: record.state === 'critical' ? 'critical' : 'warning',
            message: record.message,
            status: 'open',
            openedAt: record.observedAt,
            updatedAt: record.observedAt,
          },
        });
      } else if (!isProblem && openAlertId) {
        alerts.push({ kind: 'resolve', id: openAlertId, at: record.observedAt });
      }
      state.checks[record.check] = memory;
    }
  }

  const health = healthOf(state);
  if (device.health !== health.health || !isDeepEqual(device.healthReasons, health.reasons)) {
    patch.health = health.health;
    patch.healthReasons = health.reasons;
  }
  const hasChanges = Object.keys(patch).length > 0;
  if (hasChanges) patch.updatedAt = records.at(-1)?.observedAt ?? device.updatedAt;
  return { state, devicePatch: hasChanges ? patch : undefined, alerts };
}

function applyHeartbeat(state: TelemetryState, device: Device, patch: Partial<Device>, record: HeartbeatRecord): void {
  const status = patch.status ?? device.status;
  if (status === 'offline' || status === 'stale') {
    patch.status = 'online';
    patch.statusObservedAt = record.observedAt;
  }
  // Agents deliver heartbeats oldest first, so one not newer than the last applied is a re-send
  // (or a clock step back): it counts once. The watermark is saved with the sums it guards, so
  // after a crash that lost both, the re-sent heartbeat is counted again, as it should be.
  if (state.lastHeartbeat && record.observedAt <= state.lastHeartbeat.observedAt) return;
  const weight = record.rolledUp?.count ?? 1;
  const at = Date.parse(record.observedAt);
  const start = Math.floor(at / HOUR_MS) * HOUR_MS;
  if (state.hour && start > state.hour.start) {
    const closed = state.hour;
    if (closed.cpuWeight > 0 || closed.memoryWeight > 0) {
      const hourAt = new Date(closed.start).toISOString();
      // One point per hour: an hour rolled up again (decided anew after another server
      // instance saved this device's state) replaces its point instead of adding a second.
      const trend = (patch.trend ?? device.trend).filter((point) => point.at !== hourAt);
      trend.push({
        at: hourAt,
        cpuPercent: closed.cpuWeight > 0 ? round(closed.cpuSum / closed.cpuWeight) : 0,
        memoryUsedPercent: closed.memoryWeight > 0 ? round(closed.memorySum / closed.memoryWeight) : 0,
      });
      patch.trend = trend.slice(-TREND_POINTS);
      const last = state.lastHeartbeat;
      if (last) {
        patch.telemetry = {
          observedAt: last.observedAt,
          ...(last.cpuPercent === undefined ? {} : { cpuPercent: last.cpuPercent }),
          ...(last.memoryUsedPercent === undefined ? {} : { memoryUsedPercent: last.memoryUsedPercent }),
          ...(last.diskFreePercent === undefined ? {} : { diskFreePercent: last.diskFreePercent }),
        };
      }
    }
    delete state.hour;
  }
  // A late heartbeat from an hour already rolled up only counts as "seen".
  if (state.hour && start < state.hour.start) return;
  state.hour ??= { start, weight: 0, cpuSum: 0, cpuWeight: 0, memorySum: 0, memoryWeight: 0 };
  state.hour.weight += weight;
  if (record.cpuPercent !== undefined) {
    state.hour.cpuSum += record.cpuPercent * weight;
    state.hour.cpuWeight += weight;
  }
  if (record.memoryUsedPercent !== undefined) {
    state.hour.memorySum += record.memoryUsedPercent * weight;
    state.hour.memoryWeight += weight;
  }
  state.lastHeartbeat = {
    observedAt: record.observedAt,
    ...(record.cpuPercent === undefined ? {} : { cpuPercent: record.cpuPercent }),
    ...(record.memoryUsedPercent === undefined ? {} : { memoryUsedPercent: record.memoryUsedPercent }),
    ...(record.diskFreePercent === undefined ? {} : { diskFreePercent: record.diskFreePercent }),
  };
}

/** Inventory changes the document only when its content differs, observation time aside. */
function applyInventory(device: Device, patch: Partial<Device>, record: InventoryRecord): void {
  const next: Partial<Device> = {
    hostname: record.hostname,
    ips: record.ips,
    macs: record.macs,
    ...(record.os ? { os: record.os } : {}),
    ...(record.model === undefined ? {} : { model: record.model }),
    ...(record.serial === undefined ? {} : { serial: record.serial }),
  };
  const current = { ...device, ...patch };
  const { observedAt: _nextAt, ...nextInventory } = record.inventory;
  const currentInventory = current.inventory ? (({ observedAt: _at, ...rest }) => rest)(current.inventory) : undefined;
  const fieldsChanged = Object.entries(next).some(([key, value]) => !isDeepEqual(current[key as keyof Device], value));
  if (!fieldsChanged && isDeepEqual(currentInventory, nextInventory)) return;
  Object.assign(patch, next, { inventory: record.inventory });
}

function healthOf(state: TelemetryState): { health: Device['health']; reasons: string[] } {
  let worst = 0;
  const reasons: string[] = [];
  for (const [, memory] of Object.entries(state.checks).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!memory) continue;
    const severity = SEVERITY[memory.state];
    worst = Math.max(worst, severity);
    if (severity > 0) reasons.push(memory.message.slice(0, 300));
  }
  return { health: worst === 2 ? 'critical' : worst === 1 ? 'warning' : 'ok', reasons: reasons.slice(0, 20) };
}

const round = (n: number) => Math.round(n * 10) / 10;
