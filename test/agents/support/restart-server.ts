import type { TestServer } from '../../support/server.ts';

/**
 * Stops a test server the way a restart does (close, data kept) and starts the real server again
 * on the same data (SQLite directory or PostgreSQL schema), on a new free port. The
 * administrator's session survives: it is in the database.
 */
export async function restartTestServer(server: TestServer): Promise<TestServer> {
  return server.restart();
}
