import * as v from 'valibot';
import { INGEST_MAX_BYTES, INGEST_MAX_RECORDS } from '../../shared/agent/protocol.ts';
import type { Clock } from '../clock.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { AgentMemory } from '../state/memory.ts';
import type { IngestClient, IngestFailure } from './ingest-client.ts';

export const DELIVERY_MEMORY_KEY = 'delivery';

export const DeliveryMemory = v.object({
  lastAttemptAtMs: v.optional(v.number()),
  lastResult: v.optional(v.object({ ok: v.boolean(), message: v.string() })),
  lastSuccessAtMs: v.optional(v.number()),
  clockSkewMs: v.optional(v.number()),
  clockSkewMeasuredAtMs: v.optional(v.number()),
});
export type DeliveryMemory = v.InferOutput<typeof DeliveryMemory>;

export interface DeliveryDeps {
  outbox: Outbox;
  memory: AgentMemory;
  client: IngestClient;
  clock: Clock;
  agentVersion: string;
  /** Asked before each batch: a stopping agent finishes the batch in flight, starts no other. */
  shouldStop?: () => boolean;
}

export interface DeliveryOutcome {
  delivered: number;
  batches: number;
  remaining: number;
  failure: IngestFailure | undefined;
  stopped: boolean;
  /** Records the server refused on their own, dropped from the outbox so the rest could drain. */
  dropped: DroppedRecord[];
}

export interface DroppedRecord {
  id: string;
  /** The server's refusal, as the agent logs it. */
  reason: string;
}

/**
 * Sends the outbox oldest first until it is empty, a batch fails, or the agent stops.
 *
 * Each batch is marked "may have reached the server" on disk before the request leaves, and
 * records leave the outbox only when the server lists their ids in `accepted`. Killed at any
 * point, the agent restarts with every unacknowledged record still queued, and re-sends them
 * under the same ids, which the server de-duplicates: nothing lost, nothing applied twice.
 *
 * A batch the server will never accept as it is (too large, or refused for its content) is
 * narrowed down: batches are halved until they go through, or until a single record is refused
 * on its own, which is dropped and reported (and batches are full size again). One bad record
 * costs a few requests, never the outbox.
 */
export async function deliverPending(deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const { outbox, client, clock } = deps;
  const envelopeHead = `{"agentVersion":${JSON.stringify(deps.agentVersion)},"records":[`;
  const envelopeTail = ']}';
  // Strictly under the server's limit, envelope included.
  const maxBytes = INGEST_MAX_BYTES - 1 - Buffer.byteLength(envelopeHead) - envelopeTail.length;
  let delivered = 0;
  let batches = 0;
  let failure: IngestFailure | undefined;
  let stopped = false;
  const dropped: DroppedRecord[] = [];
  let maxRecords = INGEST_MAX_RECORDS;

  for (;;) {
    if (deps.shouldStop?.()) {
      stopped = true;
      break;
    }
    outbox.compact(clock.now());
    const batch = outbox.oldest({ maxRecords, maxBytes });
    if (batch.length === 0) break;
    const ids = batch.map((record) => record.id);
    const newlyMarked = outbox.markMaybeDelivered(ids);
    const result = await client.send(`${envelopeHead}${batch.map((record) => record.body).join(',')}${envelopeTail}`);
    rememberSkew(deps, result.skewMs);
    if (!result.ok) {
      if (!result.failure.mayHaveReachedServer) outbox.unmarkMaybeDelivered(newlyMarked);
      const isBatchAtFault = result.failure.kind === 'batch_refused' || result.failure.kind === 'too_large';
      if (!isBatchAtFault) {
        failure = result.failure;
        break;
      }
      if (batch.length > 1) {
        maxRecords = Math.ceil(batch.length / 2);
        continue;
      }
      const [record] = batch;
      if (record) {
        outbox.drop([record.id]);
        dropped.push({ id: record.id, reason: result.failure.message });
      }
      maxRecords = INGEST_MAX_RECORDS;
      continue;
    }
    const acknowledged = outbox.acknowledge(result.accepted);
    if (acknowledged === 0) {
      // Without progress the loop would spin; treat it as a refusal and back off.
      failure = { kind: 'rejected', message: `the server accepted none of ${batch.length} records`, mayHaveReachedServer: true };
      break;
    }
    delivered += acknowledged;
    batches += 1;
  }

  const outcome: DeliveryOutcome = { delivered, batches, remaining: outbox.depth().total, failure, stopped, dropped };
  if (batches > 0 || failure || dropped.length > 0) rememberOutcome(deps, outcome);
  return outcome;
}

export function describeOutcome(outcome: DeliveryOutcome): string {
  const sent = `delivered ${outcome.delivered} record${outcome.delivered === 1 ? '' : 's'}`;
  const waiting = `${outcome.remaining} waiting in the outbox`;
  const lastDrop = outcome.dropped.at(-1);
  const drops = lastDrop ? `dropped ${outcome.dropped.length} record${outcome.dropped.length === 1 ? '' : 's'} the server refused (${lastDrop.reason}); ` : '';
  if (outcome.failure) return `${outcome.delivered > 0 ? `${sent}, then ` : ''}${drops}${outcome.failure.message}; ${waiting}`;
  if (outcome.batches === 0) return `${drops}${drops ? '' : 'nothing to deliver; '}${waiting}`;
  return `${sent} in ${outcome.batches} batch${outcome.batches === 1 ? '' : 'es'}; ${drops}${waiting}`;
}

function rememberSkew(deps: DeliveryDeps, skewMs: number | undefined): void {
  if (skewMs === undefined) return;
  const memory = deps.memory.read(DELIVERY_MEMORY_KEY, DeliveryMemory, {});
  deps.memory.write(DELIVERY_MEMORY_KEY, { ...memory, clockSkewMs: skewMs, clockSkewMeasuredAtMs: deps.clock.now() });
}

function rememberOutcome(deps: DeliveryDeps, outcome: DeliveryOutcome): void {
  const now = deps.clock.now();
  const memory = deps.memory.read(DELIVERY_MEMORY_KEY, DeliveryMemory, {});
  deps.memory.write(DELIVERY_MEMORY_KEY, {
    ...memory,
    lastAttemptAtMs: now,
    lastResult: { ok: outcome.failure === undefined, message: describeOutcome(outcome) },
    ...(outcome.batches > 0 ? { lastSuccessAtMs: now } : {}),
  });
}
