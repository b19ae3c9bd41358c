import type { UserRecord } from '../store/accounts.ts';

/** What any route may say about an account: never the password hash. */
export function publicUser(user: UserRecord) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isDisabled: user.isDisabled,
    memberships: user.memberships.map((m) => ({ orgId: m.orgId, role: m.role, siteIds: m.siteIds === 'all' ? null : [...m.siteIds] })),
  };
}
export type PublicUser = ReturnType<typeof publicUser>;
