import * as v from 'valibot';
import { Id, Timestamp, documentBase, list, text } from './common.ts';

export const INCIDENT_SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
export const INCIDENT_STATUSES = ['triage', 'contained', 'resolved', 'closed'] as const;

export const Incident = v.strictObject({
  ...documentBase,
  siteId: Id,
  title: text(200, 1),
  summary: text(4000),
  severity: v.picklist(INCIDENT_SEVERITIES),
  status: v.picklist(INCIDENT_STATUSES),
  deviceIds: list(Id, 500),
  alertIds: list(Id, 500),
  runIds: list(Id, 500),
  openedBy: Id,
  openedAt: Timestamp,
  acknowledgedAt: v.optional(Timestamp),
  resolvedAt: v.optional(Timestamp),
  closedAt: v.optional(Timestamp),
});
export type Incident = v.InferOutput<typeof Incident>;
