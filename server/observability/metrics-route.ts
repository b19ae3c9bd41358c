import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import type { ServerMetrics } from './metrics.ts';

const BEARER = /^Bearer (\S+)$/i;

/** Digests first: timingSafeEqual needs equal lengths, and a digest's length tells nothing. */
const digest = (text: string) => createHash('sha256').update(text).digest();

export function isMetricsTokenValid(authorization: string | undefined, token: string): boolean {
  const presented = BEARER.exec(authorization ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}

/** The Prometheus text of this server's metrics. */
export async function metricsResponse(c: Context, metrics: ServerMetrics): Promise<Response> {
  return c.body(await metrics.exposition(), 200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
}

/**
 * GET /metrics on the main listener: only with `Authorization: Bearer <OUTPOST_METRICS_TOKEN>`,
 * and without a token configured not at all (404, as if there were no such route: the separate
 * metrics listener, when configured, serves it there).
 */
export function metricsRoute(metrics: ServerMetrics, token: string | undefined) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    if (token === undefined) throw new ApiError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`);
    if (!isMetricsTokenValid(c.req.header('authorization'), token)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new ApiError(401, 'unauthenticated', 'metrics need Authorization: Bearer <OUTPOST_METRICS_TOKEN>');
    }
    return metricsResponse(c, metrics);
  };
}
