import type { ConflictProvenance } from '../../shared/sync/protocol.ts';
import type { Principal } from '../auth/principal.ts';
import type { UserRecord } from '../store/accounts.ts';
import { isInScope } from '../store/scope.ts';
import type { Store, StoredDocument, WriteProvenance } from '../store/store.ts';
import { readScope } from './authorization.ts';

/**
 * The push answer's account of each conflicting master: when the server accepted it and who
 * wrote it, so the client's merge can say so in its conflict records. A user writer is named
 * only where the caller could read that name anyway: the writer is a member of the document's
 * organization now, and the caller may read that organization's user directory (where the same
 * name replicates to it).
 */
export async function describeConflictProvenance(
  store: Store,
  principal: Principal,
  conflicts: readonly StoredDocument[],
  provenance: readonly WriteProvenance[],
): Promise<ConflictProvenance[]> {
  const directory = readScope(principal, 'users');
  const users = new Map<string, Promise<UserRecord | undefined>>();
  const userOf = (id: string) => {
    let user = users.get(id);
    if (!user) users.set(id, (user = store.users.get(id)));
    return user;
  };
  return Promise.all(
    provenance.map(async (entry, index): Promise<ConflictProvenance> => {
      const orgId = conflicts[index]?.orgId;
      const writer = entry.writtenBy;
      let name: string | undefined;
      if (writer?.kind === 'user' && orgId !== undefined && isInScope(directory, orgId, undefined)) {
        const user = await userOf(writer.id);
        if (user?.memberships.some((membership) => membership.orgId === orgId) && user.name !== '') name = user.name;
      }
      return {
        id: entry.id,
        writtenAt: new Date(entry.writtenAt).toISOString(),
        ...(writer ? { writtenBy: { kind: writer.kind, id: writer.id, ...(name === undefined ? {} : { name }) } } : {}),
      };
    }),
  );
}
