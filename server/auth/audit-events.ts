import type { AuditEntry } from '../store/accounts.ts';
import type { Store } from '../store/store.ts';

/** One entry per organization the event concerns, so each org's admins see their own. */
export async function recordAccountEvent(
  store: Store,
  event: Omit<AuditEntry, 'at' | 'orgId'> & { orgIds: readonly string[] },
): Promise<void> {
  const { orgIds, ...entry } = event;
  const at = Date.now();
  const targets = orgIds.length > 0 ? orgIds : [undefined];
  await store.audit.append(targets.map((orgId) => ({ ...entry, at, orgId })));
}
