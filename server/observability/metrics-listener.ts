import { Server as HttpServer } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { ListenAddress } from './listen-address.ts';
import type { ServerMetrics } from './metrics.ts';
import { metricsResponse } from './metrics-route.ts';

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

/**
 * GET /metrics without a token, on an address of its own (OUTPOST_METRICS_ADDRESS): reachable by
 * the scraper on an internal network, and not through whatever exposes the main listener.
 */
export async function startMetricsListener(metrics: ServerMetrics, address: ListenAddress): Promise<MetricsListener> {
  const app = new Hono();
  app.get('/metrics', (c) => metricsResponse(c, metrics));
  app.notFound((c) => c.text('only GET /metrics is served here', 404));
  const server = await new Promise<HttpServer>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: address.port, hostname: address.host }, () =>
      s instanceof HttpServer ? resolve(s) : reject(new Error('expected an HTTP/1.1 server')),
    );
    s.once('error', reject);
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : address.port;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
