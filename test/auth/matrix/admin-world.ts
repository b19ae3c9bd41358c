import { hashPassword } from '../../../server/auth/passwords.ts';
import type { UserRecord } from '../../../server/store/accounts.ts';
import { addAccount, addOrganization, type MembershipSpec } from '../../support/accounts.ts';
import { makeSite } from '../../support/documents.ts';
import { signIn, fetchWithCookie, startTestServer, type TestServer } from '../../support/server.ts';

const PASSWORD = 'matrix-of-admins-and-accounts';

/** Who calls the administration routes. */
export const CALLERS = ['admin of A', 'admin of B', 'admin of A and B', 'manager of A'] as const;
export type Caller = (typeof CALLERS)[number];

/** Whose account they try to read or change: where its memberships are. */
export const TARGETS = ['in A', 'in A and B', 'in B'] as const;
export type Target = (typeof TARGETS)[number];

export interface CallerAccount {
  /** fetch carrying the caller's session cookie */
  fetch: typeof fetch;
  /** the organizations the caller administers */
  administers: readonly string[];
}

/** A target account, made fresh for one cell, with one session of its own. */
export interface TargetAccount extends UserRecord {
  sessionTokenHash: string;
}

export interface AdminWorld {
  server: TestServer;
  orgA: string;
  orgB: string;
  siteA: string;
  siteB: string;
  callers: Record<Caller, CallerAccount>;
  addTarget(target: Target): Promise<TargetAccount>;
}

/**
 * One real server: org A (the bootstrap admin's, one site) and org B (one site); callers for
 * every column; targets made in the store (each a technician where it is a member), so that a
 * cell never sees another cell's changes.
 */
export async function buildAdminWorld(): Promise<AdminWorld> {
  const server = await startTestServer();
  const orgA = server.orgId;
  const site = makeSite(orgA, { name: 'Store 1' });
  await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
  const { orgId: orgB, siteId: siteB } = await addOrganization(server, 'Contoso Clinics');

  const caller = async (email: string, memberships: MembershipSpec[]): Promise<CallerAccount> => {
    await addAccount(server, { email, password: PASSWORD, memberships });
    return { fetch: fetchWithCookie(await signIn(server.url, email, PASSWORD)), administers: memberships.filter((m) => m.role === 'admin').map((m) => m.orgId) };
  };
  const callers: Record<Caller, CallerAccount> = {
    'admin of A': { fetch: server.adminFetch, administers: [orgA] },
    'admin of B': await caller('admin.b@outpost.test', [{ orgId: orgB, role: 'admin' }]),
    'admin of A and B': await caller('admin.ab@outpost.test', [{ orgId: orgA, role: 'admin' }, { orgId: orgB, role: 'admin' }]),
    'manager of A': await caller('manager.a@outpost.test', [{ orgId: orgA, role: 'manager' }]),
  };

  const passwordHash = await hashPassword(PASSWORD);
  let count = 0;
  const addTarget = async (target: Target): Promise<TargetAccount> => {
    const orgIds = target === 'in A' ? [orgA] : target === 'in B' ? [orgB] : [orgA, orgB];
    const user = await addAccount(server, { email: `target-${++count}@outpost.test`, passwordHash, memberships: orgIds.map((orgId) => ({ orgId, role: 'technician' })) });
    const sessionTokenHash = `matrix-session-${user.id}`;
    const now = Date.now();
    await server.store.sessions.create({ tokenHash: sessionTokenHash, userId: user.id, createdAt: now, lastSeenAt: now, expiresAt: now + 3_600_000, clientAddress: undefined, userAgent: undefined });
    return { ...user, sessionTokenHash };
  };

  return { server, orgA, orgB, siteA: site.id, siteB, callers, addTarget };
}
