import type { Risk } from '../schema/risk.ts';

/** How far ahead an acceptance may run unless the server is configured otherwise (OUTPOST_RISK_ACCEPTANCE_MAX_DAYS). */
export const RISK_ACCEPTANCE_MAX_DAYS = 365;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The latest `until` an acceptance recorded at `now` may carry. */
export function latestAcceptanceUntil(now: number, maxDays = RISK_ACCEPTANCE_MAX_DAYS): number {
  return now + maxDays * DAY_MS;
}

/** Whether the risk carries an acceptance whose end has passed (an unreadable date counts as passed). */
export function isAcceptanceExpired(risk: { acceptance?: { until: string } | undefined }, now: number): boolean {
  if (risk.acceptance === undefined) return false;
  const until = Date.parse(risk.acceptance.until);
  return !(until > now);
}

/**
 * The status a person should see and filter by: an accepted risk whose acceptance has expired is
 * open again. Derived, not written: every replica holds the same `acceptance.until`, so every
 * device reopens the risk at the same moment, offline too, and a renewal (a new acceptance)
 * accepts it again without racing a server write.
 */
export function effectiveRiskStatus(risk: Pick<Risk, 'status' | 'acceptance'>, now: number): Risk['status'] {
  return risk.status === 'accepted' && isAcceptanceExpired(risk, now) ? 'open' : risk.status;
}
