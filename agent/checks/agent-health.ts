import { formatDuration } from '../format.ts';
import { stateAbove, worstState, type CheckResult, type CheckThresholds } from './check-result.ts';

export interface AgentHealthInput {
  outboxDepth: number;
  /** Time since the agent last delivered, or since it began trying when it never has. */
  undeliveredForMs: number;
}

/** The agent's own view of its pipeline: a growing outbox or a long silence toward the server. */
export function checkAgentHealth(input: AgentHealthInput, thresholds: CheckThresholds): CheckResult {
  const depthState = stateAbove(input.outboxDepth, thresholds.outboxDepthWarning, thresholds.outboxDepthCritical);
  const ageState = stateAbove(input.undeliveredForMs / 1000, thresholds.deliveryAgeWarningSeconds, thresholds.deliveryAgeCriticalSeconds);
  const state = worstState([depthState, ageState]);
  const records = `${input.outboxDepth} record${input.outboxDepth === 1 ? '' : 's'} waiting`;
  if (state === 'ok') return { check: 'agent_health', state, message: `delivering normally (${records})` };
  return { check: 'agent_health', state, message: `nothing delivered for ${formatDuration(input.undeliveredForMs)}, ${records}: check the network path to the server` };
}
