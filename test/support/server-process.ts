import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from '../../bench/server-process.ts';
import { SQLITE_FILENAME } from '../../server/store/open-store.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestDatabase, fetchWithCookie, signIn, type TestDatabase, type TestStoreEngine } from './server.ts';

/** Processes still running when the test process exits are killed with it, not left behind. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The real server as a process of its own (server/main.ts under `node --import tsx`), so a test can
 * SIGKILL it mid-write and start it again on the same database: SQLite in a temporary data
 * directory, or (OUTPOST_TEST_STORE=postgres) a fresh schema of TEST_DATABASE_URL. No demo data;
 * the first administrator is created through OUTPOST_ADMIN_EMAIL / OUTPOST_ADMIN_PASSWORD.
 */
export class ServerProcess {
  url = '';
  /** How many times the process was killed with SIGKILL. */
  kills = 0;
  #child: ChildProcess | undefined;

  private constructor(
    readonly engine: TestStoreEngine,
    readonly dataDir: string,
    readonly databaseFile: string,
    private readonly database: TestDatabase,
    private readonly env: Record<string, string>,
  ) {}

  /** `prepare` runs on the empty data directory before the first launch (e.g. to load data). */
  static async start(env: Record<string, string> = {}, options: { prepare?(dataDir: string): Promise<void> } = {}): Promise<ServerProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'outpost-process-'));
    const databaseFile = join(dataDir, SQLITE_FILENAME);
    const database = await createTestDatabase(databaseFile);
    const server = new ServerProcess(database.engine, dataDir, databaseFile, database, env);
    try {
      await options.prepare?.(dataDir);
      await server.launch();
      return server;
    } catch (error) {
      await server.dispose();
      throw error;
    }
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get isRunning(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Starts the process on the database (after a kill: the same data), on a new free port. */
  async launch(): Promise<void> {
    if (this.isRunning) throw new Error('the server process is already running');
    const started = await startProcess(
      'test/support/server-main.ts',
      {
        PORT: '0',
        HOST: '127.0.0.1',
        OUTPOST_DATA_DIR: this.dataDir,
        OUTPOST_STATIC_DIR: join(this.dataDir, 'no-client'),
        OUTPOST_DEMO: '0',
        OUTPOST_ADMIN_EMAIL: ADMIN_EMAIL,
        OUTPOST_ADMIN_PASSWORD: ADMIN_PASSWORD,
        ...(await this.database.processEnv()),
        ...this.env,
      },
      /running at (http:\/\/\S+)/,
    );
    const child = started.child;
    running.add(child);
    child.once('exit', () => running.delete(child));
    this.#child = child;
    this.url = started.url;
  }

  /** SIGKILL: no shutdown code runs, as in a power cut of the process. Resolves once it is gone. */
  async kill(): Promise<void> {
    if (!this.isRunning) return;
    await this.#signal('SIGKILL');
    this.kills++;
  }

  /** SIGTERM, as a service manager stops it: resolves with how the process ended. */
  terminate(): Promise<ProcessExit> {
    if (!this.isRunning) throw new Error('the server process is not running');
    return this.#signal('SIGTERM');
  }

  #signal(signal: NodeJS.Signals): Promise<ProcessExit> {
    const child = this.#child as ChildProcess;
    const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, by) => resolve({ code, signal: by })));
    child.kill(signal);
    return exited;
  }

  async killAndRestart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  /** A signed-in administrator: a session cookie and a fetch that carries it. */
  async signInAdmin(): Promise<{ cookie: string; fetch: typeof fetch }> {
    const cookie = await signIn(this.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    return { cookie, fetch: fetchWithCookie(cookie) };
  }

  /** One SQL statement on the server's database through a connection of the test's own. */
  sql<R = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.database.sql<R>(text, params);
  }

  /** Stops the process (gracefully, if still running) and removes its data. */
  async dispose(): Promise<void> {
    try {
      if (this.isRunning) await this.terminate();
    } finally {
      await this.database.drop();
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}
