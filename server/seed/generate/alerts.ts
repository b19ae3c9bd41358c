import type { Alert, Device } from '../../../shared/schema/index.ts';
import type { Random } from '../random.ts';
import { DAY, HOUR, MINUTE, actorAt, iso, latest, readableTime, type DeviceRecord, type OrgContext } from './context.ts';

type Severity = Alert['severity'];

interface HistoryTemplate {
  readonly rule: string;
  readonly severity: Severity;
  readonly appliesTo: (device: Device) => boolean;
  readonly message: (rng: Random, device: Device, openedAt: number) => string;
}

const hasOsUpdates = (d: Device) => d.inventory?.pendingUpdates !== undefined;

/** Past alerts that have since cleared, so time-to-acknowledge and time-to-resolve have history. */
const HISTORY: readonly HistoryTemplate[] = [
  { rule: 'device.offline', severity: 'critical', appliesTo: () => true, message: (_, __, openedAt) => `Offline since ${readableTime(openedAt)}` },
  {
    rule: 'disk.free', severity: 'warning', appliesTo: (d) => (d.inventory?.disks.length ?? 0) > 0,
    message: (rng, d) => `Disk ${d.inventory?.disks[0]?.id ?? 'C:'} ${rng.float(6, 14).toFixed(1)}% free`,
  },
  { rule: 'memory.pressure', severity: 'warning', appliesTo: (d) => d.trend.length > 0, message: (rng) => `Memory ${rng.int(90, 94)}% used` },
  {
    rule: 'service.stopped', severity: 'warning', appliesTo: (d) => d.os?.name.startsWith('Windows') === true,
    message: () => 'Service "Print Spooler" is stopped',
  },
  { rule: 'updates.pending', severity: 'info', appliesTo: hasOsUpdates, message: (rng) => `${rng.int(15, 40)} updates pending` },
  { rule: 'agent.restarted', severity: 'info', appliesTo: hasOsUpdates, message: () => 'Agent restarted after an unexpected exit' },
];

function openedAtFor(rng: Random, record: DeviceRecord, rule: string, now: number): number {
  const { device } = record;
  if ((rule === 'device.offline' || rule === 'device.stale') && device.statusObservedAt) return Date.parse(device.statusObservedAt);
  // A condition is noticed at an inventory report somewhat before the latest one.
  const observedAt = device.inventory ? Date.parse(device.inventory.observedAt) : record.lastSeenMs;
  return Math.min(now - MINUTE, observedAt - rng.int(5 * MINUTE, 72 * HOUR));
}

/**
 * One open alert per finding of every unhealthy device (maintenance silences them), some of
 * them acknowledged, plus cleared alerts from the past weeks.
 */
export function generateAlerts(rng: Random, context: OrgContext): void {
  const { now } = context;
  for (const record of context.devices) {
    const { device } = record;
    if (device.status === 'retired') continue;
    const siteId = device.siteId;
    if (!record.isInMaintenance) {
      for (const finding of record.findings) {
        const openedAt = openedAtFor(rng, record, finding.rule, now);
        const alert: Alert = {
          id: rng.uuid(openedAt),
          orgId: context.org.id,
          siteId,
          deviceId: device.id,
          rule: finding.rule,
          severity: finding.severity,
          message: `${device.hostname}: ${finding.message}`,
          status: 'open',
          openedAt: iso(openedAt),
          updatedAt: iso(openedAt),
        };
        const acknowledgedAt = openedAt + rng.int(2 * MINUTE, 12 * HOUR);
        if (acknowledgedAt < now && rng.chance(0.35)) {
          alert.status = 'acknowledged';
          alert.acknowledgedAt = iso(acknowledgedAt);
          alert.acknowledgedBy = actorAt(rng, context, siteId).userId;
          alert.updatedAt = alert.acknowledgedAt;
        }
        context.alerts.push(alert);
      }
    }
    if (rng.chance(0.06)) context.alerts.push(resolvedAlert(rng, context, record));
  }
}

function resolvedAlert(rng: Random, context: OrgContext, record: DeviceRecord): Alert {
  const { now } = context;
  const { device } = record;
  const template = rng.pick(HISTORY.filter((t) => t.appliesTo(device)));
  const openedAt = now - rng.int(1 * DAY, 45 * DAY);
  const alert: Alert = {
    id: rng.uuid(openedAt),
    orgId: context.org.id,
    siteId: device.siteId,
    deviceId: device.id,
    rule: template.rule,
    severity: template.severity,
    message: `${device.hostname}: ${template.message(rng, device, openedAt)}`,
    status: 'resolved',
    openedAt: iso(openedAt),
    updatedAt: '',
  };
  // Some conditions clear on their own before anyone looks: resolved without acknowledgement.
  let resolvedAt = openedAt + rng.int(10 * MINUTE, 20 * HOUR);
  if (rng.chance(0.7)) {
    const acknowledgedAt = openedAt + rng.int(2 * MINUTE, 4 * HOUR);
    const person = actorAt(rng, context, device.siteId);
    resolvedAt = acknowledgedAt + rng.int(10 * MINUTE, 2 * DAY);
    alert.acknowledgedAt = iso(acknowledgedAt);
    alert.acknowledgedBy = person.userId;
    alert.resolvedBy = person.userId;
  }
  alert.resolvedAt = iso(Math.min(resolvedAt, now - MINUTE));
  alert.updatedAt = latest(alert.openedAt, alert.acknowledgedAt, alert.resolvedAt);
  return alert;
}
