import type { MiddlewareHandler } from 'hono';

/** Cache-Control: no-store, unless the route chose its own (the live stream's no-cache). */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
};
