import * as v from 'valibot';
import { Id, Timestamp, documentBase, integer, list, text } from './common.ts';

export const RISK_TREATMENTS = ['mitigate', 'accept', 'transfer', 'avoid'] as const;
export const RISK_STATUSES = ['open', 'mitigating', 'accepted', 'closed'] as const;
export const RISK_CATEGORIES = [
  'security', 'availability', 'compliance', 'hardware', 'vendor', 'people', 'physical', 'data',
] as const;

const level = integer(1, 5);

export const MitigationAction = v.strictObject({
  id: Id,
  action: text(1000, 1),
  ownerId: v.optional(Id),
  dueAt: v.optional(Timestamp),
  status: v.picklist(['open', 'done'] as const),
});

export const RiskDecision = v.strictObject({
  id: Id,
  at: Timestamp,
  by: Id,
  decision: text(1000, 1),
  rationale: v.optional(text(4000)),
});

export const Risk = v.pipe(
  v.strictObject({
    ...documentBase,
    title: text(200, 1),
    description: text(4000),
    category: v.picklist(RISK_CATEGORIES),
    ownerId: v.optional(Id),
    likelihood: level,
    impact: level,
    /** likelihood × impact, stored so the register can be sorted and indexed by it. */
    score: integer(1, 25),
    treatment: v.picklist(RISK_TREATMENTS),
    mitigations: list(MitigationAction, 100),
    residualLikelihood: v.optional(level),
    residualImpact: v.optional(level),
    status: v.picklist(RISK_STATUSES),
    nextReviewAt: Timestamp,
    links: v.strictObject({
      deviceIds: list(Id, 500),
      siteIds: list(Id, 500),
      runbookIds: list(Id, 100),
      incidentIds: list(Id, 100),
    }),
    decisions: list(RiskDecision, 500),
    /**
     * Who accepted the risk, until when: signed by its writer, at most a year ahead (shared/auth
     * rules). Once `until` passes the risk is open again: effectiveRiskStatus (shared/risk/acceptance.ts).
     */
    acceptance: v.optional(v.strictObject({ approvedBy: Id, approvedAt: Timestamp, until: Timestamp })),
  }),
  v.check((r) => r.score === r.likelihood * r.impact, 'score must equal likelihood × impact'),
);
export type Risk = v.InferOutput<typeof Risk>;
