import { isDeepEqual } from '../../shared/merge/canonical.ts';
import type { UserEntry } from '../../shared/schema/user.ts';
import type { PushRow } from '../../shared/sync/protocol.ts';
import type { Principal } from '../auth/principal.ts';
import type { UserRecord } from '../store/accounts.ts';
import { derivedId } from '../ids/derived-id.ts';
import type { Store, StoredDocument } from '../store/store.ts';

/** One directory document per (user, organization), with an id derived from both. */
export function directoryEntryId(userId: string, orgId: string): string {
  return derivedId('directory', userId, orgId);
}

function entriesOf(user: UserRecord | undefined, now: string): Map<string, UserEntry> {
  const entries = new Map<string, UserEntry>();
  for (const m of user?.memberships ?? []) {
    const id = directoryEntryId(user!.id, m.orgId);
    entries.set(id, {
      id,
      orgId: m.orgId,
      userId: user!.id,
      name: user!.name,
      email: user!.email,
      role: m.role,
      siteIds: m.siteIds === 'all' ? [] : [...m.siteIds],
      ...(user!.isDisabled ? { disabled: true } : {}),
      updatedAt: now,
    });
  }
  return entries;
}

/** Whether the stored entry already says what `entry` says (its time aside). */
const isCurrent = (master: StoredDocument | undefined, entry: UserEntry): boolean =>
  master !== undefined && !master._deleted && isDeepEqual({ ...master, updatedAt: '' }, { ...entry, _deleted: false, updatedAt: '' });

/**
 * Brings the replicated user directory in line with an account change: entries for current
 * memberships are written, entries for memberships that ended become tombstones. Entries that
 * stay as they are are not rewritten: a change to the membership in one organization writes
 * nothing into another's directory.
 */
export async function syncDirectory(
  store: Store,
  change: { before?: UserRecord | undefined; after?: UserRecord | undefined },
  principal: Principal,
  clientAddress?: string,
): Promise<void> {
  const now = new Date().toISOString();
  const wanted = entriesOf(change.after, now);
  const previousIds = [...entriesOf(change.before, now).keys()];
  const ids = [...new Set([...previousIds, ...wanted.keys()])];
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = new Map((await store.getMany('users', ids)).map((d) => [d.id, d]));
    const rows: PushRow<StoredDocument>[] = [];
    for (const id of ids) {
      const master = current.get(id);
      const entry = wanted.get(id);
      if (entry && isCurrent(master, entry)) continue;
      const next = entry ? ({ ...entry, _deleted: false } as StoredDocument) : master && !master._deleted ? { ...master, updatedAt: now, _deleted: true } : undefined;
      if (!next) continue;
      rows.push({ newDocumentState: next, ...(master ? { assumedMasterState: master } : {}) });
    }
    if (rows.length === 0) return;
    const result = await store.push(principal, 'users', rows, { authorize: () => undefined, ...(clientAddress ? { clientAddress } : {}) });
    if (result.conflicts.length === 0) return;
  }
  throw new Error('the user directory kept changing while it was being updated');
}
