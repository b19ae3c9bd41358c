import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/merge/canonical.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import type { StoredDocument } from './store.ts';

export interface EncodedDocument {
  body: string;
  deleted: boolean;
  /** Content address of the replicated state: two states are the same master iff revisions match. */
  revision: string;
}

/**
 * Conflict detection compares canonical content, never client timestamps or client-held
 * revision counters, so a replayed or re-ordered push can be judged by what it says.
 */
export function encodeDocument(document: StoredDocument): EncodedDocument {
  const { _deleted, ...entity } = withoutLocalFields(document);
  const body = canonicalJson(entity);
  const deleted = _deleted === true;
  return { body, deleted, revision: revisionOf(body, deleted) };
}

export function revisionOf(body: string, deleted: boolean): string {
  return createHash('sha256').update(deleted ? 'D' : 'L').update(body).digest('base64url').slice(0, 27);
}

export function decodeDocument(body: string, deleted: boolean): StoredDocument {
  return { ...(JSON.parse(body) as Record<string, unknown>), _deleted: deleted } as StoredDocument;
}
