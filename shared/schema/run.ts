import * as v from 'valibot';
import { Id, Timestamp, documentBase, integer, list, text } from './common.ts';

export const STEP_RESULTS = ['done', 'skipped', 'failed'] as const;
export const RUN_OUTCOMES = ['succeeded', 'failed', 'aborted'] as const;

/** Step results are append-only: a later result for the same step supersedes, never erases. */
export const StepResult = v.strictObject({
  id: Id,
  stepId: Id,
  result: v.picklist(STEP_RESULTS),
  note: v.optional(text(4000)),
  by: Id,
  at: Timestamp,
});
export type StepResult = v.InferOutput<typeof StepResult>;

export const Run = v.strictObject({
  ...documentBase,
  siteId: Id,
  runbookId: Id,
  runbookVersion: integer(1, 1_000_000),
  deviceId: v.optional(Id),
  startedBy: Id,
  startedAt: Timestamp,
  stepResults: list(StepResult, 2000),
  finishedAt: v.optional(Timestamp),
  outcome: v.optional(v.picklist(RUN_OUTCOMES)),
  incidentId: v.optional(Id),
});
export type Run = v.InferOutput<typeof Run>;
