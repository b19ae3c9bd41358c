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
  const pageEnd = text.startsWith(DOCUMENTS_START) ? parsePageEnd<T>(text) : undefined;
  if (pageEnd) {
    const documentsJson = text.slice(DOCUMENTS_START.length, pageEnd.documentsEnd);
    const documents = JSON.parse(documentsJson) as PullResponse<T>['documents'];
    if (Array.isArray(documents)) return { ...pageEnd.end, documents, documentsJson };
  }
  return JSON.parse(text) as PullResponse<T>;
}

/**
 * What follows a page's documents — its checkpoint and count — in text that ends a pull page
 * (the whole page, or its last bytes), and where the documents end in it. Undefined when the
 * text holds no such end; a SyntaxError when what follows it is not JSON.
 */
export function parsePageEnd<T>(text: string): { documentsEnd: number; end: Omit<PullResponse<T>, 'documents'> } | undefined {
  const at = text.lastIndexOf(DOCUMENTS_END);
  if (at < 0) return undefined;
  return { documentsEnd: at + 1, end: JSON.parse(`{${text.slice(at + 2)}`) as Omit<PullResponse<T>, 'documents'> };
}
