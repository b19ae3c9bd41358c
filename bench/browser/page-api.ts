import type { PeerCollection } from '../peers/couch-documents.ts';

/** One timed first sync in the page: wall time from an empty database to every document stored. */
export interface PageMeasurement {
  ms: number;
  documents: number;
}

/** What bench/browser/page.ts exposes on `window.outpostBench` for the Playwright runner. */
export interface BrowserBenchApi {
  /** Outpost's sync engine into RxDB with the replica's log storage, from the page's own origin. */
  outpostSync(collections: readonly PeerCollection[]): Promise<PageMeasurement>;
  /** PouchDB (IndexedDB adapter) replicating from the CouchDB-protocol server of the page's origin. */
  pouchSync(collections: readonly PeerCollection[], batchSize: number): Promise<PageMeasurement>;
  /** The same documents (fetched before the clock starts) bulk-written into the same log storage. */
  storageLimit(collections: readonly PeerCollection[]): Promise<PageMeasurement>;
  /** The same documents put into plain IndexedDB with the same indexes: the browser's own floor. */
  rawIndexedDb(collections: readonly PeerCollection[]): Promise<PageMeasurement>;
}

declare global {
  interface Window {
    outpostBench?: BrowserBenchApi;
  }
}
