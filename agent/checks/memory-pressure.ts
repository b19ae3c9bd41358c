import { memoryUsedPercentOf } from '../collect/records.ts';
import type { SystemSnapshot } from '../collect/snapshot.ts';
import { formatBytes, formatPercent } from '../format.ts';
import { stateAbove, type CheckResult, type CheckThresholds } from './check-result.ts';

export function checkMemoryPressure(snapshot: SystemSnapshot, thresholds: CheckThresholds): CheckResult {
  const usedPercent = memoryUsedPercentOf(snapshot);
  if (usedPercent === undefined || !snapshot.memory) return { check: 'memory_pressure', state: 'unknown', message: 'memory use is not reported' };
  const state = stateAbove(usedPercent, thresholds.memoryUsedWarningPercent, thresholds.memoryUsedCriticalPercent);
  const { availableBytes, totalBytes } = snapshot.memory;
  return {
    check: 'memory_pressure',
    state,
    message: `memory ${formatPercent(usedPercent)} used (${formatBytes(availableBytes)} of ${formatBytes(totalBytes)} available)`,
  };
}
