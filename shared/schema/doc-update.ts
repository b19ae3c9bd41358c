import * as v from 'valibot';
import { Id, documentBase, text } from './common.ts';

/** The collaboratively edited texts: which field of which collection a Yjs document holds. */
export const COLLAB_FIELDS = { runbooks: 'body', incidents: 'review' } as const;
export type CollabParentCollection = keyof typeof COLLAB_FIELDS;
export type CollabField = (typeof COLLAB_FIELDS)[CollabParentCollection];
export const COLLAB_PARENT_COLLECTIONS = Object.keys(COLLAB_FIELDS) as CollabParentCollection[];

/** A compaction snapshot of a long-edited runbook stays far below this; a single edit is tiny. */
export const DOC_UPDATE_MAX_BASE64_LENGTH = 2_000_000;

const Base64 = v.pipe(
  text(DOC_UPDATE_MAX_BASE64_LENGTH, 4),
  v.regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'must be base64'),
);

/**
 * One Yjs update of a collaborative text, as an append-only replicated document: it travels,
 * is authorized and audited like every other document. Its content never changes; only the
 * server's compaction tombstones it, after writing a snapshot that contains it.
 * `siteId` is the parent's site (incidents); a runbook's text belongs to the whole organization.
 */
export const DocUpdate = v.pipe(
  v.strictObject({
    ...documentBase,
    siteId: v.optional(Id),
    targetCollection: v.picklist(Object.keys(COLLAB_FIELDS) as CollabParentCollection[]),
    targetId: Id,
    field: v.picklist(Object.values(COLLAB_FIELDS) as CollabField[]),
    /** The Yjs update (version 1 encoding), base64. */
    update: Base64,
  }),
  v.check((u) => COLLAB_FIELDS[u.targetCollection] === u.field, 'field must be body for runbooks and review for incidents'),
);
export type DocUpdate = v.InferOutput<typeof DocUpdate>;
