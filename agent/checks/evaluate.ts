import type { SystemSnapshot } from '../collect/snapshot.ts';
import { checkAgentHealth } from './agent-health.ts';
import type { CheckResult, CheckThresholds } from './check-result.ts';
import { checkClockSkew } from './clock-skew.ts';
import { checkDiskSpace } from './disk-space.ts';
import { checkMemoryPressure } from './memory-pressure.ts';
import { checkPendingUpdates } from './pending-updates.ts';
import { checkAntivirus, checkFirewall } from './protection.ts';

export interface CheckInput {
  nowMs: number;
  snapshot: SystemSnapshot;
  pendingUpdatesSinceMs: number | undefined;
  clockSkewMs: number | undefined;
  outboxDepth: number;
  undeliveredForMs: number;
}

/** Every local check over one snapshot; pure, so a test can feed it any machine. */
export function evaluateChecks(input: CheckInput, thresholds: CheckThresholds): CheckResult[] {
  const { snapshot } = input;
  return [
    checkDiskSpace(snapshot.disks, thresholds),
    checkMemoryPressure(snapshot, thresholds),
    checkPendingUpdates(snapshot.pendingUpdates, input.pendingUpdatesSinceMs, input.nowMs, thresholds),
    checkAntivirus(snapshot.antivirus),
    checkFirewall(snapshot.firewall),
    checkClockSkew(input.clockSkewMs, thresholds),
    checkAgentHealth({ outboxDepth: input.outboxDepth, undeliveredForMs: input.undeliveredForMs }, thresholds),
  ];
}
