import { describe, expect, it } from 'vitest';
import type { Risk } from '../../../shared/schema/risk.ts';
import { criteriaOf, filterRisks, isReviewOverdue, nextSort, sortOf, sortRisks, summarize } from './risk-register.ts';

let counter = 0;
const risk = (overrides: Partial<Risk>): Risk => ({
  id: `0191d2f0-0000-7000-8000-${String(++counter).padStart(12, '0')}`,
  orgId: '0191d2f0-0000-7000-8000-000000000000',
  updatedAt: '2026-01-01T00:00:00.000Z',
  title: 'Risk',
  description: '',
  category: 'security',
  likelihood: 1,
  impact: 1,
  score: 1,
  treatment: 'mitigate',
  mitigations: [],
  status: 'open',
  nextReviewAt: '2026-06-01T00:00:00.000Z',
  links: { deviceIds: [], siteIds: [], runbookIds: [], incidentIds: [] },
  decisions: [],
  ...overrides,
});

const names: Record<string, string> = { u1: 'Zoe', u2: 'Adam' };
const ownerName = (id: string | undefined) => (id ? (names[id] ?? 'a former member') : 'nobody');

const ups = risk({ title: 'UPS batteries', category: 'hardware', likelihood: 4, impact: 3, score: 12, status: 'mitigating', ownerId: 'u1', nextReviewAt: '2026-01-10T00:00:00.000Z' });
const phishing = risk({ title: 'Phishing', description: 'Staff click links', likelihood: 5, impact: 4, score: 20, ownerId: 'u2' });
const vendor = risk({ title: 'POS vendor support ends', category: 'vendor', treatment: 'accept', status: 'closed', likelihood: 4, impact: 3, score: 12, nextReviewAt: '2025-01-01T00:00:00.000Z' });
const all = [ups, phishing, vendor];

describe('risk register', () => {
  it('lists an accepted risk whose acceptance expired as open, and sorts it with the open ones', () => {
    const now = Date.parse('2026-03-01T00:00:00.000Z');
    const acceptance = (until: string) => ({ approvedBy: '0191d2f0-0000-7000-8000-0000000000aa', approvedAt: '2025-03-01T00:00:00.000Z', until });
    const lapsed = risk({ title: 'Lapsed', treatment: 'accept', status: 'accepted', acceptance: acceptance('2026-02-01T00:00:00.000Z') });
    const running = risk({ title: 'Running', treatment: 'accept', status: 'accepted', acceptance: acceptance('2026-09-01T00:00:00.000Z') });
    const register = [...all, lapsed, running];
    expect(filterRisks(register, criteriaOf({ status: 'open' }), ownerName, true, now)).toEqual([phishing, lapsed]);
    expect(filterRisks(register, criteriaOf({ status: 'accepted' }), ownerName, true, now)).toEqual([running]);
    expect(sortRisks(register, sortOf({ sort: 'status' }), ownerName, now).map((r) => r.title)).toEqual(['Lapsed', 'Phishing', 'UPS batteries', 'Running', 'POS vendor support ends']);
  });

  it('filters by status, category, treatment, text (owner names included) and heat-map cell', () => {
    expect(filterRisks(all, criteriaOf({ status: 'open' }), ownerName)).toEqual([phishing]);
    expect(filterRisks(all, criteriaOf({ category: 'vendor', treatment: 'accept' }), ownerName)).toEqual([vendor]);
    expect(filterRisks(all, criteriaOf({ q: 'click' }), ownerName)).toEqual([phishing]);
    expect(filterRisks(all, criteriaOf({ q: 'zoe' }), ownerName)).toEqual([ups]);
    expect(filterRisks(all, criteriaOf({ likelihood: '4', impact: '3' }), ownerName)).toEqual([ups, vendor]);
    expect(filterRisks(all, criteriaOf({ likelihood: '4', impact: '3' }), ownerName, false)).toEqual(all);
  });

  it('ignores filter values it does not know instead of hiding everything', () => {
    expect(filterRisks(all, criteriaOf({ status: 'bogus', likelihood: '9', impact: '3' }), ownerName)).toEqual(all);
  });

  it('sorts by score (highest first by default), title, status, review date and owner', () => {
    expect(sortOf({})).toEqual({ key: 'score', direction: 'descending' });
    expect(sortRisks(all, sortOf({}), ownerName).map((r) => r.title)).toEqual(['Phishing', 'POS vendor support ends', 'UPS batteries']);
    expect(sortRisks(all, sortOf({ sort: 'title' }), ownerName).map((r) => r.title)).toEqual(['Phishing', 'POS vendor support ends', 'UPS batteries']);
    expect(sortRisks(all, sortOf({ sort: 'status', dir: 'desc' }), ownerName).map((r) => r.status)).toEqual(['closed', 'mitigating', 'open']);
    expect(sortRisks(all, sortOf({ sort: 'nextReviewAt' }), ownerName)[0]).toBe(vendor);
    expect(sortRisks(all, sortOf({ sort: 'owner' }), ownerName).map((r) => ownerName(r.ownerId))).toEqual(['Adam', 'nobody', 'Zoe']);
  });

  it('flips the direction of the sorted column and starts another at its natural order', () => {
    expect(nextSort({ key: 'score', direction: 'descending' }, 'score')).toEqual({ sort: 'score', dir: 'asc' });
    expect(nextSort({ key: 'score', direction: 'descending' }, 'title')).toEqual({ sort: 'title', dir: 'asc' });
  });

  it('calls a review overdue only for risks that are not closed', () => {
    const now = Date.parse('2026-02-01T00:00:00.000Z');
    expect(isReviewOverdue(ups, now)).toBe(true);
    expect(isReviewOverdue(vendor, now)).toBe(false);
    expect(isReviewOverdue(phishing, now)).toBe(false);
  });

  it('sums up what needs attention: live and critical risks, overdue reviews and actions', () => {
    const now = Date.parse('2026-02-01T00:00:00.000Z');
    const late = risk({
      score: 25, likelihood: 5, impact: 5, nextReviewAt: '2026-03-01T00:00:00.000Z',
      mitigations: [
        { id: 'm1', action: 'Late', status: 'open', dueAt: '2026-01-01T00:00:00.000Z' },
        { id: 'm2', action: 'Late but done', status: 'done', dueAt: '2026-01-01T00:00:00.000Z' },
        { id: 'm3', action: 'Not due', status: 'open', dueAt: '2026-03-01T00:00:00.000Z' },
      ],
    });
    expect(summarize([...all, late], now)).toEqual({ live: 3, critical: 2, reviewsOverdue: 1, actionsOverdue: 1 });
  });
});
