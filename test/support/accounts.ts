import type { Membership } from '../../shared/auth/permissions.ts';
import type { Role } from '../../shared/schema/user.ts';
import { syncDirectory } from '../../server/admin/directory.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { SYSTEM_PRINCIPAL } from '../../server/auth/principal.ts';
import type { UserRecord } from '../../server/store/accounts.ts';
import { makeOrg, makeSite } from './documents.ts';
import type { TestServer } from './server.ts';

export interface MembershipSpec {
  orgId: string;
  role: Role;
  /** Absent: all sites. */
  siteIds?: string[];
}

/** Another organization with one site, straight in the store: no route creates organizations. */
export async function addOrganization(server: TestServer, name: string): Promise<{ orgId: string; siteId: string }> {
  const org = makeOrg({ name });
  const site = makeSite(org.id, { name: `${name}, site 1` });
  await server.store.insertMany('orgs', [{ ...org, _deleted: false }]);
  await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
  return { orgId: org.id, siteId: site.id };
}

/**
 * An account with any memberships, straight in the store (with its directory entries), as the
 * server's seeding makes them: how a test gets an administrator of an organization the
 * bootstrap administrator does not run. Pass `passwordHash` to skip hashing for many accounts.
 */
export async function addAccount(
  server: TestServer,
  account: { email: string; name?: string; memberships: readonly MembershipSpec[] } & ({ password: string } | { passwordHash: string }),
): Promise<UserRecord> {
  const now = Date.now();
  const memberships: Membership[] = account.memberships.map((m) => ({ orgId: m.orgId, role: m.role, siteIds: m.siteIds ?? 'all' }));
  const user: UserRecord = {
    id: crypto.randomUUID(),
    email: account.email,
    name: account.name ?? account.email.split('@')[0] ?? 'Someone',
    passwordHash: 'passwordHash' in account ? account.passwordHash : await hashPassword(account.password),
    isDisabled: false,
    memberships,
    createdAt: now,
    updatedAt: now,
  };
  await server.store.users.create(user);
  await syncDirectory(server.store, { after: user }, SYSTEM_PRINCIPAL);
  return (await server.store.users.get(user.id)) ?? user;
}
