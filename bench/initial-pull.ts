import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { createOutpostDatabase } from '../client/db/database.ts';
import { replicateOverHttp } from '../client/sync/http-replication.ts';
import { generateDataset } from '../server/seed/generate.ts';
import { loadDataset } from '../server/seed/load.ts';
import { SQLITE_FILENAME } from '../server/store/open-store.ts';
import { SqliteStore } from '../server/store/sqlite/sqlite-store.ts';
import { bootstrapAdmin } from '../server/auth/bootstrap.ts';
import { fetchWithCookie, signIn } from '../test/support/server.ts';
import { startProcess } from './server-process.ts';

const ADMIN = { email: 'bench@outpost.test', password: 'replica-pull-passphrase' };

export interface InitialPullResult {
  devices: number;
  seconds: number;
  documentsPerSecond: number;
}

export async function benchInitialPull(deviceCount: number, runs: number): Promise<InitialPullResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-bench-'));
  const store = new SqliteStore({ filename: join(dataDir, SQLITE_FILENAME) });
  await loadDataset(store, generateDataset({ seed: 7, orgs: 1, sitesPerOrg: 10, devices: deviceCount, runbooks: 0, risks: 0, incidents: 0, now: new Date() }));
  await bootstrapAdmin(store, ADMIN);
  await store.close();
  const server = await startProcess(
    'server/main.ts',
    { PORT: '0', HOST: '127.0.0.1', OUTPOST_DATA_DIR: dataDir, OUTPOST_DEMO: '0', OUTPOST_STATIC_DIR: join(dataDir, 'none') },
    /running at (http:\/\/\S+)/,
  );
  const url = server.url;
  const signedIn = fetchWithCookie(await signIn(url, ADMIN.email, ADMIN.password));
  const results: InitialPullResult[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const db = await createOutpostDatabase({ name: `bench${run}-${Date.now()}`, storage: getRxStorageMemory(), collections: ['devices'] });
      const started = performance.now();
      const replication = replicateOverHttp({ collection: db.devices, name: 'devices', baseUrl: url, fetch: signedIn, live: false, pullBatchSize: 1000 });
      replication.error$.subscribe((error) => {
        throw new Error(`replication failed: ${String(error)}`);
      });
      await replication.awaitInitialReplication();
      const seconds = (performance.now() - started) / 1000;
      const pulled = await db.devices.count().exec();
      if (pulled !== deviceCount) throw new Error(`pulled ${pulled} of ${deviceCount} devices`);
      results.push({ devices: pulled, seconds, documentsPerSecond: pulled / seconds });
      await replication.cancel();
      await db.close();
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
