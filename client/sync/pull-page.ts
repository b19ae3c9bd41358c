import type { PullResponse } from '../../shared/sync/protocol.ts';

/** A pull page with, where it could be cut out, the JSON text its documents were parsed from. */
export interface ParsedPullPage<T> extends PullResponse<T> {
  documentsJson?: string;
}

const DOCUMENTS_START = '{"documents":';
const DOCUMENTS_END = '],"checkpoint":';

/**
 * Parses a pull response, keeping the documents' array text: the log storage can store a page
 * of new documents as that one string, which IndexedDB copies, where objects cost it a
 * structured clone of every one (about 50 µs per device here). The text kept is exactly the
 * text parsed. The server writes the documents first (server/sync/routes.ts); the last
 * `],"checkpoint":` ends them, since a quote inside a string value is escaped and the
 * checkpoint and count after them hold no array. Any other shape is parsed whole, without text.
 */
export function parsePullPage<T>(text: string): ParsedPullPage<T> {
  const end = text.lastIndexOf(DOCUMENTS_END);
  if (text.startsWith(DOCUMENTS_START) && end > 0) {
    const documentsJson = text.slice(DOCUMENTS_START.length, end + 1);
    const rest = JSON.parse(`{${text.slice(end + 2)}`) as Omit<PullResponse<T>, 'documents'>;
    const documents = JSON.parse(documentsJson) as PullResponse<T>['documents'];
    if (Array.isArray(documents)) return { ...rest, documents, documentsJson };
  }
  return JSON.parse(text) as PullResponse<T>;
}
