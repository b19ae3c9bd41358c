import type { Org } from '../../shared/schema/org.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { syncDirectory } from '../admin/directory.ts';
import { SYSTEM_PRINCIPAL } from './principal.ts';
import type { Store, StoredDocument } from '../store/store.ts';
import { hashPassword, passwordProblem } from './passwords.ts';

/**
 * The first administrator, from OUTPOST_ADMIN_EMAIL / OUTPOST_ADMIN_PASSWORD, when the server has
 * none: admin of the first organization, which is created when the database has none.
 */
export async function bootstrapAdmin(store: Store, admin: { email: string; password: string }): Promise<'created' | 'exists'> {
  if ((await store.users.countAdmins()) > 0) return 'exists';
  const problem = passwordProblem(admin.password, admin.email);
  if (problem) throw new Error(`OUTPOST_ADMIN_PASSWORD ${problem}`);
  let orgId = (await store.pull({ kind: 'everything' }, 'orgs', {}, 1)).documents[0]?.id;
  if (!orgId) {
    const id = uuidv7();
    const org: Org = { id, orgId: id, name: 'My organization', updatedAt: new Date().toISOString() };
    await store.insertMany('orgs', [{ ...org, _deleted: false } as StoredDocument]);
    orgId = id;
  }
  const now = Date.now();
  const user = {
    // Random like every account id (server/admin/account-creation.ts): never time-ordered.
    id: crypto.randomUUID(),
    email: admin.email,
    name: admin.email.split('@')[0] ?? 'Administrator',
    passwordHash: await hashPassword(admin.password),
    isDisabled: false,
    memberships: [{ orgId, role: 'admin' as const, siteIds: 'all' as const }],
    createdAt: now,
    updatedAt: now,
  };
  await store.users.create(user);
  await syncDirectory(store, { after: user }, SYSTEM_PRINCIPAL);
  return 'created';
}
