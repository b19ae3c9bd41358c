import * as v from 'valibot';
import { DEVICE_KINDS } from './device.ts';
import { Id, Tags, Timestamp, documentBase, integer, list, text } from './common.ts';

export const RUNBOOK_STATUSES = ['draft', 'in_review', 'approved', 'retired'] as const;

export const RunbookStep = v.strictObject({
  id: Id,
  instruction: text(4000, 1),
  check: v.optional(text(2000)),
  expectedResult: v.optional(text(2000)),
  commonErrors: v.optional(text(4000)),
  rollback: v.optional(text(4000)),
});
export type RunbookStep = v.InferOutput<typeof RunbookStep>;

export const Runbook = v.strictObject({
  ...documentBase,
  title: text(200, 1),
  summary: text(2000),
  tags: Tags,
  appliesTo: v.strictObject({
    deviceKinds: list(v.picklist(DEVICE_KINDS), DEVICE_KINDS.length),
    tags: Tags,
    siteIds: list(Id, 500),
  }),
  steps: list(RunbookStep, 200),
  status: v.picklist(RUNBOOK_STATUSES),
  version: integer(1, 1_000_000),
  approvedBy: v.optional(Id),
  approvedAt: v.optional(Timestamp),
});
export type Runbook = v.InferOutput<typeof Runbook>;
