import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { SQLITE_FILENAME } from '../../server/store/open-store.ts';

export interface TestServer extends RunningServer {
  dataDir: string;
  databaseFile: string;
  /** Stops the server and removes its data. */
  dispose(): Promise<void>;
}

/** The real server, on a free port, over a fresh SQLite file. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'outpost-test-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', OUTPOST_DATA_DIR: dataDir, OUTPOST_STATIC_DIR: join(dataDir, 'no-client'), ...env });
  const server = await startServer(config);
  return {
    ...server,
    dataDir,
    databaseFile: join(dataDir, SQLITE_FILENAME),
    async dispose() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
