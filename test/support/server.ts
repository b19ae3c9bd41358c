import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { loadConfig } from '../../server/config.ts';
import { bootstrapAdmin } from '../../server/auth/bootstrap.ts';
import { startServer, type RunningServer, type StartOptions } from '../../server/server.ts';
import { SQLITE_FILENAME } from '../../server/store/open-store.ts';
import type { Store } from '../../server/store/store.ts';
import type { TestSchemas } from '../../server/store/postgres/test-schemas.ts';

export const ADMIN_EMAIL = 'admin@outpost.test';
export const ADMIN_PASSWORD = 'correct-horse-battery-staple';

export type TestStoreEngine = 'sqlite' | 'postgres';

/**
 * The store the integration suites run on. vitest.config.ts runs test/ twice when
 * TEST_DATABASE_URL is set: as is (SQLite), and in the `postgres` project, which sets
 * OUTPOST_TEST_STORE=postgres so every test server opens a PostgresStore in a fresh schema.
 */
export const TEST_STORE_ENGINE: TestStoreEngine = process.env['OUTPOST_TEST_STORE'] === 'postgres' ? 'postgres' : 'sqlite';

export interface TestServer extends RunningServer {
  engine: TestStoreEngine;
  dataDir: string;
  /** The SQLite file (engine `sqlite` only; on PostgreSQL the path does not exist). */
  databaseFile: string;
  /** The organization the bootstrap administrator runs. */
  orgId: string;
  /** Session cookie of that administrator. */
  adminCookie: string;
  /** fetch as the administrator (cookie sent, JSON content type on bodies). */
  adminFetch: typeof fetch;
  /**
   * Runs one SQL statement on the server's database through a connection of the test's own,
   * outside the store, on whichever engine the server runs (`?` placeholders on both). Rows for
   * a statement that returns rows, [] otherwise.
   */
  sql<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Stops the server the way a restart does (data kept) and starts it again on a new free port. */
  restart(): Promise<TestServer>;
  /** Stops the server and removes its data. */
  dispose(): Promise<void>;
}

export async function signIn(baseUrl: string, email: string, password: string, fetchAs: typeof fetch = fetch): Promise<string> {
  const response = await fetchAs(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in as ${email} failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('sign-in set no cookie');
  return cookie;
}

/** A fetch that carries a session cookie, as a browser would. */
export function fetchWithCookie(cookie: string, base: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('cookie', cookie);
    return base(input, { ...init, headers });
  };
}

/** Where a test server keeps its data, across restarts, until disposed. */
export interface TestDatabase {
  engine: TestStoreEngine;
  /** The store to hand to startServer; undefined lets the server open its SQLite file. */
  openStore(): Promise<Store | undefined>;
  /**
   * The environment that points a server process (server/main.ts) at this database, beside
   * OUTPOST_DATA_DIR: nothing for SQLite, a DATABASE_URL bound to the schema for PostgreSQL.
   */
  processEnv(): Promise<Record<string, string>>;
  sql<R>(text: string, params: readonly unknown[]): Promise<R[]>;
  /** Removes the data (the server must be closed). */
  drop(): Promise<void>;
}

/** A fresh database of the engine the suites run on (SQLite at `databaseFile`, or a PostgreSQL schema). */
export async function createTestDatabase(databaseFile: string): Promise<TestDatabase> {
  return TEST_STORE_ENGINE === 'postgres' ? postgresDatabase() : sqliteDatabase(databaseFile);
}

function sqliteDatabase(databaseFile: string): TestDatabase {
  return {
    engine: 'sqlite',
    openStore: async () => undefined,
    processEnv: async () => ({}),
    async sql<R>(text: string, params: readonly unknown[]) {
      const db = new Database(databaseFile, { fileMustExist: true });
      try {
        const statement = db.prepare(text);
        if (statement.reader) return statement.all(...params) as R[];
        statement.run(...params);
        return [];
      } finally {
        db.close();
      }
    },
    drop: async () => undefined,
  };
}

