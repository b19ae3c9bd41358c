/** The collections of the initial-sync comparison: a site's fleet, its runbooks and its risks. */
export const PEER_COLLECTIONS = ['devices', 'runbooks', 'risks'] as const;
export type PeerCollection = (typeof PEER_COLLECTIONS)[number];

/** The same document for CouchDB's protocol: its id in `_id`, every field kept. */
export function toCouchDocument(document: { id: string }): { _id: string } & object {
  return { _id: document.id, ...document };
}
