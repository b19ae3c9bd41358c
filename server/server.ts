import { Server as HttpServer } from 'node:http';
import { Server as HttpsServer } from 'node:https';
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
import { createLogger, type Logger } from './observability/logger.ts';
import { ServerMetrics } from './observability/metrics.ts';
import { startMetricsListener } from './observability/metrics-listener.ts';
import { observeStore } from './observability/store-metrics.ts';
import { reloadOnChange } from './tls/reload-on-change.ts';
import { certificateHostNames, httpsServeOptions, loadServerTls } from './tls/server-tls.ts';
import { localCaRoutes } from './tls/setup-routes.ts';

export interface RunningServer {
  url: string;
  store: Store;
  /** Keeps collaborative texts small: compacts a text's updates past the configured count. */
  textCompactor: TextCompactor;
  /** The separate metrics listener (OUTPOST_METRICS_ADDRESS), when configured. */
  metricsUrl: string | undefined;
  /**
   * Graceful shutdown: readiness turns 503 and live streams end; after the configured delay the
   * listener closes, requests in flight get the grace period to finish, then the agents'
   * heartbeat state is flushed and the store closed.
   */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Instead of JSON lines on standard output at OUTPOST_LOG_LEVEL (tests capture them). */
  logger?: Logger;
}

/** Starts the whole server on a store; used by `npm start` and by the integration tests. */
export async function startServer(config: Config, store?: Store, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  // First: a missing or mismatched certificate stops the start before anything opens.
  const tls = loadServerTls(config.tls, config.dataDir);
  const activeStore = store ?? (await openStore(config, logger));
  const metrics = new ServerMetrics();
  const stopObservingStore = observeStore(metrics, activeStore);
  const drain = new Drain();
  const { app, agents } = createApp({
    store: activeStore,
    streamHeartbeatSeconds: config.streamHeartbeatSeconds,
    agentFlushEveryMs: config.agentFlushSeconds * 1000,
    drain,
    metrics,
    metricsToken: config.metricsToken,
    logger,
    publicOrigin: config.publicUrl,
    trustedProxies: config.trustedProxies,
    // The names the served certificate is for are names the server answers to.
    allowedHosts: [...config.allowedHosts, ...(tls ? certificateHostNames(tls.pair.cert) : [])],
    listenHost: config.host,
    riskAcceptanceMaxDays: config.riskAcceptanceMaxDays,
  });
  // Before the app shell, which answers every other path.
  app.route('/', localCaRoutes(config.dataDir));
  serveClient(app, config.staticDir);
  const stopSweeper = startTombstoneSweeper(activeStore, config.tombstoneRetentionDays, { logger });
  const textCompactor = new TextCompactor(activeStore, { thresholdUpdates: config.textCompactionUpdates, logger });
  textCompactor.start();
  const stopPresence = startPresenceSweeper(activeStore, {
    offlineAfterMs: config.agentOfflineAfterSeconds * 1000,
    staleAfterMs: config.agentStaleAfterSeconds * 1000,
    logger,
  });
  const server = await new Promise<HttpServer | HttpsServer>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host, ...(tls ? httpsServeOptions(tls) : {}) }, () =>
      s instanceof HttpServer || s instanceof HttpsServer ? resolve(s) : reject(new Error('expected an HTTP/1.1 server')),
    );
    // e.g. the port is taken: fail the start with the reason instead of an unhandled 'error'.
    s.once('error', reject);
  });
  drain.watch(server);
  const stopReloading = tls && server instanceof HttpsServer ? reloadOnChange(server, tls.files, tls.pair, { logger }) : undefined;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const metricsListener = config.metricsAddress ? await startMetricsListener(metrics, config.metricsAddress) : undefined;

  let closing: Promise<void> | undefined;
  const shutDown = async () => {
    drain.start();
    if (config.shutdownDelaySeconds > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDelaySeconds * 1000));
    // Stops accepting; idle keep-alive connections close now, busy ones after their response.
    const isListenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    if (!(await drain.settled(config.shutdownGraceSeconds * 1000))) {
      logger.warn({ inFlight: drain.inFlight, graceSeconds: config.shutdownGraceSeconds }, 'shutdown: requests still running after the grace period: closing their connections');
    }
    // What is left is idle (e.g. a keep-alive socket after its stream ended) or past the grace.
    server.closeAllConnections();
    await isListenerClosed;
    stopReloading?.();
    // Scraped until here, so the drain itself can be watched.
    await metricsListener?.close();
    stopObservingStore();
    stopSweeper();
    stopPresence();
    await textCompactor.stop();
    await agents.close();
    await activeStore.close();
  };
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${port}`,
    store: activeStore,
    textCompactor,
    metricsUrl: metricsListener?.url,
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}
