import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request defence beside SameSite=Strict cookies and JSON-only bodies: a browser
 * always sends Origin (and Sec-Fetch-Site) on state-changing requests; one from another site
 * is refused. Non-browser clients (agents, scripts) send neither.
 */
export function originCheck(allowedOrigins: readonly string[] = []): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const fetchSite = c.req.header('sec-fetch-site');
    if (fetchSite === 'cross-site') throw new ApiError(403, 'cross_site_request', 'cross-site requests are not accepted');
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      const own = new URL(c.req.url).origin;
      if (origin !== own && !allowedOrigins.includes(origin)) {
        throw new ApiError(403, 'cross_site_request', `requests from ${origin.slice(0, 100)} are not accepted`);
      }
    }
    return next();
  };
}
