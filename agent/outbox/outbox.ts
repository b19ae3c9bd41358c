import * as v from 'valibot';
import { AgentRecord } from '../../shared/agent/protocol.ts';
import type { AgentDatabase } from '../state/database.ts';
import { planCompaction, type CompactableRow } from './compaction.ts';

/** A record as it waits in the outbox: its JSON exactly as it will be sent. */
export interface QueuedRecord {
  seq: number;
  id: string;
  body: string;
  bytes: number;
  maybeDelivered: boolean;
}

export interface BatchLimits {
  maxRecords: number;
  /** Budget for the records' JSON, separators included. */
  maxBytes: number;
}

export interface CompactionReport {
  foldedHeartbeats: number;
  supersededInventories: number;
  depth: number;
  /** Age of the oldest record still waiting, at `nowMs`. */
  oldestAgeMs: number | undefined;
}

export type OutboxDepth = Record<AgentRecord['kind'], number> & { total: number };

interface Row {
  seq: number;
  id: string;
  kind: AgentRecord['kind'];
  body: string;
  bytes: number;
  maybe_delivered: number;
}

/**
 * Records wait here, on disk, until the server acknowledges them by id. Every change is one
 * SQLite transaction in a WAL file with synchronous=FULL, so a killed process or a power cut
 * leaves each record either waiting or acknowledged, never half-written.
 */
export class Outbox {
  readonly #db: AgentDatabase;
  readonly #statements;

  constructor(db: AgentDatabase) {
    this.#db = db;
    this.#statements = {
      insert: db.prepare<[string, string, number, number, string]>('INSERT INTO records (id, kind, observed_at_ms, bytes, body) VALUES (?, ?, ?, ?, ?)'),
      oldest: db.prepare<[number], Row>('SELECT seq, id, kind, body, bytes, maybe_delivered FROM records ORDER BY seq LIMIT ?'),
      compactable: db.prepare<[], Row>("SELECT seq, id, kind, body, bytes, maybe_delivered FROM records WHERE kind = 'inventory' OR (kind = 'heartbeat' AND maybe_delivered = 0)"),
      mark: db.prepare<[string]>('UPDATE records SET maybe_delivered = 1 WHERE id = ? AND maybe_delivered = 0'),
      unmark: db.prepare<[string]>('UPDATE records SET maybe_delivered = 0 WHERE id = ?'),
      remove: db.prepare<[string]>('DELETE FROM records WHERE id = ?'),
      rewrite: db.prepare<[string, number, number, string]>('UPDATE records SET body = ?, bytes = ?, observed_at_ms = ? WHERE id = ?'),
      depth: db.prepare<[], { kind: AgentRecord['kind']; n: number }>('SELECT kind, count(*) AS n FROM records GROUP BY kind'),
      oldestObserved: db.prepare<[], { at: number | null }>('SELECT min(observed_at_ms) AS at FROM records'),
    };
  }

  /** Validated against the wire schema first: a record the server would refuse never waits here. */
  enqueue(records: readonly AgentRecord[]): void {
    const rows = records.map((record) => {
      const valid = v.parse(AgentRecord, record);
      const body = JSON.stringify(valid);
      return { valid, body };
    });
    this.#db.transaction(() => {
      for (const { valid, body } of rows) {
        this.#statements.insert.run(valid.id, valid.kind, Date.parse(valid.observedAt), Buffer.byteLength(body), body);
      }
    })();
  }

  /** The oldest records that fit the limits; always at least one, so nothing can block the queue. */
  oldest(limits: BatchLimits): QueuedRecord[] {
    const batch: QueuedRecord[] = [];
    let bytes = 0;
    for (const row of this.#statements.oldest.all(limits.maxRecords)) {
      const cost = row.bytes + (batch.length > 0 ? 1 : 0);
      if (batch.length > 0 && bytes + cost > limits.maxBytes) break;
      bytes += cost;
      batch.push({ seq: row.seq, id: row.id, body: row.body, bytes: row.bytes, maybeDelivered: row.maybe_delivered === 1 });
    }
    return batch;
  }

  /**
   * Committed before a request leaves, so a process killed mid-request still knows the server
   * may hold these. Returns the ids that were not marked before.
   */
  markMaybeDelivered(ids: readonly string[]): string[] {
    return this.#db.transaction(() => ids.filter((id) => this.#statements.mark.run(id).changes > 0))();
  }

  /** Undo a mark when the request provably never reached the server (connection refused). */
  unmarkMaybeDelivered(ids: readonly string[]): void {
    this.#db.transaction(() => ids.forEach((id) => this.#statements.unmark.run(id)))();
  }

  /** Drops exactly the records the server says it holds; returns how many were here. */
  acknowledge(ids: readonly string[]): number {
    return this.#db.transaction(() => ids.reduce((n, id) => n + this.#statements.remove.run(id).changes, 0))();
  }

  /** Removes records the server refused on their own (they would block the queue forever). */
  drop(ids: readonly string[]): number {
    return this.acknowledge(ids);
  }

  compact(nowMs: number): CompactionReport {
    const report = this.#db.transaction(() => {
      const rows = this.#statements.compactable.all();
      const plan = planCompaction(rows.map(toCompactable));
      const kinds = new Map(rows.map((row) => [row.id, row.kind]));
      for (const id of plan.deleteIds) this.#statements.remove.run(id);
      for (const record of plan.rewrites) {
        const body = JSON.stringify(record);
        this.#statements.rewrite.run(body, Buffer.byteLength(body), Date.parse(record.observedAt), record.id);
      }
      return {
        foldedHeartbeats: plan.deleteIds.filter((id) => kinds.get(id) === 'heartbeat').length,
        supersededInventories: plan.deleteIds.filter((id) => kinds.get(id) === 'inventory').length,
      };
    })();
    const oldest = this.#statements.oldestObserved.get()?.at ?? null;
    return { ...report, depth: this.depth().total, oldestAgeMs: oldest === null ? undefined : nowMs - oldest };
  }

  depth(): OutboxDepth {
    const depth: OutboxDepth = { heartbeat: 0, inventory: 0, check: 0, total: 0 };
    for (const { kind, n } of this.#statements.depth.all()) {
      depth[kind] = n;
      depth.total += n;
    }
    return depth;
  }

  /** Every record waiting, oldest first: for tests and diagnostics. */
  records(): AgentRecord[] {
    return this.#statements.oldest.all(-1).map((row) => parseStored(row.body));
  }
}

function toCompactable(row: Row): CompactableRow {
  return { seq: row.seq, record: parseStored(row.body), maybeDelivered: row.maybe_delivered === 1 };
}

/** Bodies were validated on the way in and are only ever written by this class. */
function parseStored(body: string): AgentRecord {
  return JSON.parse(body) as AgentRecord;
}
