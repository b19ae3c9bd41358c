import { describe, expect, it } from 'vitest';
import { authorizeWrite, type DocumentState, type WriteDecision } from '../auth/permissions.ts';
import { uuidv7 } from '../id/uuidv7.ts';
import type { Risk } from '../schema/risk.ts';
import type { Role } from '../schema/user.ts';
import { RISK_ACCEPTANCE_MAX_DAYS, effectiveRiskStatus, isAcceptanceExpired, latestAcceptanceUntil } from './acceptance.ts';

const ORG = uuidv7();
const MANAGER = uuidv7();
const COLLEAGUE = uuidv7();
const DAY = 24 * 60 * 60 * 1000;
/** The server's clock in these tests. */
const NOW = Date.parse('2026-03-02T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const risk = (extra: Partial<Risk> = {}): Risk => ({
  id: uuidv7(), orgId: ORG, updatedAt: iso(NOW), title: 'Single uplink at the warehouse', description: '', category: 'availability',
  likelihood: 3, impact: 4, score: 12, treatment: 'accept', mitigations: [], status: 'open', nextReviewAt: iso(NOW + 30 * DAY),
  links: { deviceIds: [], siteIds: [], runbookIds: [], incidentIds: [] }, decisions: [], ...extra,
});
const acceptance = (approvedBy: string, untilMs: number): NonNullable<Risk['acceptance']> => ({ approvedBy, approvedAt: iso(NOW), until: iso(untilMs) });

function write(before: Risk | undefined, after: Risk, options: { role?: Role; maxDays?: number } = {}): WriteDecision {
  const state = (document: Risk): DocumentState => ({ ...document, _deleted: false });
  return authorizeWrite({
    actor: { userId: MANAGER, memberships: [{ orgId: ORG, role: options.role ?? 'manager', siteIds: 'all' }] },
    collection: 'risks',
    before: before === undefined ? undefined : state(before),
    after: state(after),
    context: { runbooks: new Map(), now: NOW, ...(options.maxDays === undefined ? {} : { riskAcceptanceMaxDays: options.maxDays }) },
  });
}

describe('recording a risk acceptance', () => {
  const open = risk();

  it('lets a manager accept a risk in their own name, for up to a year', () => {
    expect(write(open, { ...open, status: 'accepted', acceptance: acceptance(MANAGER, NOW + 180 * DAY) })).toEqual({ allowed: true });
    expect(write(open, { ...open, status: 'accepted', acceptance: acceptance(MANAGER, latestAcceptanceUntil(NOW)) })).toEqual({ allowed: true });
  });

  it('refuses an acceptance signed by someone else, on a new risk too', () => {
    const forged = { ...open, status: 'accepted' as const, acceptance: acceptance(COLLEAGUE, NOW + 30 * DAY) };
    expect(write(open, forged)).toMatchObject({ allowed: false, reason: 'acceptance.approvedBy must be you', field: 'acceptance' });
    expect(write(undefined, forged)).toMatchObject({ allowed: false, field: 'acceptance' });
    expect(write(open, forged, { role: 'admin' })).toMatchObject({ allowed: false, field: 'acceptance' });
  });

  it('refuses an acceptance valid until 2099, or a day past the bound', () => {
    expect(write(open, { ...open, status: 'accepted', acceptance: { ...acceptance(MANAGER, NOW), until: '2099-12-31T00:00:00.000Z' } })).toMatchObject({
      allowed: false,
      reason: `an acceptance can run at most ${RISK_ACCEPTANCE_MAX_DAYS} days: choose an earlier end, and review the risk again then`,
      field: 'acceptance',
    });
    expect(write(open, { ...open, status: 'accepted', acceptance: acceptance(MANAGER, latestAcceptanceUntil(NOW) + DAY) })).toMatchObject({ allowed: false });
  });

  it('takes the bound from the server’s configuration', () => {
    const sixMonths = { ...open, status: 'accepted' as const, acceptance: acceptance(MANAGER, NOW + 180 * DAY) };
    expect(write(open, sixMonths, { maxDays: 90 })).toMatchObject({ allowed: false, reason: expect.stringContaining('at most 90 days') });
    expect(write(open, sixMonths, { maxDays: 200 })).toEqual({ allowed: true });
  });

  it('judges the signature only when the acceptance changes: other edits of a colleague’s acceptance stand', () => {
    const accepted = { ...open, status: 'accepted' as const, acceptance: acceptance(COLLEAGUE, NOW + 30 * DAY) };
    expect(write(accepted, { ...accepted, title: 'Single uplink at the warehouse (LTE ordered)' })).toEqual({ allowed: true });
    expect(write(accepted, { ...accepted, acceptance: { ...acceptance(COLLEAGUE, NOW + 300 * DAY) } })).toMatchObject({ allowed: false, field: 'acceptance' });
    expect(write(accepted, { ...accepted, acceptance: acceptance(MANAGER, NOW + 300 * DAY) })).toEqual({ allowed: true });
  });

  it('refuses accepting again under an expired acceptance, and accepts with a renewed one', () => {
    const lapsed = { ...open, acceptance: acceptance(COLLEAGUE, NOW - DAY) };
    expect(write(lapsed, { ...lapsed, status: 'accepted' })).toMatchObject({ allowed: false, field: 'status' });
    expect(write(lapsed, { ...lapsed, status: 'accepted', acceptance: acceptance(MANAGER, NOW + 90 * DAY) })).toEqual({ allowed: true });
  });
});

describe('an expired acceptance reopens the risk', () => {
  const accepted = risk({ status: 'accepted', acceptance: acceptance(COLLEAGUE, NOW) });

  it('is accepted until the acceptance ends, and open from then on', () => {
    expect(effectiveRiskStatus(accepted, NOW - 1)).toBe('accepted');
    expect(effectiveRiskStatus(accepted, NOW)).toBe('open');
    expect(isAcceptanceExpired(accepted, NOW + DAY)).toBe(true);
  });

  it('leaves other statuses, and acceptances without an end recorded, as they are', () => {
    expect(effectiveRiskStatus({ ...accepted, status: 'closed' }, NOW + DAY)).toBe('closed');
    expect(effectiveRiskStatus({ ...accepted, status: 'mitigating' }, NOW + DAY)).toBe('mitigating');
    expect(effectiveRiskStatus(risk({ status: 'accepted' }), NOW + DAY)).toBe('accepted');
  });

  it('treats an unreadable end as passed', () => {
    expect(effectiveRiskStatus({ ...accepted, acceptance: { ...acceptance(COLLEAGUE, NOW), until: 'soon' } }, NOW - DAY)).toBe('open');
  });
});
