import * as Y from 'yjs';
import { decodeUpdate } from '../../shared/collab/update-encoding.ts';
import { ApiError } from '../http/errors.ts';

/**
 * A text update every client will apply must decode as a Yjs update (v1): one malformed update
 * would make every replica and the compactor fail on that text. Checked here, not in the shared
 * schema, so the client bundle does not load Yjs for it.
 */
export function checkTextUpdate(update: unknown, where: string): void {
  try {
    Y.decodeUpdate(decodeUpdate(String(update)));
  } catch {
    throw new ApiError(400, 'invalid_input', `${where}.update: must be a Yjs update (version 1 encoding, base64)`, `${where}.update`);
  }
}
