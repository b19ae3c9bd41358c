import type { Role } from '../schema/user.ts';

/** Each role can do everything the roles below it can (within the rules of a collection). */
const RANK: Record<Role, number> = { staff: 0, technician: 1, manager: 2, admin: 3 };

export function isAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}
