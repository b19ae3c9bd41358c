import * as v from 'valibot';
import { Id, Timestamp, documentBase, text } from './common.ts';

export const TIMELINE_KINDS = ['note', 'status', 'severity', 'action', 'link'] as const;

/** Append-only: one document per entry, so entries written offline by two people never conflict. */
export const TimelineEntry = v.strictObject({
  ...documentBase,
  siteId: Id,
  incidentId: Id,
  at: Timestamp,
  by: Id,
  kind: v.picklist(TIMELINE_KINDS),
  text: text(8000, 1),
});
export type TimelineEntry = v.InferOutput<typeof TimelineEntry>;
