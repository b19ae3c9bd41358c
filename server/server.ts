import { Server as HttpServer } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { Drain } from './http/drain.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/store.ts';
import { serveClient } from './static-files.ts';
import { startPresenceSweeper } from './agents/presence-sweeper.ts';
import { startTombstoneSweeper } from './sync/tombstone-sweeper.ts';
import { TextCompactor } from './collab/text-compactor.ts';

export interface RunningServer {
  url: string;
  store: Store;
  /** Keeps collaborative texts small: compacts a text's updates past the configured count. */
  textCompactor: TextCompactor;
  /**
   * Graceful shutdown: readiness turns 503 and live streams end; after the configured delay the
   * listener closes, requests in flight get the grace period to finish, then the agents'
   * heartbeat state is flushed and the store closed.
   */
  close(): Promise<void>;
}

/** Starts the whole server on a store; used by `npm start` and by the integration tests. */
export async function startServer(config: Config, store?: Store): Promise<RunningServer> {
  const activeStore = store ?? (await openStore(config));
  const drain = new Drain();
  const { app, agents } = createApp({
    store: activeStore,
    streamHeartbeatSeconds: config.streamHeartbeatSeconds,
    agentFlushEveryMs: config.agentFlushSeconds * 1000,
    drain,
  });
  serveClient(app, config.staticDir);
  const stopSweeper = startTombstoneSweeper(activeStore, config.tombstoneRetentionDays);
  const textCompactor = new TextCompactor(activeStore, { thresholdUpdates: config.textCompactionUpdates });
  textCompactor.start();
  const stopPresence = startPresenceSweeper(activeStore, {
    offlineAfterMs: config.agentOfflineAfterSeconds * 1000,
    staleAfterMs: config.agentStaleAfterSeconds * 1000,
  });
  const server = await new Promise<HttpServer>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      s instanceof HttpServer ? resolve(s) : reject(new Error('expected an HTTP/1.1 server')),
    );
    // e.g. the port is taken: fail the start with the reason instead of an unhandled 'error'.
    s.once('error', reject);
  });
  drain.watch(server);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  let closing: Promise<void> | undefined;
  const shutDown = async () => {
    drain.start();
    if (config.shutdownDelaySeconds > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDelaySeconds * 1000));
    // Stops accepting; idle keep-alive connections close now, busy ones after their response.
    const isListenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    if (!(await drain.settled(config.shutdownGraceSeconds * 1000))) {
      console.warn(`shutdown: ${drain.inFlight} request(s) still running after ${config.shutdownGraceSeconds} s: closing their connections`);
    }
    // What is left is idle (e.g. a keep-alive socket after its stream ended) or past the grace.
    server.closeAllConnections();
    await isListenerClosed;
    stopSweeper();
    stopPresence();
    await textCompactor.stop();
    await agents.close();
    await activeStore.close();
  };
  return {
    url: `http://${host}:${port}`,
    store: activeStore,
    textCompactor,
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}
