import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageLog } from '../../client/db/log-storage/log-storage.ts';
import { createOutpostDatabase, type DatabaseOptions, type OutpostDatabase } from '../../client/db/database.ts';
import { startSync, type SyncEngine, type SyncEngineOptions } from '../../client/sync/sync-engine.ts';
import type { CollectionName } from '../../shared/schema/collections.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import { RejectionLog } from '../../client/sync/rejections.ts';
import { SwitchableNetwork } from './network.ts';

export interface TestClient {
  /** The replica's database name (a second "tab" opens the same one). */
  name: string;
  db: OutpostDatabase;
  sync: SyncEngine;
  network: SwitchableNetwork;
  rejections: RejectionLog;
  /** Plain, sorted documents of a collection, deleted ones excluded. */
  snapshot(collection: CollectionName): Promise<Record<string, unknown>[]>;
  restartSync(options?: Partial<SyncEngineOptions>): void;
  /**
   * Closes the database (replication cut wherever it was) and opens it again by name, as a
   * reloaded tab does: memory storage keeps the data, checkpoints and pending writes in-process;
   * the log storage replays them from IndexedDB into fresh storage instances, as a browser does.
   */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export interface TestClientHarness {
  /** The fetch under the client's switchable network (to observe or fault requests). */
  baseFetch?: typeof fetch;
  /**
   * Where the replica lives: RxDB's memory storage (default), or the browser's log storage
   * (client/db/log-storage), which needs an IndexedDB: import 'fake-indexeddb/auto' first.
   */
  storage?: 'memory' | 'log';
  /** The signed-in user, given to the database as the writer of the replica's own values (conflict provenance). */
  author?: { id: string; name?: string };
}

// RxDB storages are generic over internal types that differ per storage.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const storages: Record<NonNullable<TestClientHarness['storage']>, () => RxStorage<any, any>> = {
  memory: getRxStorageMemory,
  log: getRxStorageLog,
};

let clientCounter = 0;

/** A signed-in RxDB client in Node (memory storage unless the harness says otherwise) replicating with the server over HTTP. */
export async function startTestClient(
  baseUrl: string,
  cookie: string,
  options: Partial<Omit<SyncEngineOptions, 'db' | 'baseUrl' | 'fetch'>> = {},
  harness: TestClientHarness = {},
): Promise<TestClient> {
  const network = new SwitchableNetwork(cookie, harness.baseFetch);
  const rejections = new RejectionLog();
  const name = `client${++clientCounter}-${Math.random().toString(36).slice(2, 10)}`;
  const storage = storages[harness.storage ?? 'memory']();
  const databaseOptions: DatabaseOptions = {
    name,
    storage,
    rejections,
    ...(options.collections ? { collections: options.collections } : {}),
    ...(harness.author ? { author: harness.author } : {}),
  };
  const open = () => createOutpostDatabase(databaseOptions);
  const db = await open();
  const begin = (database: OutpostDatabase, extra: Partial<SyncEngineOptions> = {}) =>
    startSync({ db: database, baseUrl, fetch: network.fetch, retryTime: 100, rejections, ...options, ...extra });
  const client: TestClient = {
    name,
    db,
    network,
    rejections,
    sync: begin(db),
    async snapshot(collection) {
      const documents = await client.db.collections[collection].find().exec();
      return documents
        .map((d) => withoutLocalFields(d.toJSON() as Record<string, unknown>))
        .sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
    },
    restartSync(extra) {
      client.sync = begin(client.db, extra);
    },
    async reopen() {
      await client.sync.stop();
      await client.db.close();
      client.db = await open();
      client.sync = begin(client.db);
    },
    async close() {
      await client.sync.stop();
      await client.db.close();
    },
  };
  return client;
}

export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Everything the server holds for a collection (live documents), via the public pull route. */
export async function serverSnapshot(server: { url: string; adminFetch: typeof fetch }, collection: CollectionName): Promise<Record<string, unknown>[]> {
  const documents: Record<string, unknown>[] = [];
  let checkpoint = {};
  for (;;) {
    const response = await server.adminFetch(`${server.url}/api/sync/${collection}/pull?checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}&limit=2000`);
    const page = (await response.json()) as { documents: Record<string, unknown>[]; checkpoint: object; remaining: number };
    documents.push(...page.documents);
    checkpoint = page.checkpoint;
    if (page.remaining === 0) break;
  }
  return documents
    .filter((d) => d['_deleted'] !== true)
    .map(({ _deleted, ...rest }) => rest)
    .sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
}
