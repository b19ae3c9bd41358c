import type { Role } from '../../../shared/schema/user.ts';
import { ApiRequestError, isNetworkError, requestJson } from '../../app/api.ts';

/** The administration API's shapes (server/admin/*-routes.ts); never any password material. */
export interface AdminMembership {
  orgId: string;
  role: Role;
  /** null: every site of the organization. */
  siteIds: string[] | null;
}

export interface AdminUser {
  id: string;
  email: string;
  name: string;
  isDisabled: boolean;
  memberships: AdminMembership[];
}

export interface EnrollmentToken {
  id: string;
  orgId: string;
  siteId: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  uses: number;
  /** null: as many enrollments as come before it expires. */
  maxUses: number | null;
}

export interface IssuedToken {
  id: string;
  token: string;
  siteId: string;
  expiresAt: string;
  maxUses: number | null;
}

/** What a membership looks like on the wire: all sites is the absence of a list. */
export type MembershipInput = { orgId: string; role: Role; siteIds?: string[] };

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });

export const adminApi = {
  listUsers: () => requestJson<{ users: AdminUser[] }>('/api/admin/users').then((r) => r.users),
  createUser: (input: { name: string; email: string; password: string; memberships: MembershipInput[] }) =>
    requestJson<{ user: AdminUser }>('/api/admin/users', json('POST', input)).then((r) => r.user),
  updateUser: (id: string, change: { name?: string; email?: string; password?: string; memberships?: MembershipInput[]; isDisabled?: boolean }) =>
    requestJson<{ user: AdminUser }>(`/api/admin/users/${id}`, json('PATCH', change)).then((r) => r.user),
  listTokens: () => requestJson<{ tokens: EnrollmentToken[] }>('/api/admin/enrollment-tokens').then((r) => r.tokens),
  createToken: (siteId: string, expiresInHours: number, maxUses?: number) =>
    requestJson<IssuedToken>('/api/admin/enrollment-tokens', json('POST', { siteId, expiresInHours, ...(maxUses === undefined ? {} : { maxUses }) })),
  revokeToken: (id: string) => requestJson<void>(`/api/admin/enrollment-tokens/${id}`, { method: 'DELETE' }),
};

/** A failed request as the page shows it: a message, and the form field at fault when there is one. */
export interface Failure {
  message: string;
  field?: string;
}

export const OFFLINE_MESSAGE = 'The server cannot be reached. Users and enrollment tokens live on the server: connect and try again.';

export function describeFailure(error: unknown): Failure {
  if (isNetworkError(error)) return { message: OFFLINE_MESSAGE };
  if (error instanceof ApiRequestError) {
    // "body.email: must be an email address" → the field "email" and its message.
    const field = error.field?.replace(/^body\./, '').split('.')[0];
    const message = error.message.replace(/^body\.[\w.]+: /, '');
    return field ? { message, field } : { message };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

export type TokenState = 'active' | 'expired' | 'revoked' | 'used up';
export function tokenState(token: EnrollmentToken, now: number): TokenState {
  if (token.revokedAt) return 'revoked';
  if (Date.parse(token.expiresAt) <= now) return 'expired';
  return token.maxUses !== null && token.uses >= token.maxUses ? 'used up' : 'active';
}
