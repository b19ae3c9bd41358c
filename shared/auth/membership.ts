import type { Role } from '../schema/user.ts';

/** A user's role in one organization, optionally limited to some of its sites. */
export interface Membership {
  orgId: string;
  role: Role;
  /** 'all': every site of the org */
  siteIds: readonly string[] | 'all';
}

/** Who is writing: a user and their roles per organization. */
export interface Actor {
  userId: string;
  memberships: readonly Membership[];
}

export function membershipFor(actor: Actor, orgId: string): Membership | undefined {
  return actor.memberships.find((m) => m.orgId === orgId);
}

/**
 * Whether a membership covers a site. A document without a site belongs to the whole
 * organization, so only a member of every site reaches it.
 */
export function reachesSite(membership: Membership, siteId: string | undefined): boolean {
  if (membership.siteIds === 'all') return true;
  return siteId !== undefined && membership.siteIds.includes(siteId);
}
