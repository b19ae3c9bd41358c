import type { Incident } from '../schema/incident.ts';

type Status = Incident['status'];

export const INCIDENT_STATUS_LABELS: Record<Status, string> = {
  triage: 'Triage',
  contained: 'Contained',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** The usual next step of an incident's life; closed is the end. */
export const NEXT_INCIDENT_STATUS: Record<Status, Status | undefined> = {
  triage: 'contained',
  contained: 'resolved',
  resolved: 'closed',
  closed: undefined,
};

/**
 * The incident moved to `status` at `at`, with its timestamps kept true: leaving triage means
 * someone acknowledged it, resolving or closing stops the resolve clock (once), and moving back
 * (a reopen) clears the timestamps of the stages it is no longer in.
 */
export function withStatus<T extends Incident>(incident: T, status: Status, at: string): T {
  const { resolvedAt, closedAt, ...rest } = incident;
  const next = { ...rest, status } as T;
  if (status !== 'triage' || incident.acknowledgedAt !== undefined) next.acknowledgedAt = incident.acknowledgedAt ?? at;
  if (status === 'resolved' || status === 'closed') next.resolvedAt = resolvedAt ?? at;
  if (status === 'closed') next.closedAt = closedAt ?? at;
  return next;
}

/** Acknowledged in triage: someone is on it, the acknowledge clock stops. */
export function withAcknowledgement<T extends Incident>(incident: T, at: string): T {
  return { ...incident, acknowledgedAt: incident.acknowledgedAt ?? at };
}
