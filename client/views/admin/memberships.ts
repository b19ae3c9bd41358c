import type { Role } from '../../../shared/schema/user.ts';
import type { AdminMembership, MembershipInput } from './admin-api.ts';

/** One organization's row of the editor: no access (role ''), or a role on all or some sites. */
export interface MembershipDraft {
  orgId: string;
  role: Role | '';
  /** null: all sites. */
  siteIds: string[] | null;
}

export const ROLE_LABELS: Record<Role, string> = { admin: 'Admin', manager: 'Manager', technician: 'Technician', staff: 'Site staff' };

/** A row per organization the admin runs, filled from the user's memberships there. */
export const draftsFor = (orgIds: readonly string[], memberships: readonly AdminMembership[]): MembershipDraft[] =>
  orgIds.map((orgId) => {
    const membership = memberships.find((m) => m.orgId === orgId);
    return { orgId, role: membership?.role ?? '', siteIds: membership?.siteIds ?? null };
  });

export const membershipsOf = (drafts: readonly MembershipDraft[]): MembershipInput[] =>
  drafts.flatMap((d) => (d.role === '' ? [] : [{ orgId: d.orgId, role: d.role, ...(d.siteIds ? { siteIds: d.siteIds } : {}) }]));

