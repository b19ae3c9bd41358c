import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../server/auth/passwords.ts';
import { uuidv7 } from '../shared/id/uuidv7.ts';
import { DEMO_OPTIONS, generateDataset, type Dataset, type DatasetOptions } from '../server/seed/generate.ts';
import { seedDatabase } from '../server/seed/seed-database.ts';
import { SQLITE_FILENAME } from '../server/store/open-store.ts';
import { SqliteStore } from '../server/store/sqlite/sqlite-store.ts';
import { fetchWithCookie, signIn } from '../test/support/server.ts';
import { startProcess } from './server-process.ts';

export const BENCH_ADMIN = { email: 'bench@outpost.test', password: 'replica-pull-passphrase' };

/** A fixed instant, so every run (and the peer server) generates the very same documents. */
const BENCH_NOW = new Date('2026-01-31T12:00:00Z');

export type BenchDatasetSize = Pick<DatasetOptions, 'devices' | 'runbooks' | 'risks'>;

/** `npm run seed -- --devices N --runbooks N --risks N`: the seed CLI's defaults for the rest. */
export function benchDataset(size: BenchDatasetSize): Dataset {
  return generateDataset({ ...DEMO_OPTIONS, ...size, now: BENCH_NOW });
}

export interface SeededOutpost {
  url: string;
  /** fetch signed in as an administrator of every seeded organization. */
  fetch: typeof fetch;
  cookie: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The Outpost server as its own process, over an SQLite file seeded like `npm run seed`,
 * with an administrator who belongs to every organization (so one client pulls it all).
 */
export async function startSeededOutpost(size: BenchDatasetSize, env: Record<string, string> = {}, baseFetch: typeof fetch = fetch): Promise<SeededOutpost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-bench-'));
  const store = new SqliteStore({ filename: join(dataDir, SQLITE_FILENAME) });
  const dataset = benchDataset(size);
  await seedDatabase(store, dataset);
  const now = Date.now();
  await store.users.create({
    id: uuidv7(),
    email: BENCH_ADMIN.email,
    name: 'Bench',
    passwordHash: await hashPassword(BENCH_ADMIN.password),
    isDisabled: false,
    memberships: dataset.orgs.map((org) => ({ orgId: org.id, role: 'admin', siteIds: 'all' })),
    createdAt: now,
    updatedAt: now,
  });
  await store.close();
  const server = await startProcess(
    'server/main.ts',
    { PORT: '0', HOST: '127.0.0.1', OUTPOST_DATA_DIR: dataDir, OUTPOST_DEMO: '0', OUTPOST_STATIC_DIR: join(dataDir, 'none'), ...env },
    /running at (https?:\/\/\S+)/,
  );
  const cookie = await signIn(server.url, BENCH_ADMIN.email, BENCH_ADMIN.password, baseFetch);
  return {
    url: server.url,
    cookie,
    fetch: fetchWithCookie(cookie, baseFetch),
    pid: server.child.pid ?? 0,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
