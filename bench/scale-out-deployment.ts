import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapAdmin } from '../server/auth/bootstrap.ts';
import { SQLITE_FILENAME } from '../server/store/open-store.ts';
import { SqliteStore } from '../server/store/sqlite/sqlite-store.ts';
import type { Store } from '../server/store/store.ts';
import type { TestSchemas } from '../server/store/postgres/test-schemas.ts';
import { makeSite } from '../test/support/documents.ts';
import { fetchWithCookie, signIn } from '../test/support/server.ts';
import { startProcess } from './server-process.ts';

const ADMIN = { email: 'scale-out@outpost.test', password: 'several-instances-one-database' };

/** Server processes on one fresh database, with a signed-in administrator and a site to write to. */
export interface Deployment {
  engine: 'sqlite' | 'postgres';
  urls: string[];
  orgId: string;
  siteId: string;
  /** fetch as the administrator; the session is in the database, so every instance honours it. */
  signedIn: typeof fetch;
  stop(): Promise<void>;
}

/**
 * Starts `instances` server processes (`node --import tsx server/main.ts`): SQLite in a temporary
 * data directory (one instance only: it is one process's file), or PostgreSQL in a fresh schema
 * of `postgres.url`, dropped by `stop`.
 */
export async function deploy(engine: 'sqlite' | 'postgres', instances: number, postgres?: TestSchemas): Promise<Deployment> {
  if (engine === 'sqlite' && instances !== 1) throw new Error('SQLite serves one instance: several instances need PostgreSQL');
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-bench-scale-'));
  const schema = postgres?.newSchema();
  const cleanUp = async () => {
    if (schema !== undefined) await postgres?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const started: Awaited<ReturnType<typeof startProcess>>[] = [];
  try {
    let store: Store;
    let env: Record<string, string> = { OUTPOST_DATA_DIR: dataDir };
    if (engine === 'postgres') {
      if (!postgres || schema === undefined) throw new Error('PostgreSQL deployments need a database');
      // Migrates and creates the schema; a process cannot be handed a schema, its URL sets the search_path.
      store = await postgres.open({ schema, maxConnections: 2 });
      const url = new URL(postgres.url);
      url.searchParams.set('options', `-c search_path=${schema}`);
      env = { ...env, DATABASE_URL: url.toString() };
    } else {
      store = new SqliteStore({ filename: join(dataDir, SQLITE_FILENAME) });
    }
    await bootstrapAdmin(store, ADMIN);
    const orgId = (await store.users.findByEmail(ADMIN.email))?.memberships[0]?.orgId;
    if (!orgId) throw new Error('bootstrap created no organization');
    const site = makeSite(orgId);
    await store.insertMany('sites', [{ ...site, _deleted: false }]);
    await store.close();

    for (let i = 0; i < instances; i++) {
      started.push(
        await startProcess(
          'server/main.ts',
          { ...env, PORT: '0', HOST: '127.0.0.1', OUTPOST_DEMO: '0', OUTPOST_STATIC_DIR: join(dataDir, 'no-client') },
          /running at (http:\/\/\S+)/,
        ),
      );
    }
    const urls = started.map((s) => s.url);
    const first = urls[0] ?? '';
    return {
      engine,
      urls,
      orgId,
      siteId: site.id,
      signedIn: fetchWithCookie(await signIn(first, ADMIN.email, ADMIN.password)),
      async stop() {
        await Promise.all(started.map((s) => s.stop()));
        await cleanUp();
      },
    };
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    await cleanUp();
    throw error;
  }
}
