import * as v from 'valibot';
import { Id, Timestamp, documentBase, text } from './common.ts';

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;

export const Alert = v.pipe(
  v.strictObject({
    ...documentBase,
    siteId: Id,
    deviceId: Id,
    rule: text(100, 1),
    severity: v.picklist(ALERT_SEVERITIES),
    message: text(1000, 1),
    status: v.picklist(ALERT_STATUSES),
    openedAt: Timestamp,
    acknowledgedAt: v.optional(Timestamp),
    acknowledgedBy: v.optional(Id),
    resolvedAt: v.optional(Timestamp),
    resolvedBy: v.optional(Id),
    incidentId: v.optional(Id),
  }),
  v.check(
    (a) => a.status === 'open' || a.acknowledgedAt !== undefined || a.resolvedAt !== undefined,
    'an acknowledged or resolved alert needs acknowledgedAt or resolvedAt',
  ),
);
export type Alert = v.InferOutput<typeof Alert>;
