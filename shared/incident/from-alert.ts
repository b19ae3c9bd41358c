import type { Alert } from '../schema/alert.ts';
import type { Incident } from '../schema/incident.ts';

/**
 * An alert's severity as an incident's starting point. sev1 (a major outage) is never implied
 * by one device's alert: a person raises it once the impact is known.
 */
export const INCIDENT_SEVERITY_OF_ALERT: Record<Alert['severity'], Incident['severity']> = {
  critical: 'sev2',
  warning: 'sev3',
  info: 'sev4',
};

/** The longest title an incident takes (shared/schema/incident.ts). */
const TITLE_MAX_LENGTH = 200;

function titleFrom(message: string): string {
  const line = message.split('\n')[0]?.trim() ?? '';
  return line.length <= TITLE_MAX_LENGTH ? line : `${line.slice(0, TITLE_MAX_LENGTH - 1)}…`;
}

/** The incident opened from an alert: at its site, about its device, in triage. */
export function incidentFromAlert(alert: Alert, opening: { id: string; openedBy: string; openedAt: string }): Omit<Incident, 'updatedAt'> {
  return {
    id: opening.id,
    orgId: alert.orgId,
    siteId: alert.siteId,
    title: titleFrom(alert.message),
    summary: `Opened from the ${alert.severity} alert "${alert.rule}": ${alert.message}`.slice(0, 4000),
    severity: INCIDENT_SEVERITY_OF_ALERT[alert.severity],
    status: 'triage',
    deviceIds: [alert.deviceId],
    alertIds: [alert.id],
    runIds: [],
    openedBy: opening.openedBy,
    openedAt: opening.openedAt,
  };
}
