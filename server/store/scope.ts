import type { OrgScope, Scope } from '../auth/principal.ts';

export type ResolvedOrgScope = OrgScope;

/** The organizations a scope reaches, in a stable order so paged pulls are deterministic. */
export function scopedOrgs(scope: Scope, existingOrgIds: readonly string[]): ResolvedOrgScope[] {
  if (scope.kind === 'everything') return existingOrgIds.map((orgId) => ({ orgId, siteIds: 'all' }));
  return [...scope.orgs].sort((a, b) => (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : 0));
}

/** Whether a document of an organization (and site, if it has one) is inside the scope. */
export function isInScope(scope: Scope, orgId: string, siteId: string | undefined): boolean {
  if (scope.kind === 'everything') return true;
  const org = scope.orgs.find((o) => o.orgId === orgId);
  if (!org) return false;
  return org.siteIds === 'all' || siteId === undefined || org.siteIds.includes(siteId);
}
