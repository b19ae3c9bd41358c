import { createSignal } from 'solid-js';
import type { Actor, Membership } from '../../shared/auth/membership.ts';
import type { Role } from '../../shared/schema/user.ts';
import { ApiRequestError, isNetworkError, requestJson } from './api.ts';

/** The account as `/api/auth/me` describes it (never any password material). */
export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  memberships: { orgId: string; role: Role; siteIds: string[] | null }[];
}

const USER_KEY = 'outpost.user';

function readCachedUser(): SignedInUser | undefined {
  try {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as SignedInUser) : undefined;
  } catch {
    return undefined;
  }
}

const [user, setUser] = createSignal<SignedInUser | undefined>(readCachedUser());
export { user };

export function actorOf(account: SignedInUser): Actor {
  return {
    userId: account.id,
    memberships: account.memberships.map((m): Membership => ({ orgId: m.orgId, role: m.role, siteIds: m.siteIds ?? 'all' })),
  };
}

/** The most capable role the user holds anywhere: what navigation offers. */
export function highestRole(account: SignedInUser): Role {
  const order: Role[] = ['admin', 'manager', 'technician', 'staff'];
  return order.find((role) => account.memberships.some((m) => m.role === role)) ?? 'staff';
}

function remember(account: SignedInUser | undefined): void {
  if (account) localStorage.setItem(USER_KEY, JSON.stringify(account));
  else localStorage.removeItem(USER_KEY);
  setUser(account);
}

export async function signIn(email: string, password: string): Promise<SignedInUser> {
  const { user: account } = await requestJson<{ user: SignedInUser }>('/api/auth/login', {
    method: 'POST',
    body: JSON.stringify({ email, password }),
  });
  remember(account);
  return account;
}

/**
 * Confirms the session with the server when it can be reached. Offline, the cached account is
 * kept: the cookie lasts 30 days and the replica stays usable without a network.
 */
export async function refreshSession(): Promise<void> {
  try {
    const { user: account } = await requestJson<{ user: SignedInUser }>('/api/auth/me');
    remember(account);
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) remember(undefined);
    else if (!isNetworkError(error) && !(error instanceof ApiRequestError)) throw error;
  }
}

/**
 * Forgets the account here and ends the session on the server; false when the server could not
 * be reached (the caller retries later).
 */
export async function endSession(): Promise<boolean> {
  remember(undefined);
  try {
    await requestJson<void>('/api/auth/logout', { method: 'POST' });
    return true;
  } catch (error) {
    if (isNetworkError(error)) return false;
    throw error;
  }
}
