import * as v from 'valibot';
import { RunbookStep } from './runbook.ts';
import { Id, Tags, Timestamp, documentBase, integer, list, text } from './common.ts';

/** Long-form runbook text as frozen in a version; the live text is a Yjs document. */
export const RUNBOOK_BODY_MAX_LENGTH = 200_000;

/**
 * What a manager approved, frozen: the runbook's text and steps at approval. Immutable once
 * written, so a run that followed it keeps an exact record whatever the runbook becomes.
 */
export const RunbookVersion = v.strictObject({
  ...documentBase,
  runbookId: Id,
  version: integer(1, 1_000_000),
  title: text(200, 1),
  summary: text(2000),
  tags: Tags,
  steps: list(RunbookStep, 200),
  body: text(RUNBOOK_BODY_MAX_LENGTH),
  approvedBy: Id,
  approvedAt: Timestamp,
});
export type RunbookVersion = v.InferOutput<typeof RunbookVersion>;
