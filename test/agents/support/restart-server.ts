import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../server/config.ts';
import { startServer } from '../../../server/server.ts';
import { fetchWithCookie, type TestServer } from '../../support/server.ts';

/**
 * Stops a test server the way a restart does (close, data kept) and starts the real server again
 * on the same data directory, on a new free port. The administrator's session survives: it is in
 * the database.
 */
export async function restartTestServer(server: TestServer): Promise<TestServer> {
  await server.close();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', OUTPOST_DATA_DIR: server.dataDir, OUTPOST_STATIC_DIR: join(server.dataDir, 'no-client') });
  const restarted = await startServer(config);
  return {
    ...restarted,
    dataDir: server.dataDir,
    databaseFile: server.databaseFile,
    orgId: server.orgId,
    adminCookie: server.adminCookie,
    adminFetch: fetchWithCookie(server.adminCookie),
    async dispose() {
      await restarted.close();
      rmSync(server.dataDir, { recursive: true, force: true });
    },
  };
}
