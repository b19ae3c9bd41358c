import * as v from 'valibot';
import { Id } from '../schema/common.ts';

/**
 * Where a client stands in each organization's change sequence: `{orgId: seq}`. Sequences are
 * assigned by the server per organization, so field devices' wrong clocks never order anything.
 */
export type Checkpoint = Record<string, number>;

export const MAX_CHECKPOINT_ORGS = 1000;

export const CheckpointSchema = v.pipe(
  v.record(Id, v.pipe(v.number(), v.integer('must be an integer'), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER))),
  v.check((c) => Object.keys(c).length <= MAX_CHECKPOINT_ORGS, `must name at most ${MAX_CHECKPOINT_ORGS} organizations`),
);

export const EMPTY_CHECKPOINT: Checkpoint = Object.freeze({}) as Checkpoint;

/** The query-string form of a checkpoint. */
export function encodeCheckpoint(checkpoint: Checkpoint | undefined): string {
  return JSON.stringify(checkpoint ?? {});
}

/** Throws a valibot error (naming the bad key) or a SyntaxError for text that is not a checkpoint. */
export function decodeCheckpoint(text: string): Checkpoint {
  const parsed: unknown = JSON.parse(text);
  return v.parse(CheckpointSchema, parsed);
}

/** Combines two positions, keeping the furthest point reached in each organization. */
export function mergeCheckpoints(a: Checkpoint | undefined, b: Checkpoint | undefined): Checkpoint {
  const merged: Checkpoint = { ...(a ?? {}) };
  for (const [orgId, seq] of Object.entries(b ?? {})) {
    merged[orgId] = Math.max(merged[orgId] ?? 0, seq);
  }
  return merged;
}
