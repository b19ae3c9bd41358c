import type { HeartbeatRecord, InventoryRecord } from '../../shared/agent/protocol.ts';
import { clampPercent } from './normalize.ts';
import type { SystemSnapshot } from './snapshot.ts';

export function heartbeatRecord(snapshot: SystemSnapshot, observedAtMs: number, id: string): HeartbeatRecord {
  const cpuPercent = snapshot.cpu?.loadPercent;
  const memoryUsedPercent = memoryUsedPercentOf(snapshot);
  const diskFreePercent = lowestDiskFreePercentOf(snapshot);
  return {
    kind: 'heartbeat',
    id,
    observedAt: new Date(observedAtMs).toISOString(),
    ...(cpuPercent === undefined ? {} : { cpuPercent }),
    ...(memoryUsedPercent === undefined ? {} : { memoryUsedPercent }),
    ...(diskFreePercent === undefined ? {} : { diskFreePercent }),
    ...(snapshot.uptimeSeconds === undefined ? {} : { uptimeSeconds: snapshot.uptimeSeconds }),
  };
}

export function inventoryRecord(snapshot: SystemSnapshot, observedAtMs: number, id: string, lastBootAtMs: number | undefined): InventoryRecord {
  const observedAt = new Date(observedAtMs).toISOString();
  const { cpu, memory } = snapshot;
  const pendingUpdates = snapshot.pendingUpdates === undefined ? undefined : Math.min(100_000, Math.max(0, Math.round(snapshot.pendingUpdates)));
  return {
    kind: 'inventory',
    id,
    observedAt,
    hostname: snapshot.hostname,
    ...(snapshot.os ? { os: snapshot.os } : {}),
    ...(snapshot.model === undefined ? {} : { model: snapshot.model }),
    ...(snapshot.serial === undefined ? {} : { serial: snapshot.serial }),
    ips: snapshot.network.ips,
    macs: snapshot.network.macs,
    inventory: {
      ...(cpu?.model === undefined ? {} : { cpuModel: cpu.model }),
      ...(cpu?.cores === undefined ? {} : { cpuCores: cpu.cores }),
      ...(memory ? { memoryBytes: memory.totalBytes } : {}),
      disks: snapshot.disks,
      ...(snapshot.uptimeSeconds === undefined ? {} : { uptimeSeconds: snapshot.uptimeSeconds }),
      ...(lastBootAtMs === undefined ? {} : { lastBootAt: new Date(lastBootAtMs).toISOString() }),
      ...(pendingUpdates === undefined ? {} : { pendingUpdates }),
      antivirus: snapshot.antivirus,
      firewall: snapshot.firewall,
      observedAt,
    },
  };
}

/**
 * Boot time is now minus uptime, which wobbles by a second from one look to the next. Keeping
 * the remembered value while the two agree within two minutes makes it a stable fact, so it
 * changes the inventory only when the machine really rebooted.
 */
export function reconcileBootTime(rememberedMs: number | undefined, nowMs: number, uptimeSeconds: number | undefined): number | undefined {
  if (uptimeSeconds === undefined) return rememberedMs;
  const measuredMs = Math.round((nowMs - uptimeSeconds * 1000) / 1000) * 1000;
  if (rememberedMs !== undefined && Math.abs(measuredMs - rememberedMs) <= BOOT_TIME_TOLERANCE_MS) return rememberedMs;
  return measuredMs;
}

const BOOT_TIME_TOLERANCE_MS = 120_000;

export function memoryUsedPercentOf(snapshot: SystemSnapshot): number | undefined {
  const memory = snapshot.memory;
  if (!memory || memory.totalBytes <= 0) return undefined;
  return clampPercent((100 * (memory.totalBytes - memory.availableBytes)) / memory.totalBytes);
}

/** The fullest disk is the one that stops the machine; the heartbeat carries that one. */
export function lowestDiskFreePercentOf(snapshot: SystemSnapshot): number | undefined {
  const percents = snapshot.disks.filter((d) => d.totalBytes > 0).map((d) => (100 * d.freeBytes) / d.totalBytes);
  return percents.length === 0 ? undefined : clampPercent(Math.min(...percents));
}
