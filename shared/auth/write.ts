import type { ReferencedDocument } from './references.ts';

/** A replicated document state as the server holds/receives it (entity fields + `_deleted`). */
export type DocumentState = { id: string; orgId: string; siteId?: string; _deleted: boolean } & Record<string, unknown>;

export type WriteKind = 'create' | 'update' | 'delete';

export type Denial = { allowed: false; reason: string; field?: string };
export type WriteDecision = { allowed: true } | Denial;

export interface WriteContext {
  /** runbooks referenced by the pushed runs and runbook versions, looked up by the server beforehand */
  runbooks: ReadonlyMap<string, { orgId: string; status: string }>;
  /** the id each pushed runbook version must have, by `${runbookId}/${version}` (runbookVersionId) */
  runbookVersionIds?: ReadonlyMap<string, string>;
  /** runbooks and incidents whose text the pushed doc updates edit, as stored, tombstones included */
  collabParents?: ReadonlyMap<string, DocumentState>;
  /**
   * The documents the pushed states refer to (REFERENCES), as stored, tombstones included, by
   * referenceKey(collection, id). A reference to a document absent here is not judged: created
   * offline, it may still be on its way (each collection replicates on its own).
   */
  references?: ReadonlyMap<string, ReferencedDocument>;
  /** The server's clock (ms since the epoch) for rules about time; absent: this device's. */
  now?: number;
  /** How far ahead a risk acceptance may run; absent: RISK_ACCEPTANCE_MAX_DAYS. */
  riskAcceptanceMaxDays?: number;
}

export const ALLOWED: WriteDecision = { allowed: true };

export function deny(reason: string, field?: string): Denial {
  return field === undefined ? { allowed: false, reason } : { allowed: false, reason, field };
}

/**
 * Restoring a tombstone is a create (the document comes back and is judged as new); deleting a
 * live document is a delete; everything else, including re-deleting a tombstone, is an update.
 */
export function writeKind(before: DocumentState | undefined, after: DocumentState): WriteKind {
  if (before === undefined) return 'create';
  if (before._deleted) return after._deleted ? 'update' : 'create';
  return after._deleted ? 'delete' : 'update';
}
