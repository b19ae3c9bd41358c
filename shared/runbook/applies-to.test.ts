import { describe, expect, it } from 'vitest';
import { appliesToDevice, appliesToSite } from './applies-to.ts';

const SITE = '00000000-0000-7000-8000-000000000001';
const OTHER_SITE = '00000000-0000-7000-8000-000000000002';
const printer = { kind: 'printer' as const, tags: ['receipt', 'lane-3'], siteId: SITE };
const runbook = (appliesTo: Partial<{ deviceKinds: ('printer' | 'pos')[]; tags: string[]; siteIds: string[] }>) => ({
  appliesTo: { deviceKinds: [], tags: [], siteIds: [], ...appliesTo },
});

describe('appliesToDevice', () => {
  it('applies to every device when nothing narrows it', () => {
    expect(appliesToDevice(runbook({}), printer)).toBe(true);
  });

  it('narrows by kind, by all of its tags and by site', () => {
    expect(appliesToDevice(runbook({ deviceKinds: ['printer', 'pos'] }), printer)).toBe(true);
    expect(appliesToDevice(runbook({ deviceKinds: ['pos'] }), printer)).toBe(false);
    expect(appliesToDevice(runbook({ tags: ['receipt'] }), printer)).toBe(true);
    expect(appliesToDevice(runbook({ tags: ['receipt', 'label'] }), printer)).toBe(false);
    expect(appliesToDevice(runbook({ siteIds: [OTHER_SITE] }), printer)).toBe(false);
  });
});

describe('appliesToSite', () => {
  it('refuses only sites a site-specific runbook was not written for', () => {
    expect(appliesToSite(runbook({}), OTHER_SITE)).toBe(true);
    expect(appliesToSite(runbook({ siteIds: [SITE] }), SITE)).toBe(true);
    expect(appliesToSite(runbook({ siteIds: [SITE] }), OTHER_SITE)).toBe(false);
  });
});
