import type { Membership } from '../../shared/auth/permissions.ts';

/**
 * Who is asking, and what they may see. Every store query receives the principal's scope, so
 * authorization is decided in one place and never forgotten by a route.
 */
export interface OrgScope {
  orgId: string;
  /** 'all': every site of the organization, present and future. */
  siteIds: readonly string[] | 'all';
}

export type Scope = { kind: 'everything' } | { kind: 'orgs'; orgs: readonly OrgScope[] };

export interface Principal {
  kind: 'user' | 'agent' | 'system';
  id: string;
  scope: Scope;
  /** Roles per organization (users only). */
  memberships?: readonly Membership[];
  /** The session behind a user principal, hashed (to end it, and to end its streams on revocation). */
  sessionTokenHash?: string;
}

/** The server itself (seeding, maintenance): unrestricted. */
export const SYSTEM_PRINCIPAL: Principal = { kind: 'system', id: 'system', scope: { kind: 'everything' } };

export function userPrincipal(userId: string, memberships: readonly Membership[], sessionTokenHash?: string): Principal {
  return {
    kind: 'user',
    id: userId,
    memberships,
    scope: { kind: 'orgs', orgs: memberships.map((m) => ({ orgId: m.orgId, siteIds: m.siteIds })) },
    ...(sessionTokenHash === undefined ? {} : { sessionTokenHash }),
  };
}
