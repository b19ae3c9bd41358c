import { formatDuration } from '../format.ts';
import { stateAbove, type CheckResult, type CheckThresholds } from './check-result.ts';

/** `skewMs` is local minus server time, as last measured against a delivery's Date header. */
export function checkClockSkew(skewMs: number | undefined, thresholds: CheckThresholds): CheckResult {
  if (skewMs === undefined) return { check: 'clock_skew', state: 'unknown', message: 'clock not compared with the server yet' };
  const seconds = Math.abs(skewMs) / 1000;
  const state = stateAbove(seconds, thresholds.clockSkewWarningSeconds, thresholds.clockSkewCriticalSeconds);
  if (seconds < 1) return { check: 'clock_skew', state, message: 'clock agrees with the server' };
  const direction = skewMs > 0 ? 'ahead of' : 'behind';
  const advice = state === 'ok' ? '' : ': check the time source (NTP)';
  return { check: 'clock_skew', state, message: `clock is ${formatDuration(skewMs)} ${direction} the server${advice}` };
}
