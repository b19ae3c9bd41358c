import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../app/api.ts';
import { OFFLINE_MESSAGE, describeFailure, tokenState, type EnrollmentToken } from './admin-api.ts';
import { draftsFor, membershipsOf } from './memberships.ts';

describe('administration helpers', () => {
  it('puts a server error at its form field, in the words after the field name', () => {
    expect(describeFailure(new ApiRequestError(400, 'invalid_input', 'body.email: must be an email address (expected email)', 'body.email'))).toEqual({
      field: 'email',
      message: 'must be an email address (expected email)',
    });
    expect(describeFailure(new ApiRequestError(400, 'invalid_input', 'body.memberships.0.siteIds: must list at least one site', 'body.memberships.0.siteIds')).field).toBe('memberships');
    expect(describeFailure(new ApiRequestError(409, 'last_admin', 'an organization must keep at least one active administrator'))).toEqual({ message: 'an organization must keep at least one active administrator' });
  });

  it('says plainly that the server cannot be reached when the request never left', () => {
    expect(describeFailure(new TypeError('Failed to fetch'))).toEqual({ message: OFFLINE_MESSAGE });
  });

  it('tells active, expired, revoked and used-up tokens apart', () => {
    const token: EnrollmentToken = { id: 't', orgId: 'o', siteId: 's', createdBy: 'u', createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-04T00:00:00.000Z', revokedAt: null, uses: 0, maxUses: null };
    const now = Date.parse('2026-01-02T00:00:00.000Z');
    expect(tokenState(token, now)).toBe('active');
    expect(tokenState(token, Date.parse('2026-01-05T00:00:00.000Z'))).toBe('expired');
    expect(tokenState({ ...token, revokedAt: '2026-01-01T12:00:00.000Z' }, now)).toBe('revoked');
    expect(tokenState({ ...token, uses: 40 }, now)).toBe('active');
    expect(tokenState({ ...token, uses: 2, maxUses: 3 }, now)).toBe('active');
    expect(tokenState({ ...token, uses: 3, maxUses: 3 }, now)).toBe('used up');
  });

  it('edits access per administered organization and sends only the ones granted', () => {
    const drafts = draftsFor(['a', 'b'], [{ orgId: 'a', role: 'staff', siteIds: ['s1'] }, { orgId: 'elsewhere', role: 'admin', siteIds: null }]);
    expect(drafts).toEqual([{ orgId: 'a', role: 'staff', siteIds: ['s1'] }, { orgId: 'b', role: '', siteIds: null }]);
    expect(membershipsOf(drafts)).toEqual([{ orgId: 'a', role: 'staff', siteIds: ['s1'] }]);
    expect(membershipsOf([{ orgId: 'b', role: 'manager', siteIds: null }])).toEqual([{ orgId: 'b', role: 'manager' }]);
  });
});
