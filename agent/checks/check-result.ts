import type { AgentCheck, CheckState } from '../../shared/agent/protocol.ts';

/** One check's verdict: a state, and one line a person can act on. */
export interface CheckResult {
  check: AgentCheck;
  state: CheckState;
  message: string;
}

export interface CheckThresholds {
  diskFreeWarningPercent: number;
  diskFreeCriticalPercent: number;
  memoryUsedWarningPercent: number;
  memoryUsedCriticalPercent: number;
  pendingUpdatesWarningDays: number;
  pendingUpdatesCriticalDays: number;
  clockSkewWarningSeconds: number;
  clockSkewCriticalSeconds: number;
  outboxDepthWarning: number;
  outboxDepthCritical: number;
  deliveryAgeWarningSeconds: number;
  deliveryAgeCriticalSeconds: number;
}

export const DEFAULT_THRESHOLDS: CheckThresholds = {
  diskFreeWarningPercent: 15,
  diskFreeCriticalPercent: 5,
  memoryUsedWarningPercent: 90,
  memoryUsedCriticalPercent: 97,
  pendingUpdatesWarningDays: 7,
  pendingUpdatesCriticalDays: 30,
  clockSkewWarningSeconds: 120,
  clockSkewCriticalSeconds: 600,
  // Compaction keeps an offline week near 200 records; thousands mean the server refuses them.
  outboxDepthWarning: 1_000,
  outboxDepthCritical: 10_000,
  deliveryAgeWarningSeconds: 3_600,
  deliveryAgeCriticalSeconds: 86_400,
};

const SEVERITY: Record<CheckState, number> = { unknown: 0, ok: 1, warning: 2, critical: 3 };

export function worstState(states: readonly CheckState[]): CheckState {
  return states.reduce<CheckState>((worst, state) => (SEVERITY[state] > SEVERITY[worst] ? state : worst), 'unknown');
}

/** "critical" at or beyond the critical bound, "warning" at or beyond the warning bound. */
export function stateAbove(value: number, warningAt: number, criticalAt: number): CheckState {
  if (value >= criticalAt) return 'critical';
  if (value >= warningAt) return 'warning';
  return 'ok';
}

/** Messages are bounded by the protocol; a long list of disks is cut, not rejected. */
export function boundedMessage(message: string): string {
  return message.length <= 500 ? message : `${message.slice(0, 499)}…`;
}
