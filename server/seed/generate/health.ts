import type { Device } from '../../../shared/schema/index.ts';
import { DAY, readableTime } from './context.ts';
import type { OsFamily } from './device-catalog.ts';

/**
 * Health derived from the seeded data itself, so a device that shows 3% free disk is never
 * "ok" in the demo. The thresholds mirror the agent's local checks.
 */
export const THRESHOLDS = {
  diskFreeCriticalPercent: 5,
  diskFreeWarningPercent: 15,
  memoryCriticalPercent: 95,
  memoryWarningPercent: 90,
  cpuSustainedPercent: 90,
  cpuSustainedHours: 3,
  pendingUpdatesWarning: 15,
  uptimeWarningDays: 45,
  serverUptimeWarningDays: 90,
} as const;

export type FindingRule =
  | 'device.offline' | 'device.stale' | 'disk.free' | 'memory.pressure' | 'cpu.sustained'
  | 'updates.pending' | 'antivirus.off' | 'firewall.off' | 'uptime.long' | 'service.stopped' | 'clock.skew';

export interface Finding {
  readonly rule: FindingRule;
  readonly severity: 'warning' | 'critical';
  readonly message: string;
}

export interface HealthInput {
  readonly device: Pick<Device, 'kind' | 'status' | 'inventory' | 'telemetry' | 'trend'>;
  readonly osFamily: OsFamily | undefined;
  readonly lastSeenMs: number;
  readonly isInfrastructure: boolean;
  /** Findings only the agent can know (a stopped service, clock skew), passed through as reported. */
  readonly reported: readonly Finding[];
}

const GB = 1e9;
const formatBytes = (bytes: number) =>
  bytes >= 1000 * GB ? `${(bytes / (1000 * GB)).toFixed(1)} TB` : `${(bytes / GB).toFixed(1)} GB`;

/** Why a device is not ok, most severe first. */
export function evaluateFindings(input: HealthInput): Finding[] {
  const { device } = input;
  if (device.status === 'retired') return [];
  const findings: Finding[] = [];

  if (device.status === 'offline') {
    const isCritical = input.isInfrastructure || device.kind === 'pos';
    findings.push({ rule: 'device.offline', severity: isCritical ? 'critical' : 'warning', message: `Offline since ${readableTime(input.lastSeenMs)}` });
  } else if (device.status === 'stale') {
    findings.push({ rule: 'device.stale', severity: 'warning', message: `No report since ${readableTime(input.lastSeenMs)}` });
  }

  const inventory = device.inventory;
  for (const disk of inventory?.disks ?? []) {
    if (disk.totalBytes === 0) continue;
    const freePercent = (disk.freeBytes / disk.totalBytes) * 100;
    if (freePercent < THRESHOLDS.diskFreeWarningPercent) {
      findings.push({
        rule: 'disk.free',
        severity: freePercent < THRESHOLDS.diskFreeCriticalPercent ? 'critical' : 'warning',
        message: `Disk ${disk.id} ${freePercent.toFixed(1)}% free (${formatBytes(disk.freeBytes)} of ${formatBytes(disk.totalBytes)})`,
      });
    }
  }

  const memory = device.telemetry?.memoryUsedPercent;
  if (memory !== undefined && memory >= THRESHOLDS.memoryWarningPercent) {
    findings.push({
      rule: 'memory.pressure',
      severity: memory >= THRESHOLDS.memoryCriticalPercent ? 'critical' : 'warning',
      message: `Memory ${memory.toFixed(0)}% used`,
    });
  }

  const recent = device.trend.slice(-THRESHOLDS.cpuSustainedHours);
  if (recent.length === THRESHOLDS.cpuSustainedHours && recent.every((p) => p.cpuPercent >= THRESHOLDS.cpuSustainedPercent)) {
    findings.push({ rule: 'cpu.sustained', severity: 'warning', message: `CPU above ${THRESHOLDS.cpuSustainedPercent}% for the last ${recent.length} hours` });
  }

  const updates = inventory?.pendingUpdates;
  if (updates !== undefined && updates >= THRESHOLDS.pendingUpdatesWarning) {
    findings.push({ rule: 'updates.pending', severity: 'warning', message: `${updates} updates pending` });
  }
  if (inventory?.antivirus === 'off') findings.push({ rule: 'antivirus.off', severity: 'critical', message: 'Antivirus is off' });
  if (inventory?.firewall === 'off') findings.push({ rule: 'firewall.off', severity: 'warning', message: 'Firewall is off' });

  const isAgentManaged = input.osFamily === 'windows' || input.osFamily === 'macos' || input.osFamily === 'linux';
  const uptimeDays = (inventory?.uptimeSeconds ?? 0) / (DAY / 1000);
  const uptimeLimit = device.kind === 'server' ? THRESHOLDS.serverUptimeWarningDays : THRESHOLDS.uptimeWarningDays;
  if (isAgentManaged && uptimeDays > uptimeLimit) {
    findings.push({ rule: 'uptime.long', severity: 'warning', message: `Up ${Math.floor(uptimeDays)} days without a reboot` });
  }

  findings.push(...input.reported);
  return findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1));
}

export function healthOf(findings: readonly Finding[]): Device['health'] {
  if (findings.some((f) => f.severity === 'critical')) return 'critical';
  return findings.length > 0 ? 'warning' : 'ok';
}
