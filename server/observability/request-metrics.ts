import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import type { ServerMetrics } from './metrics.ts';
import { routePattern } from './route-pattern.ts';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Counts each request by route pattern and status, and times it until its response is ready. */
export function requestMetrics(metrics: ServerMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const startedAt = performance.now();
    await next();
    const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : 'OTHER';
    const route = routePattern(c);
    metrics.httpRequests.inc({ method, route, status: String(c.res.status) });
    metrics.httpRequestDuration.observe({ method, route }, (performance.now() - startedAt) / 1000);
  };
}
