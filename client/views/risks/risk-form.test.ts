import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Risk } from '../../../shared/schema/risk.ts';
import { applyFormEdits, blankRisk, dateToIso, isoToDate } from './risk-form.ts';

const orgId = '0191d2f0-0000-7000-8000-000000000000';
const id = '0191d2f0-0000-7000-8000-000000000001';

describe('risk form', () => {
  it('starts a new risk that only needs a title to be valid, reviewed in about a quarter', () => {
    const blank = blankRisk(orgId, id, new Date('2026-02-01T15:30:00.000Z'));
    expect(v.safeParse(Risk, blank).success).toBe(false);
    expect(v.safeParse(Risk, { ...blank, title: 'Flooded server room' }).success).toBe(true);
    expect(blank.nextReviewAt).toBe('2026-05-02T00:00:00.000Z');
  });

  it('keeps review dates as calendar days', () => {
    expect(isoToDate('2026-05-02T00:00:00.000Z')).toBe('2026-05-02');
    expect(dateToIso('2026-05-02')).toBe('2026-05-02T00:00:00.000Z');
    expect(dateToIso('')).toBe('');
  });

  it('applies the edits to the latest state: a synced change to another field stays', () => {
    const opened = { ...blankRisk(orgId, id, new Date('2026-02-01T00:00:00.000Z')), title: 'Old title' };
    const draft = { ...opened, title: 'New title' };
    const latest = { ...opened, status: 'mitigating' as const };
    const saved = applyFormEdits(opened, draft, latest);
    expect(saved).toMatchObject({ title: 'New title', status: 'mitigating' });
    expect(saved.conflicts ?? []).toEqual([]);
  });

  it('lets the person’s value win a same-field clash and keeps the other as a conflict record', () => {
    const opened = { ...blankRisk(orgId, id, new Date('2026-02-01T00:00:00.000Z')), title: 'Old title' };
    const saved = applyFormEdits(opened, { ...opened, title: 'Mine' }, { ...opened, title: 'Theirs' });
    expect(saved.title).toBe('Mine');
    expect(saved.conflicts).toEqual([expect.objectContaining({ path: 'title', keptValue: 'Mine', otherValue: 'Theirs' })]);
  });
});
