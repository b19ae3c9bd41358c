import type { AgentRecord, HeartbeatRecord, InventoryRecord } from '../../shared/agent/protocol.ts';

const HOUR_MS = 3_600_000;

export interface CompactableRow {
  seq: number;
  record: AgentRecord;
  /** Sent at least once without a definite refusal: the server may hold it under its id. */
  maybeDelivered: boolean;
}

export interface CompactionPlan {
  /** Rows to drop: heartbeats folded into another, inventories superseded by a newer one. */
  deleteIds: string[];
  /** Rows to rewrite in place, keyed by their existing id. */
  rewrites: HeartbeatRecord[];
}

/**
 * Keeps an outbox bounded through days offline, losing nothing the server uses:
 * - heartbeats fold into one per UTC hour (the server's trend is hourly), counted in
 *   `rolledUp` so the hour still weighs what it measured;
 * - only the newest inventory stays (each one is the whole truth as of its time);
 * - check transitions all stay: they are the history alerts are made of.
 *
 * A heartbeat the server may already hold is never folded: folding rewrites content under an
 * existing id, and the server, which de-duplicates by id, would keep the old content and
 * count the folded ones twice. Only heartbeats no request has carried are rewritten.
 */
export function planCompaction(rows: readonly CompactableRow[]): CompactionPlan {
  const deleteIds: string[] = [];
  const rewrites: HeartbeatRecord[] = [];

  const hours = new Map<number, Array<{ seq: number; record: HeartbeatRecord }>>();
  const inventories: Array<{ seq: number; record: InventoryRecord }> = [];
  for (const { seq, record, maybeDelivered } of rows) {
    if (record.kind === 'inventory') inventories.push({ seq, record });
    else if (record.kind === 'heartbeat' && !maybeDelivered) {
      const hour = Math.floor(Date.parse(record.observedAt) / HOUR_MS);
      const bucket = hours.get(hour) ?? [];
      bucket.push({ seq, record });
      hours.set(hour, bucket);
    }
  }

  for (const bucket of hours.values()) {
    if (bucket.length < 2) continue;
    const ordered = bucket.sort(byObservedThenSeq).map((row) => row.record);
    const folded = foldHeartbeats(ordered);
    rewrites.push(folded);
    for (const heartbeat of ordered) if (heartbeat.id !== folded.id) deleteIds.push(heartbeat.id);
  }

  const newest = inventories.sort(byObservedThenSeq).at(-1);
  for (const { record } of inventories) if (record !== newest?.record) deleteIds.push(record.id);

  return { deleteIds, rewrites };
}

/**
 * One heartbeat standing for several, under the id of the latest: CPU and memory are the
 * count-weighted means (the server weighs a roll-up by its count when it averages the hour);
 * disk free and uptime are the latest values; `since` is when the first of them was seen.
 */
export function foldHeartbeats(ordered: readonly HeartbeatRecord[]): HeartbeatRecord {
  const latest = ordered.at(-1);
  if (!latest) throw new Error('foldHeartbeats needs at least one heartbeat');
  let count = 0;
  let since = latest.rolledUp?.since ?? latest.observedAt;
  const cpu = new WeightedMean();
  const memory = new WeightedMean();
  for (const heartbeat of ordered) {
    const weight = heartbeat.rolledUp?.count ?? 1;
    count += weight;
    const first = heartbeat.rolledUp?.since ?? heartbeat.observedAt;
    if (Date.parse(first) < Date.parse(since)) since = first;
    cpu.add(heartbeat.cpuPercent, weight);
    memory.add(heartbeat.memoryUsedPercent, weight);
  }
  const { cpuPercent: _cpu, memoryUsedPercent: _memory, rolledUp: _rolledUp, ...rest } = latest;
  const cpuPercent = cpu.value();
  const memoryUsedPercent = memory.value();
  return {
    ...rest,
    ...(cpuPercent === undefined ? {} : { cpuPercent }),
    ...(memoryUsedPercent === undefined ? {} : { memoryUsedPercent }),
    ...(count >= 2 ? { rolledUp: { count: Math.min(count, 10_000_000), since } } : {}),
  };
}

class WeightedMean {
  #sum = 0;
  #weight = 0;
  add(value: number | undefined, weight: number): void {
    if (value === undefined) return;
    this.#sum += value * weight;
    this.#weight += weight;
  }
  value(): number | undefined {
    return this.#weight === 0 ? undefined : Math.round((this.#sum / this.#weight) * 10) / 10;
  }
}

function byObservedThenSeq(a: { seq: number; record: AgentRecord }, b: { seq: number; record: AgentRecord }): number {
  const at = Date.parse(a.record.observedAt) - Date.parse(b.record.observedAt);
  return at !== 0 ? at : a.seq - b.seq;
}
