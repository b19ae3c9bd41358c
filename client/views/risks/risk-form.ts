import { mergeDocuments } from '../../../shared/merge/merge.ts';
import type { Risk } from '../../../shared/schema/risk.ts';

const DAY_MS = 86_400_000;
/** A new risk is reviewed within a quarter unless its owner says otherwise. */
const FIRST_REVIEW_DAYS = 90;

/** A new risk with the register's usual starting point; the person fills in the rest. */
export function blankRisk(orgId: string, id: string, now: Date): Risk {
  return {
    id,
    orgId,
    updatedAt: now.toISOString(),
    title: '',
    description: '',
    category: 'security',
    likelihood: 3,
    impact: 3,
    score: 9,
    treatment: 'mitigate',
    mitigations: [],
    status: 'open',
    nextReviewAt: dateToIso(isoToDate(new Date(now.getTime() + FIRST_REVIEW_DAYS * DAY_MS).toISOString())),
    links: { deviceIds: [], siteIds: [], runbookIds: [], incidentIds: [] },
    decisions: [],
  };
}

/** Dates in the register are calendar days, stored as midnight UTC so every time zone reads the same day. */
export const isoToDate = (iso: string | undefined) => iso?.slice(0, 10) ?? '';
export const dateToIso = (date: string) => (date ? `${date}T00:00:00.000Z` : '');

/** The form's draft as a plain document: no store proxies, and unset optional fields gone. */
export const plainDraft = (draft: Risk): Risk => JSON.parse(JSON.stringify(draft)) as Risk;

/**
 * The saved document: the person's edits (draft against what they opened) applied to the latest
 * state, with the same merge sync uses. Changes that arrived meanwhile in other fields stay; where
 * someone changed the same field, the person's value wins and theirs is kept as a conflict record.
 */
export function applyFormEdits(opened: Risk, draft: Risk, latest: Risk): Risk {
  return mergeDocuments({ base: opened, master: plainDraft(draft), local: latest });
}
