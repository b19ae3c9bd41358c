import { expect } from 'vitest';
import type { UserRecord } from '../../../server/store/accounts.ts';
import type { AdminWorld, Caller, TargetAccount } from './admin-world.ts';

export interface AdminCell {
  world: AdminWorld;
  caller: Caller;
  target: TargetAccount;
}

/** What the store holds of the target: its account, and whether its session still stands. */
export interface Snapshot {
  user: UserRecord | undefined;
  hasSession: boolean;
}

export interface AdminRequest {
  method: 'PATCH' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
}

export interface AdminAction {
  request(cell: AdminCell): AdminRequest;
  /** Fails unless an allowed request did what it asked, and nothing of the account beyond it. */
  expectApplied(before: Snapshot, after: Snapshot, cell: AdminCell): void;
}

const NEW_PASSWORD = 'an-admin-chosen-passphrase';

const patch = (body: unknown) => (cell: AdminCell): AdminRequest => ({ method: 'PATCH', path: `/api/admin/users/${cell.target.id}`, body });
const changedEmail = (cell: AdminCell) => `changed-${cell.target.id}@outpost.test`;
const roleIn = (snapshot: Snapshot, orgId: string) => snapshot.user?.memberships.find((m) => m.orgId === orgId)?.role;
const accountWide = (snapshot: Snapshot) => ({ email: snapshot.user?.email, name: snapshot.user?.name, passwordHash: snapshot.user?.passwordHash, isDisabled: snapshot.user?.isDisabled, hasSession: snapshot.hasSession });

function never(what: string): AdminAction['expectApplied'] {
  return () => {
    throw new Error(`${what} is never allowed: the table must not say so`);
  };
}

/** Creating an account under the target's email, with a membership in `orgId`: the account gains it, nothing else changes. */
function createWithItsEmail(org: 'orgA' | 'orgB'): AdminAction {
  return {
    request: (cell) => ({
      method: 'POST',
      path: '/api/admin/users',
      body: { email: cell.target.email, name: 'Someone Else', password: NEW_PASSWORD, memberships: [{ orgId: cell.world[org], role: 'staff' }] },
    }),
    expectApplied: (before, after, cell) => {
      expect(accountWide(after), 'linking changed the account as a whole').toEqual(accountWide(before));
      expect(after.user?.memberships).toEqual(expect.arrayContaining([...(before.user?.memberships ?? []), { orgId: cell.world[org], role: 'staff', siteIds: 'all' }]));
    },
  };
}

export const ADMIN_ACTIONS = {
  'change the email': {
    request: (cell) => patch({ email: changedEmail(cell) })(cell),
    expectApplied: (_before, after, cell) => expect(after.user?.email).toBe(changedEmail(cell)),
  },
  'change the name': {
    request: patch({ name: 'Renamed by an admin' }),
    expectApplied: (_before, after) => expect(after.user?.name).toBe('Renamed by an admin'),
  },
  'set a password': {
    request: patch({ password: NEW_PASSWORD }),
    expectApplied: (before, after) => {
      expect(after.user?.passwordHash).not.toBe(before.user?.passwordHash);
      expect(after.hasSession, 'a new password must end the sessions').toBe(false);
    },
  },
  'disable': {
    request: patch({ isDisabled: true }),
    expectApplied: (_before, after) => expect(after.user?.isDisabled).toBe(true),
  },
  'end its sessions': {
    request: (cell) => ({ method: 'POST', path: `/api/admin/users/${cell.target.id}/sessions/revoke` }),
    expectApplied: (_before, after) => expect(after.hasSession).toBe(false),
  },
  'make it manager in A': {
    request: (cell) => patch({ memberships: [{ orgId: cell.world.orgA, role: 'manager' }] })(cell),
    expectApplied: (_before, after, cell) => expect(roleIn(after, cell.world.orgA)).toBe('manager'),
  },
  'make it manager in B': {
    request: (cell) => patch({ memberships: [{ orgId: cell.world.orgB, role: 'manager' }] })(cell),
    expectApplied: (_before, after, cell) => expect(roleIn(after, cell.world.orgB)).toBe('manager'),
  },
  'limit it in A to the site of B': {
    request: (cell) => patch({ memberships: [{ orgId: cell.world.orgA, role: 'staff', siteIds: [cell.world.siteB] }] })(cell),
    expectApplied: never('a site of org B in a membership of org A'),
  },
  'limit it in B to the site of A': {
    request: (cell) => patch({ memberships: [{ orgId: cell.world.orgB, role: 'staff', siteIds: [cell.world.siteA] }] })(cell),
    expectApplied: never('a site of org A in a membership of org B'),
  },
  "remove it from the caller's organizations": {
    request: (cell) => ({ method: 'DELETE', path: `/api/admin/users/${cell.target.id}` }),
    expectApplied: (_before, after, cell) => {
      const administers = cell.world.callers[cell.caller].administers;
      expect(after.user?.memberships.filter((m) => administers.includes(m.orgId)) ?? []).toEqual([]);
    },
  },
  'create an account with its email in A': createWithItsEmail('orgA'),
  'create an account with its email in B': createWithItsEmail('orgB'),
} satisfies Record<string, AdminAction>;

export type AdminActionName = keyof typeof ADMIN_ACTIONS;
