import { responseTimesOf } from '../../../shared/incident/response-times.ts';
import type { Alert } from '../../../shared/schema/alert.ts';
import { DEVICE_STATUSES, HEALTH_LEVELS, type Device } from '../../../shared/schema/device.ts';
import type { Incident } from '../../../shared/schema/incident.ts';
import type { Risk } from '../../../shared/schema/risk.ts';

const DAY_MS = 86_400_000;
/** "Recent" for response times: a quarter, long enough for a few incidents, short enough to show change. */
export const RESPONSE_WINDOW_DAYS = 90;

export interface FleetHealth {
  /** Health of the devices in service (retired ones are left out: nobody fixes them). */
  health: Record<Device['health'], number>;
  status: Record<Device['status'], number>;
  inService: number;
}

export function fleetHealthOf(devices: readonly Pick<Device, 'status' | 'health'>[]): FleetHealth {
  const health = Object.fromEntries(HEALTH_LEVELS.map((level) => [level, 0])) as Record<Device['health'], number>;
  const status = Object.fromEntries(DEVICE_STATUSES.map((state) => [state, 0])) as Record<Device['status'], number>;
  for (const device of devices) {
    status[device.status]++;
    if (device.status !== 'retired') health[device.health]++;
  }
  return { health, status, inService: devices.length - status.retired };
}

export interface AlertSummary {
  /** Not yet acknowledged, by severity. */
  open: Record<Alert['severity'], number>;
  openTotal: number;
  acknowledged: number;
  oldestOpenAt: string | undefined;
}

export function alertSummaryOf(alerts: readonly Pick<Alert, 'status' | 'severity' | 'openedAt'>[]): AlertSummary {
  const open: Record<Alert['severity'], number> = { critical: 0, warning: 0, info: 0 };
  let acknowledged = 0;
  let oldestOpenAt: string | undefined;
  for (const alert of alerts) {
    if (alert.status === 'acknowledged') acknowledged++;
    if (alert.status !== 'open') continue;
    open[alert.severity]++;
    if (oldestOpenAt === undefined || alert.openedAt < oldestOpenAt) oldestOpenAt = alert.openedAt;
  }
  return { open, openTotal: open.critical + open.warning + open.info, acknowledged, oldestOpenAt };
}

export const isOpenIncident = (incident: Pick<Incident, 'status'>) => incident.status === 'triage' || incident.status === 'contained';

export interface Spread {
  medianMs: number;
  averageMs: number;
  count: number;
}

function spreadOf(values: number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const medianMs = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { medianMs, averageMs: values.reduce((sum, value) => sum + value, 0) / values.length, count: values.length };
}

/**
 * Time to acknowledge and to resolve over the incidents opened in the last `windowDays`, counting
 * only those that reached the mark (an incident still unacknowledged has no time yet; its age
 * is shown on its own line instead).
 */
export function responseStatsOf(incidents: readonly Incident[], now: number, windowDays = RESPONSE_WINDOW_DAYS) {
  const since = now - windowDays * DAY_MS;
  const recent = incidents.filter((incident) => Date.parse(incident.openedAt) >= since);
  const times = recent.map((incident) => responseTimesOf(incident, now));
  return {
    incidentCount: recent.length,
    toAcknowledge: spreadOf(times.filter((t) => !t.toAcknowledge.isRunning).map((t) => t.toAcknowledge.milliseconds)),
    toResolve: spreadOf(times.filter((t) => !t.toResolve.isRunning).map((t) => t.toResolve.milliseconds)),
  };
}

export const isOpenRisk = (risk: Pick<Risk, 'status'>) => risk.status !== 'closed';

/** Risks still in the register whose review date has passed, longest overdue first. */
export function overdueReviewsOf<R extends Pick<Risk, 'status' | 'nextReviewAt'>>(risks: readonly R[], now: number): R[] {
  return risks.filter((risk) => isOpenRisk(risk) && Date.parse(risk.nextReviewAt) < now).sort((a, b) => Date.parse(a.nextReviewAt) - Date.parse(b.nextReviewAt));
}
