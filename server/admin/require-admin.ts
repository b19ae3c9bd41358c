import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';

/** Organizations the caller administers. */
export function adminOrgIds(c: Context<AppEnv>): string[] {
  return (c.get('principal').memberships ?? []).filter((m) => m.role === 'admin').map((m) => m.orgId);
}

export function requireAdminOf(c: Context<AppEnv>, orgIds: readonly string[], field?: string): void {
  const allowed = new Set(adminOrgIds(c));
  const outside = orgIds.find((orgId) => !allowed.has(orgId));
  if (outside !== undefined || allowed.size === 0) {
    throw new ApiError(403, 'forbidden', 'you are not an administrator of this organization', field);
  }
}