async function postgresDatabase(): Promise<TestDatabase> {
  const url = process.env['TEST_DATABASE_URL'];
  if (!url) throw new Error('OUTPOST_TEST_STORE=postgres needs TEST_DATABASE_URL');
  // Loaded only here, so the SQLite runs never load the PostgreSQL client.
  const { default: pgModule } = await import('pg');
  const { TestSchemas: Schemas } = await import('../../server/store/postgres/test-schemas.ts');
  const { PostgresStore } = await import('../../server/store/postgres/postgres-store.ts');
  const { clientConfig } = await import('../../server/store/postgres/connection.ts');
  const schemas: TestSchemas = new Schemas(url);
  const schema = schemas.newSchema();
  let inspector: pg.Pool | undefined;
  return {
    engine: 'postgres',
    // Small pools: two workers start several servers each, all on one PostgreSQL.
    openStore: () => schemas.open({ schema, maxConnections: 4 }),
    async processEnv() {
      // A process cannot be handed a schema: the URL sets its search_path, in a schema made here.
      await schemas.admin().query(`CREATE SCHEMA IF NOT EXISTS ${pgModule.escapeIdentifier(schema)}`);
      const bound = new URL(url);
      bound.searchParams.set('options', `-c search_path=${schema}`);
      return { DATABASE_URL: bound.toString() };
    },
    async sql<R>(text: string, params: readonly unknown[]) {
      inspector ??= new pgModule.Pool({
        // The store's own type parsing (bigint as number), so rows read the same on both engines.
        ...clientConfig({ url, applicationName: 'outpost-test-inspector' }),
        max: 1,
        onConnect: async (client: pg.ClientBase) => {
          await client.query(`SET search_path TO ${pgModule.escapeIdentifier(schema)}`);
        },
      } as pg.PoolConfig);
      let n = 0;
      const result = await inspector.query(text.replace(/\?/g, () => `$${++n}`), [...params]);
      return (result.rows ?? []) as R[];
    },
    async drop() {
      await inspector?.end();
      inspector = undefined;
      await schemas.end();
    },
  };
}

/**
 * The real server, on a free port, with a first administrator: over a fresh SQLite file, or
 * (OUTPOST_TEST_STORE=postgres) over a fresh schema of TEST_DATABASE_URL, dropped on dispose.
 * `options.fetch`: what the administrator's sign-in and adminFetch go through (e.g. one that adds
 * a proxy's X-Forwarded-* headers, for a server with OUTPOST_PUBLIC_URL).
 */
export async function startTestServer(env: Record<string, string> = {}, options: StartOptions & { fetch?: typeof fetch } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-test-'));
  const databaseFile = join(dataDir, SQLITE_FILENAME);
  const database = await createTestDatabase(databaseFile);
  try {
    const server = await launch(dataDir, database, env, options);
    await bootstrapAdmin(server.store, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const admin = await server.store.users.findByEmail(ADMIN_EMAIL);
    const orgId = admin?.memberships[0]?.orgId;
    if (!orgId) throw new Error('bootstrap created no organization');
    const adminCookie = await signIn(server.url, ADMIN_EMAIL, ADMIN_PASSWORD, options.fetch);
    return testServer(server, { dataDir, databaseFile, database, env, options, orgId, adminCookie });
  } catch (error) {
    await database.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function launch(dataDir: string, database: TestDatabase, env: Record<string, string>, options: StartOptions): Promise<RunningServer> {
  // Quiet unless asked for (OUTPOST_LOG_LEVEL=info npx vitest ...): a line per request drowns the report.
  const logLevel = process.env['OUTPOST_LOG_LEVEL'] ?? 'silent';
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', OUTPOST_DATA_DIR: dataDir, OUTPOST_STATIC_DIR: join(dataDir, 'no-client'), OUTPOST_LOG_LEVEL: logLevel, ...env });
  return startServer(config, await database.openStore(), options);
}

interface Kept {
  dataDir: string;
  databaseFile: string;
  database: TestDatabase;
  env: Record<string, string>;
  options: StartOptions & { fetch?: typeof fetch };
  orgId: string;
  adminCookie: string;
}

function testServer(server: RunningServer, kept: Kept): TestServer {
  const { dataDir, databaseFile, database, env, orgId, adminCookie } = kept;
  return {
    ...server,
    engine: database.engine,
    dataDir,
    databaseFile,
    orgId,
    adminCookie,
    adminFetch: fetchWithCookie(adminCookie, kept.options.fetch),
    sql: (text, params = []) => database.sql(text, params),
    async restart() {
      await server.close();
      return testServer(await launch(dataDir, database, env, kept.options), kept);
    },
    async dispose() {
      try {
        await server.close();
      } finally {
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
