import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/store.ts';
import { serveClient } from './static-files.ts';
import { startPresenceSweeper } from './agents/presence-sweeper.ts';
import { startTombstoneSweeper } from './sync/tombstone-sweeper.ts';

export interface RunningServer {
  url: string;
  store: Store;
  close(): Promise<void>;
}

/** Starts the whole server on a store; used by `npm start` and by the integration tests. */
export async function startServer(config: Config, store?: Store): Promise<RunningServer> {
  const activeStore = store ?? (await openStore(config));
  const { app, agents } = createApp({ store: activeStore, streamHeartbeatSeconds: config.streamHeartbeatSeconds });
  serveClient(app, config.staticDir);
  const stopSweeper = startTombstoneSweeper(activeStore, config.tombstoneRetentionDays);
  const stopPresence = startPresenceSweeper(activeStore, {
    offlineAfterMs: config.agentOfflineAfterSeconds * 1000,
    staleAfterMs: config.agentStaleAfterSeconds * 1000,
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    store: activeStore,
    async close() {
      stopSweeper();
      stopPresence();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Live streams never end by themselves.
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await agents.close();
      await activeStore.close();
    },
  };
}
