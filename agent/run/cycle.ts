import * as v from 'valibot';
import { AGENT_CHECKS, CHECK_STATES, type AgentRecord } from '../../shared/agent/protocol.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { DEFAULT_THRESHOLDS, type CheckResult, type CheckThresholds } from '../checks/check-result.ts';
import { evaluateChecks } from '../checks/evaluate.ts';
import { trackPendingSince } from '../checks/pending-updates.ts';
import { stateTransitions, statesOf } from '../checks/transitions.ts';
import type { Clock } from '../clock.ts';
import { inventoryFingerprint } from '../collect/fingerprint.ts';
import { heartbeatRecord, inventoryRecord, reconcileBootTime } from '../collect/records.ts';
import type { SystemProbe } from '../collect/snapshot.ts';
import { DELIVERY_MEMORY_KEY, DeliveryMemory } from '../delivery/deliver.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { AgentDatabase } from '../state/database.ts';
import type { AgentMemory } from '../state/memory.ts';

const DAY_MS = 86_400_000;
export const CYCLE_MEMORY_KEY = 'cycle';

export const CycleMemory = v.object({
  inventoryFingerprint: v.optional(v.string()),
  lastInventoryAtMs: v.optional(v.number()),
  checkStates: v.optional(v.record(v.picklist(AGENT_CHECKS), v.picklist(CHECK_STATES)), {}),
  pendingUpdatesSinceMs: v.optional(v.number()),
  lastBootAtMs: v.optional(v.number()),
});
export type CycleMemory = v.InferOutput<typeof CycleMemory>;

export interface CycleDeps {
  probe: SystemProbe;
  clock: Clock;
  db: AgentDatabase;
  outbox: Outbox;
  memory: AgentMemory;
  thresholds?: CheckThresholds;
  /** When this agent began trying to deliver: silence is measured from here until a first success. */
  deliveringSinceMs: number;
  newId?: (nowMs: number) => string;
}

export interface CycleReport {
  observedAtMs: number;
  /** Why an inventory was recorded, or 'unchanged'. */
  inventory: 'first' | 'changed' | 'daily' | 'unchanged';
  transitions: CheckResult[];
  recorded: number;
}

/**
 * One look at the machine: a heartbeat always, an inventory when its content changed or a day
 * has passed, a check record for each check whose state changed. The records and the memory
 * of what was recorded commit in one transaction, so a crash can neither lose a transition
 * nor record it twice.
 */
export async function runCycle(deps: CycleDeps): Promise<CycleReport> {
  const thresholds = deps.thresholds ?? DEFAULT_THRESHOLDS;
  const newId = deps.newId ?? ((nowMs: number) => uuidv7(nowMs));
  const snapshot = await deps.probe.collect();
  const nowMs = deps.clock.now();

  const remembered = deps.memory.read(CYCLE_MEMORY_KEY, CycleMemory, { checkStates: {} });
  const delivery = deps.memory.read(DELIVERY_MEMORY_KEY, DeliveryMemory, {});
  const lastBootAtMs = reconcileBootTime(remembered.lastBootAtMs, nowMs, snapshot.uptimeSeconds);
  const pendingUpdatesSinceMs = trackPendingSince(remembered.pendingUpdatesSinceMs, snapshot.pendingUpdates, nowMs);

  const records: AgentRecord[] = [heartbeatRecord(snapshot, nowMs, newId(nowMs))];

  const inventory = inventoryRecord(snapshot, nowMs, newId(nowMs), lastBootAtMs);
  const fingerprint = inventoryFingerprint(inventory);
  const inventoryReason = whyRecordInventory(remembered, fingerprint, nowMs);
  if (inventoryReason !== 'unchanged') records.push(inventory);

  const results = evaluateChecks(
    {
      nowMs,
      snapshot,
      pendingUpdatesSinceMs,
      clockSkewMs: delivery.clockSkewMs,
      outboxDepth: deps.outbox.depth().total,
      undeliveredForMs: Math.max(0, nowMs - Math.max(delivery.lastSuccessAtMs ?? 0, deps.deliveringSinceMs)),
    },
    thresholds,
  );
  const transitions = stateTransitions(remembered.checkStates, results);
  for (const result of transitions) {
    records.push({ kind: 'check', id: newId(nowMs), observedAt: new Date(nowMs).toISOString(), ...result });
  }

  const lastInventoryAtMs = inventoryReason === 'unchanged' ? remembered.lastInventoryAtMs : nowMs;
  const next: CycleMemory = {
    inventoryFingerprint: fingerprint,
    checkStates: statesOf(remembered.checkStates, results),
    ...(lastInventoryAtMs === undefined ? {} : { lastInventoryAtMs }),
    ...(pendingUpdatesSinceMs === undefined ? {} : { pendingUpdatesSinceMs }),
    ...(lastBootAtMs === undefined ? {} : { lastBootAtMs }),
  };
  deps.db.transaction(() => {
    deps.outbox.enqueue(records);
    deps.memory.write(CYCLE_MEMORY_KEY, next);
  })();

  return { observedAtMs: nowMs, inventory: inventoryReason, transitions, recorded: records.length };
}

function whyRecordInventory(remembered: CycleMemory, fingerprint: string, nowMs: number): CycleReport['inventory'] {
  if (remembered.inventoryFingerprint === undefined || remembered.lastInventoryAtMs === undefined) return 'first';
  if (remembered.inventoryFingerprint !== fingerprint) return 'changed';
  // Daily even when unchanged: the server's "as of" stays fresh and a lost inventory heals.
  return nowMs - remembered.lastInventoryAtMs >= DAY_MS ? 'daily' : 'unchanged';
}

export function describeCycle(report: CycleReport): string {
  const parts = ['heartbeat'];
  if (report.inventory !== 'unchanged') parts.push(`inventory (${report.inventory})`);
  for (const t of report.transitions) parts.push(`${t.check} ${t.state}: ${t.message}`);
  return `recorded ${parts.join('; ')}`;
}
