import { afterEach, beforeEach } from 'vitest';
import type { CollectionName } from '../../shared/schema/collections.ts';
import { startTestClient, type TestClient } from './client.ts';
import { startTestServer, type TestServer } from './server.ts';

export interface TwoClients {
  server: TestServer;
  a: TestClient;
  b: TestClient;
}

/** Per test: a fresh real server and two signed-in RxDB clients replicating `collections`. */
export function useServerAndTwoClients(collections: readonly CollectionName[]): TwoClients {
  const context = {} as TwoClients;
  beforeEach(async () => {
    context.server = await startTestServer();
    context.a = await startTestClient(context.server.url, context.server.adminCookie, { collections });
    context.b = await startTestClient(context.server.url, context.server.adminCookie, { collections });
  });
  afterEach(async () => {
    await context.a.close();
    await context.b.close();
    await context.server.dispose();
  });
  return context;
}
