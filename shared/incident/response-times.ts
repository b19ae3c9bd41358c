import type { Incident } from '../schema/incident.ts';

export interface ResponseTime {
  milliseconds: number;
  /** Still counting: the incident is not acknowledged (or resolved) yet. */
  isRunning: boolean;
}

export interface ResponseTimes {
  toAcknowledge: ResponseTime;
  toResolve: ResponseTime;
}

type Timed = Pick<Incident, 'openedAt' | 'acknowledgedAt' | 'resolvedAt' | 'closedAt'>;

function since(openedAt: number, end: string | undefined, now: number): ResponseTime {
  const until = end === undefined ? now : Date.parse(end);
  return { milliseconds: Math.max(0, until - openedAt), isRunning: end === undefined };
}

/**
 * Time to acknowledge and to resolve, from opening. A resolved incident counts as acknowledged
 * at the latest when it was resolved; a closed one as resolved at the latest when it was closed.
 */
export function responseTimesOf(incident: Timed, now: number): ResponseTimes {
  const openedAt = Date.parse(incident.openedAt);
  const resolvedAt = incident.resolvedAt ?? incident.closedAt;
  return {
    toAcknowledge: since(openedAt, incident.acknowledgedAt ?? resolvedAt, now),
    toResolve: since(openedAt, resolvedAt, now),
  };
}
