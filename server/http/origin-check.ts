import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { edgeOf } from './edge.ts';
import { ApiError } from './errors.ts';
import { browserOrigin } from './request-origin.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request defence beside SameSite=Strict cookies and JSON-only bodies: a browser
 * always sends Origin (and Sec-Fetch-Site) on state-changing requests; one from another site
 * is refused. Non-browser clients (agents, scripts) send neither. Accepted: the public origin
 * (OUTPOST_PUBLIC_URL), the origin the browser is on (see browserOrigin: behind a trusted proxy,
 * its forwarded scheme and host), and the extra origins configured.
 */
export function originCheck(allowedOrigins: readonly string[] = []): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const fetchSite = c.req.header('sec-fetch-site');
    if (fetchSite === 'cross-site') throw new ApiError(403, 'cross_site_request', 'cross-site requests are not accepted');
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      const isAccepted = origin === browserOrigin(c) || origin === edgeOf(c).publicOrigin || allowedOrigins.includes(origin);
      if (!isAccepted) {
        throw new ApiError(403, 'cross_site_request', `requests from ${origin.slice(0, 100)} are not accepted`);
      }
    }
    return next();
  };
}
