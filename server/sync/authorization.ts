import { allReferencedIds, authorizeWrite, canRead, referenceKey, type DocumentState, type ReferencedDocument, type WriteContext } from '../../shared/auth/permissions.ts';
import type { CollectionName } from '../../shared/schema/collections.ts';
import { COLLAB_PARENT_COLLECTIONS } from '../../shared/schema/doc-update.ts';
import { runbookVersionId } from '../../shared/runbook/version-id.ts';
import type { PushRow } from '../../shared/sync/protocol.ts';
import type { Principal, Scope } from '../auth/principal.ts';
import type { RowAuthorizer, Store, StoredDocument } from '../store/store.ts';

/** What a principal may pull of one collection: only organizations where its role can read it. */
export function readScope(principal: Principal, collection: CollectionName): Scope {
  if (principal.kind === 'system' || principal.scope.kind === 'everything') return principal.scope;
  const readable = new Set((principal.memberships ?? []).filter((m) => canRead(m.role, collection)).map((m) => m.orgId));
  return { kind: 'orgs', orgs: principal.scope.orgs.filter((o) => readable.has(o.orgId)) };
}

/** Server settings the write rules take. */
export interface WriteOptions {
  /** OUTPOST_RISK_ACCEPTANCE_MAX_DAYS (RISK_ACCEPTANCE_MAX_DAYS when absent). */
  riskAcceptanceMaxDays?: number;
}

/**
 * The per-row write rule of a push: the shared role rules, fed with what they need (runbooks
 * of pushed runs and versions, the ids versions must have, the runbooks and incidents whose
 * text doc updates edit), looked up before the write transaction.
 */
export async function writeAuthorizer(
  store: Store,
  principal: Principal,
  collection: CollectionName,
  rows: readonly PushRow<StoredDocument>[],
  options: WriteOptions = {},
): Promise<RowAuthorizer> {
  if (principal.kind === 'system') return () => undefined;
  const context: WriteContext = { ...(await writeContext(store, collection, rows.map((row) => row.newDocumentState))), ...options };
  const actor = { userId: principal.id, memberships: principal.memberships ?? [] };
  return (before, after) => {
    const decision = authorizeWrite({
      actor,
      collection,
      before: before as DocumentState | undefined,
      after: after as DocumentState,
      context,
    });
    return decision.allowed ? undefined : { reason: decision.reason, ...(decision.field === undefined ? {} : { field: decision.field }) };
  };
}

async function writeContext(store: Store, collection: CollectionName, documents: readonly StoredDocument[]): Promise<WriteContext> {
  const referenced = (field: string) => [...new Set(documents.flatMap((d) => (typeof d[field] === 'string' ? [d[field]] : [])))];
  const runbookIds = collection === 'runs' || collection === 'runbook_versions' ? referenced('runbookId') : [];
  const runbooks = new Map(
    (await store.getMany('runbooks', runbookIds)).filter((r) => !r._deleted).map((r) => [r.id, { orgId: r.orgId, status: String(r['status']) }]),
  );
  const runbookVersionIds = new Map<string, string>();
  if (collection === 'runbook_versions') {
    for (const d of documents) runbookVersionIds.set(`${String(d['runbookId'])}/${String(d['version'])}`, await runbookVersionId(String(d['runbookId']), Number(d['version'])));
  }
  const collabParents = new Map<string, DocumentState>();
  if (collection === 'doc_updates') {
    for (const parentCollection of COLLAB_PARENT_COLLECTIONS) {
      const ids = [...new Set(documents.filter((d) => d['targetCollection'] === parentCollection).map((d) => String(d['targetId'])))];
      for (const parent of await store.getMany(parentCollection, ids)) collabParents.set(parent.id, parent as DocumentState);
    }
  }
  return { runbooks, runbookVersionIds, collabParents, references: await referencedDocuments(store, collection, documents), now: Date.now() };
}

/** Every document the pushed states name (REFERENCES), as stored, tombstones included. */
async function referencedDocuments(store: Store, collection: CollectionName, documents: readonly StoredDocument[]): Promise<Map<string, ReferencedDocument>> {
  const references = new Map<string, ReferencedDocument>();
  for (const [target, ids] of allReferencedIds(collection, documents)) {
    for (const document of await store.getMany(target, [...ids])) {
      references.set(referenceKey(target, document.id), { orgId: document.orgId, siteId: document.siteId });
    }
  }
  return references;
}
