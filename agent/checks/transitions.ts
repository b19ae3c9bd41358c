import type { AgentCheck, CheckState } from '../../shared/agent/protocol.ts';
import type { CheckResult } from './check-result.ts';

export type CheckStates = Partial<Record<AgentCheck, CheckState>>;

/**
 * Only a change of state is news (the first result of a check is one): a disk going from 40%
 * to 39% free says nothing new; from ok to warning it does. Messages ride along but do not
 * count, or every cycle would be a transition.
 */
export function stateTransitions(previous: CheckStates, results: readonly CheckResult[]): CheckResult[] {
  return results.filter((result) => previous[result.check] !== result.state);
}

export function statesOf(previous: CheckStates, results: readonly CheckResult[]): CheckStates {
  const next: CheckStates = { ...previous };
  for (const result of results) next[result.check] = result.state;
  return next;
}
