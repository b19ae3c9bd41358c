import { authorizeWrite, canRead, type DocumentState } from '../../shared/auth/permissions.ts';
import type { CollectionName } from '../../shared/schema/collections.ts';
import type { PushRow } from '../../shared/sync/protocol.ts';
import type { Principal, Scope } from '../auth/principal.ts';
import type { RowAuthorizer, Store, StoredDocument } from '../store/store.ts';

/** What a principal may pull of one collection: only organizations where its role can read it. */
export function readScope(principal: Principal, collection: CollectionName): Scope {
  if (principal.kind === 'system' || principal.scope.kind === 'everything') return principal.scope;
  const readable = new Set((principal.memberships ?? []).filter((m) => canRead(m.role, collection)).map((m) => m.orgId));
  return { kind: 'orgs', orgs: principal.scope.orgs.filter((o) => readable.has(o.orgId)) };
}

/**
 * The per-row write rule of a push: the shared role rules, fed with the related documents
 * they need (the runbooks of pushed runs), looked up before the write transaction.
 */
export async function writeAuthorizer(
  store: Store,
  principal: Principal,
  collection: CollectionName,
  rows: readonly PushRow<StoredDocument>[],
): Promise<RowAuthorizer> {
  if (principal.kind === 'system') return () => undefined;
  const runbookIds = collection === 'runs' ? [...new Set(rows.map((r) => String(r.newDocumentState['runbookId'] ?? '')))] : [];
  const runbooks = new Map(
    (await store.getMany('runbooks', runbookIds)).filter((r) => !r._deleted).map((r) => [r.id, { orgId: r.orgId, status: String(r['status']) }]),
  );
  const actor = { userId: principal.id, memberships: principal.memberships ?? [] };
  return (before, after) => {
    const decision = authorizeWrite({
      actor,
      collection,
      before: before as DocumentState | undefined,
      after: after as DocumentState,
      context: { runbooks },
    });
    return decision.allowed ? undefined : { reason: decision.reason, ...(decision.field === undefined ? {} : { field: decision.field }) };
  };
}
