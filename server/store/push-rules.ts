import { COLLECTIONS, type CollectionName } from '../../shared/schema/collections.ts';
import type { PushRow } from '../../shared/sync/protocol.ts';
import type { Principal } from '../auth/principal.ts';
import type { AuditEntry } from './accounts.ts';
import { encodeDocument, type EncodedDocument } from './document-codec.ts';
import { isInScope } from './scope.ts';
import { InvalidWriteError, type PushOptions, type RejectedRow, type RowAuthorizer, type StoredDocument } from './store.ts';

const OUT_OF_SCOPE = { reason: 'outside your organizations and sites', field: 'id' };

/** Both the new state and the stored one must be reachable: no writing into, or moving a
 * document out of, a site or organization the principal cannot see. */
function scopeAuthorizer(principal: Principal, isSiteScoped: boolean): RowAuthorizer {
  const reaches = (document: StoredDocument) => isInScope(principal.scope, document.orgId, isSiteScoped ? document.siteId : undefined);
  return (before, after) =>
    reaches(after) && (!before || reaches(before)) ? undefined : { reason: 'outside your organizations and sites', field: 'siteId' };
}

export interface PushPolicy {
  authorize: RowAuthorizer;
  isVisible: (stored: StoredDocument) => boolean;
}

/** The caller's rules, or by default "inside the principal's scope" for both. */
export function pushPolicy(principal: Principal, collection: CollectionName, options: PushOptions): PushPolicy {
  const isSiteScoped = COLLECTIONS[collection].isSiteScoped;
  return {
    authorize: options.authorize ?? scopeAuthorizer(principal, isSiteScoped),
    isVisible: options.isVisible ?? ((document) => isInScope(principal.scope, document.orgId, isSiteScoped ? document.siteId : undefined)),
  };
}

export type RowOutcome =
  | { kind: 'unchanged' }
  | { kind: 'rejected'; rejected: RejectedRow }
  | { kind: 'conflict'; master: StoredDocument }
  | { kind: 'write'; encoded: EncodedDocument; action: 'create' | 'update' | 'delete' };

/**
 * What one push row does, the same for every engine: an identical replay changes nothing (but
 * only a visible document may be confirmed that way), refusals never reveal an unreadable
 * master, a document never changes organization, and a row applies only when its assumed master
 * has the stored content.
 */
export function decidePushRow(
  index: number,
  row: PushRow<StoredDocument>,
  stored: { revision: string; document: StoredDocument } | undefined,
  policy: PushPolicy,
): RowOutcome {
  const encoded = encodeDocument(row.newDocumentState);
  const isStoredVisible = stored === undefined || policy.isVisible(stored.document);
  if (stored && stored.revision === encoded.revision && isStoredVisible) return { kind: 'unchanged' };
  const denial = isStoredVisible ? policy.authorize(stored?.document, row.newDocumentState) : OUT_OF_SCOPE;
  if (denial) {
    const master = stored && isStoredVisible ? { master: stored.document } : {};
    return { kind: 'rejected', rejected: { index, id: row.newDocumentState.id, ...denial, ...master } };
  }
  if (stored) {
    if (stored.document.orgId !== row.newDocumentState.orgId) {
      throw new InvalidWriteError('a document cannot move to another organization', `${index}.newDocumentState.orgId`);
    }
    const assumed = row.assumedMasterState ? encodeDocument(row.assumedMasterState) : undefined;
    if (assumed?.revision !== stored.revision) return { kind: 'conflict', master: stored.document };
  }
  const action = !stored || stored.document._deleted ? 'create' : encoded.deleted ? 'delete' : 'update';
  return { kind: 'write', encoded, action };
}

/** The audit entry of an accepted write. */
export function writeAuditEntry(
  principal: Principal,
  collection: CollectionName,
  document: StoredDocument,
  action: 'create' | 'update' | 'delete',
  at: number,
  clientAddress: string | undefined,
): AuditEntry {
  return { at, actorKind: principal.kind, actorId: principal.id, action, orgId: document.orgId, collection, documentId: document.id, clientAddress };
}
