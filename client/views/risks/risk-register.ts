import { effectiveRiskStatus } from '../../../shared/risk/acceptance.ts';
import { RISK_CATEGORIES, RISK_STATUSES, RISK_TREATMENTS, type Risk } from '../../../shared/schema/risk.ts';

/**
 * The register's filters and sort live in the address (`/risks?status=open&sort=score`), so the
 * heat map can link into it, Back restores it and a filtered view can be shared.
 */
export const REGISTER_PARAMS = ['status', 'category', 'treatment', 'q', 'likelihood', 'impact', 'sort', 'dir'] as const;
export type RegisterParams = Partial<Record<(typeof REGISTER_PARAMS)[number], string | undefined>>;

export const SORT_KEYS = ['title', 'score', 'status', 'nextReviewAt', 'owner'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'ascending' | 'descending';
export interface RegisterSort {
  key: SortKey;
  direction: SortDirection;
}

export interface RiskCriteria {
  status: Risk['status'] | undefined;
  category: Risk['category'] | undefined;
  treatment: Risk['treatment'] | undefined;
  text: string;
  cell: { likelihood: number; impact: number } | undefined;
}

const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined => values.find((v) => v === value);
const level = (value: string | undefined) => {
  const number = Number(value);
  return Number.isInteger(number) && number >= 1 && number <= 5 ? number : undefined;
};

export function criteriaOf(params: RegisterParams): RiskCriteria {
  const likelihood = level(params.likelihood);
  const impact = level(params.impact);
  return {
    status: oneOf(RISK_STATUSES, params.status),
    category: oneOf(RISK_CATEGORIES, params.category),
    treatment: oneOf(RISK_TREATMENTS, params.treatment),
    text: (params.q ?? '').trim().toLowerCase(),
    cell: likelihood && impact ? { likelihood, impact } : undefined,
  };
}

/** Highest scores first unless the address says otherwise: what a manager looks at first. */
export function sortOf(params: RegisterParams): RegisterSort {
  const key = oneOf(SORT_KEYS, params.sort) ?? 'score';
  const direction = params.dir === 'asc' ? 'ascending' : params.dir === 'desc' ? 'descending' : key === 'score' ? 'descending' : 'ascending';
  return { key, direction };
}

/** The next sort when a column header is pressed: the same column flips, another starts at its natural order. */
export function nextSort(current: RegisterSort, key: SortKey): Pick<RegisterParams, 'sort' | 'dir'> {
  if (current.key === key) return { sort: key, dir: current.direction === 'ascending' ? 'desc' : 'asc' };
  return { sort: key, dir: key === 'score' ? 'desc' : 'asc' };
}

export type OwnerName = (userId: string | undefined) => string;

/**
 * Everything but the heat-map cell: the map shows where the other filters leave risks. Status is
 * the effective one: an accepted risk whose acceptance expired is listed as open.
 */
export function filterRisks(risks: readonly Risk[], criteria: RiskCriteria, ownerName: OwnerName, withCell = true, now = Date.now()): Risk[] {
  return risks.filter((risk) => {
    if (criteria.status && effectiveRiskStatus(risk, now) !== criteria.status) return false;
    if (criteria.category && risk.category !== criteria.category) return false;
    if (criteria.treatment && risk.treatment !== criteria.treatment) return false;
    if (withCell && criteria.cell && (risk.likelihood !== criteria.cell.likelihood || risk.impact !== criteria.cell.impact)) return false;
    if (!criteria.text) return true;
    const haystack = `${risk.title}\n${risk.description}\n${risk.category}\n${ownerName(risk.ownerId)}`.toLowerCase();
    return haystack.includes(criteria.text);
  });
}

const STATUS_ORDER = new Map<string, number>(RISK_STATUSES.map((status, index) => [status, index]));

export function sortRisks(risks: readonly Risk[], sort: RegisterSort, ownerName: OwnerName, now = Date.now()): Risk[] {
  const statusRank = (risk: Risk) => STATUS_ORDER.get(effectiveRiskStatus(risk, now)) ?? 0;
  const compare: Record<SortKey, (a: Risk, b: Risk) => number> = {
    title: (a, b) => a.title.localeCompare(b.title),
    score: (a, b) => a.score - b.score,
    status: (a, b) => statusRank(a) - statusRank(b),
    nextReviewAt: (a, b) => a.nextReviewAt.localeCompare(b.nextReviewAt),
    owner: (a, b) => ownerName(a.ownerId).localeCompare(ownerName(b.ownerId)),
  };
  const sign = sort.direction === 'ascending' ? 1 : -1;
  // Ties fall back to the title, so the order is stable as documents sync in.
  return [...risks].sort((a, b) => sign * compare[sort.key](a, b) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}

/** An open risk whose review date has passed. */
export const isReviewOverdue = (risk: Pick<Risk, 'status' | 'nextReviewAt'>, now: number) => risk.status !== 'closed' && Date.parse(risk.nextReviewAt) < now;

export interface RegisterSummary {
  /** Not closed. */
  live: number;
  /** Not closed and scored 20 or more. */
  critical: number;
  reviewsOverdue: number;
  /** Open mitigation actions past their due date, on risks not closed. */
  actionsOverdue: number;
}

export function summarize(risks: readonly Risk[], now: number): RegisterSummary {
  const live = risks.filter((risk) => risk.status !== 'closed');
  return {
    live: live.length,
    critical: live.filter((risk) => risk.score >= 20).length,
    reviewsOverdue: live.filter((risk) => isReviewOverdue(risk, now)).length,
    actionsOverdue: live.reduce((sum, risk) => sum + risk.mitigations.filter((m) => m.status === 'open' && m.dueAt !== undefined && Date.parse(m.dueAt) < now).length, 0),
  };
}
