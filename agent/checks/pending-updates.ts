import { formatDuration } from '../format.ts';
import type { CheckResult, CheckThresholds } from './check-result.ts';

const DAY_MS = 86_400_000;

/**
 * Operating systems tell how many updates wait, rarely since when. So the agent remembers
 * when it first saw a non-zero count (reset when the count drops to zero) and judges the
 * age of that: updates waiting a week are a warning, a month critical.
 */
export function trackPendingSince(previousSinceMs: number | undefined, pendingUpdates: number | undefined, nowMs: number): number | undefined {
  if (pendingUpdates === undefined) return previousSinceMs;
  if (pendingUpdates === 0) return undefined;
  return previousSinceMs ?? nowMs;
}

export function checkPendingUpdates(
  pendingUpdates: number | undefined,
  pendingSinceMs: number | undefined,
  nowMs: number,
  thresholds: CheckThresholds,
): CheckResult {
  if (pendingUpdates === undefined) return { check: 'pending_updates', state: 'unknown', message: 'this system does not report pending updates' };
  if (pendingUpdates === 0) return { check: 'pending_updates', state: 'ok', message: 'no pending updates' };
  const ageMs = Math.max(0, nowMs - (pendingSinceMs ?? nowMs));
  const days = ageMs / DAY_MS;
  const updates = `${pendingUpdates} update${pendingUpdates === 1 ? '' : 's'} pending`;
  if (days >= thresholds.pendingUpdatesCriticalDays) return { check: 'pending_updates', state: 'critical', message: `${updates} for ${formatDuration(ageMs)}: install them` };
  if (days >= thresholds.pendingUpdatesWarningDays) return { check: 'pending_updates', state: 'warning', message: `${updates} for ${formatDuration(ageMs)}: install them` };
  return { check: 'pending_updates', state: 'ok', message: `${updates} (seen for ${formatDuration(ageMs)})` };
}
