import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

/** The label of a request no handler route matched (a 404, or a middleware's own answer). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The pattern of the route that handled the request (`/api/sync/:collection/pull`), never the
 * URL: ids in paths would make a metric series (and a log field to group by) per document.
 * Middlewares are registered with `use` (method ALL); the first route with a method is the handler's.
 */
export function routePattern(c: Context): string {
  return matchedRoutes(c).find((route) => route.method !== 'ALL')?.path ?? UNMATCHED_ROUTE;
}
