import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { bootstrapAdmin } from '../../server/auth/bootstrap.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { SQLITE_FILENAME } from '../../server/store/open-store.ts';

export const ADMIN_EMAIL = 'admin@outpost.test';
export const ADMIN_PASSWORD = 'correct-horse-battery-staple';

export interface TestServer extends RunningServer {
  dataDir: string;
  databaseFile: string;
  /** The organization the bootstrap administrator runs. */
  orgId: string;
  /** Session cookie of that administrator. */
  adminCookie: string;
  /** fetch as the administrator (cookie sent, JSON content type on bodies). */
  adminFetch: typeof fetch;
  /** Stops the server and removes its data. */
  dispose(): Promise<void>;
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
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

/** The real server, on a free port, over a fresh SQLite file, with a first administrator. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-test-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', OUTPOST_DATA_DIR: dataDir, OUTPOST_STATIC_DIR: join(dataDir, 'no-client'), ...env });
  const server = await startServer(config);
  await bootstrapAdmin(server.store, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  const admin = await server.store.users.findByEmail(ADMIN_EMAIL);
  const orgId = admin?.memberships[0]?.orgId;
  if (!orgId) throw new Error('bootstrap created no organization');
  const adminCookie = await signIn(server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  return {
    ...server,
    dataDir,
    databaseFile: join(dataDir, SQLITE_FILENAME),
    orgId,
    adminCookie,
    adminFetch: fetchWithCookie(adminCookie),
    async dispose() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
