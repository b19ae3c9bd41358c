// The PouchDB packages ship no types; these declare only what the benchmarks use.

interface PouchBulkResult {
  ok?: boolean;
  error?: string;
}

interface PouchReplication extends PromiseLike<{ docs_written: number }> {
  cancel(): void;
  on(event: 'change', listener: (info: { docs_written: number }) => void): PouchReplication;
}

interface PouchAllDocs {
  rows: { id: string; doc?: Record<string, unknown> & { _id: string; _rev: string } }[];
}

interface PouchReplicationOptions {
  batch_size?: number;
  batches_limit?: number;
  live?: boolean;
  retry?: boolean;
}

interface PouchChanges {
  on(event: 'change', listener: (change: { id: string; doc?: Record<string, unknown> }) => void): PouchChanges;
  cancel(): void;
}

interface PouchDatabase {
  changes(options: { since: 'now'; live: true; include_docs: true }): PouchChanges;
  bulkDocs(documents: readonly object[]): Promise<PouchBulkResult[]>;
  allDocs(options: { include_docs: true; skip?: number; limit?: number; keys?: readonly string[] }): Promise<PouchAllDocs>;
  info(): Promise<{ doc_count: number; update_seq: number | string }>;
  destroy(): Promise<void>;
  close(): Promise<void>;
  replicate: {
    from(source: string | PouchDatabase, options?: PouchReplicationOptions): PouchReplication;
    to(target: string | PouchDatabase, options?: PouchReplicationOptions): PouchReplication;
  };
}

interface PouchDBConstructor {
  new (name: string, options?: { adapter?: string }): PouchDatabase;
  plugin(plugin: unknown): PouchDBConstructor;
  defaults(options: { adapter?: string }): PouchDBConstructor;
}

declare module 'pouchdb' {
  const PouchDB: PouchDBConstructor;
  export default PouchDB;
}

declare module 'pouchdb-browser' {
  const PouchDB: PouchDBConstructor;
  export default PouchDB;
}

declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}

declare module 'express-pouchdb' {
  import type { RequestListener } from 'node:http';
  function expressPouchDB(PouchDB: PouchDBConstructor, options?: { mode?: 'fullCouchDB' | 'minimumForPouchDB' | 'custom'; inMemoryConfig?: boolean; logPath?: string }): RequestListener;
  export default expressPouchDB;
}

declare module 'express' {
  import type { RequestListener, Server } from 'node:http';
  interface ExpressApp extends RequestListener {
    use(path: string, handler: RequestListener): ExpressApp;
    listen(port: number, host: string, callback: () => void): Server;
  }
  interface Express {
    (): ExpressApp;
    static(root: string): RequestListener;
  }
  const express: Express;
  export default express;
}
