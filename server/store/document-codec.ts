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

const LIVE_TAIL = Buffer.from(',"_deleted":false}');
const DELETED_TAIL = Buffer.from(',"_deleted":true}');

/**
 * The replicated JSON of a stored body, as UTF-8 bytes, without parsing it: pulls serve pages of
 * stored bodies as they are (a first sync is megabytes of them). The body is canonical JSON of
 * an object; the deletion flag is appended as its last key.
 */
export function replicatedJson(body: Uint8Array, deleted: boolean): Uint8Array {
  if (body.length <= 2) return Buffer.from(`{"_deleted":${deleted}}`);
  return Buffer.concat([body.subarray(0, -1), deleted ? DELETED_TAIL : LIVE_TAIL]);
}
