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
}

/** The server itself (seeding, maintenance): unrestricted. */
export const SYSTEM_PRINCIPAL: Principal = { kind: 'system', id: 'system', scope: { kind: 'everything' } };
