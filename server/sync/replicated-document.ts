import * as v from 'valibot';
import { COLLECTIONS, type CollectionName } from '../../shared/schema/collections.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import { PUSH_MAX_ROWS } from '../../shared/sync/protocol.ts';
import { ApiError, invalidInput, parseInput } from '../http/errors.ts';
import type { StoredDocument } from '../store/store.ts';
import { checkTextUpdate } from '../collab/update-validation.ts';
import type { PushRow } from '../../shared/sync/protocol.ts';

const PushRowShape = v.strictObject({
  newDocumentState: v.record(v.string(), v.unknown()),
  assumedMasterState: v.optional(v.record(v.string(), v.unknown())),
});
const PushBody = v.pipe(
  v.array(PushRowShape, 'must be an array of push rows'),
  v.maxLength(PUSH_MAX_ROWS, `must have at most ${PUSH_MAX_ROWS} rows`),
);

/**
 * Validates a whole push before anything is written: one bad row rejects the request. The
 * assumed master is only compared, never stored, but comparing walks all of it: it passes the
 * same schema as the new state (every master the server sends does), so nothing unbounded is
 * ever compared.
 */
export function parsePushBody(collection: CollectionName, body: unknown): PushRow<StoredDocument>[] {
  const rows = parseInput('body', PushBody, body);
  return rows.map((row, index) => {
    const where = `body.${index}`;
    const newDocumentState = parseReplicatedDocument(collection, row.newDocumentState, `${where}.newDocumentState`);
    if (row.assumedMasterState === undefined) return { newDocumentState };
    const assumedMasterState = parseReplicatedDocument(collection, row.assumedMasterState, `${where}.assumedMasterState`, { isCompareOnly: true });
    if (assumedMasterState.id !== newDocumentState.id) {
      throw new ApiError(400, 'invalid_input', `${where}.assumedMasterState.id: must equal newDocumentState.id`, `${where}.assumedMasterState.id`);
    }
    return { newDocumentState, assumedMasterState };
  });
}

/** `isCompareOnly`: a state that is compared, never stored, so a text update's Yjs content need not be decoded. */
export function parseReplicatedDocument(collection: CollectionName, input: Record<string, unknown>, where: string, options: { isCompareOnly?: boolean } = {}): StoredDocument {
  const { _deleted, ...entity } = withoutLocalFields(input);
  if (_deleted !== undefined && typeof _deleted !== 'boolean') {
    throw new ApiError(400, 'invalid_input', `${where}._deleted: must be a boolean`, `${where}._deleted`);
  }
  const result = v.safeParse(COLLECTIONS[collection].schema, entity);
  if (!result.success) throw invalidInput(where, result.issues);
  if (collection === 'doc_updates' && options.isCompareOnly !== true) checkTextUpdate((result.output as Record<string, unknown>)['update'], where);
  return { ...(result.output as Record<string, unknown>), _deleted: _deleted === true } as StoredDocument;
}
