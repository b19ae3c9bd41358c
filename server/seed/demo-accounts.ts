import type { Membership } from '../../shared/auth/permissions.ts';
import type { UserEntry } from '../../shared/schema/user.ts';
import { syncDirectory } from '../admin/directory.ts';
import { hashPassword } from '../auth/passwords.ts';
import { SYSTEM_PRINCIPAL } from '../auth/principal.ts';
import type { UserRecord } from '../store/accounts.ts';
import type { Store } from '../store/store.ts';

/** Printed by `npm start`; demo data only, never a production default. */
export const DEMO_PASSWORD = 'outpost-field-demo';

/**
 * Sign-in accounts for the generated directory entries (one per role and organization), with
 * the entry's userId as account id so the demo's references (acknowledgedBy, startedBy…) match.
 */
export async function createDemoAccounts(store: Store, entries: readonly UserEntry[]): Promise<UserRecord[]> {
  const byUser = new Map<string, UserEntry[]>();
  for (const entry of entries) byUser.set(entry.userId, [...(byUser.get(entry.userId) ?? []), entry]);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const now = Date.now();
  const created: UserRecord[] = [];
  for (const [userId, userEntries] of byUser) {
    const first = userEntries[0];
    if (!first) continue;
    const memberships: Membership[] = userEntries.map((e) => ({ orgId: e.orgId, role: e.role, siteIds: e.siteIds.length === 0 ? 'all' : e.siteIds }));
    const user: UserRecord = { id: userId, email: first.email, name: first.name, passwordHash, isDisabled: false, memberships, createdAt: now, updatedAt: now };
    await store.users.create(user);
    await syncDirectory(store, { after: user }, SYSTEM_PRINCIPAL);
    created.push(user);
  }
  return created;
}
