import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/app-env.ts';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Short and plain: an incoming id is copied into logs and a response header. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Names each request: a caller's (or a proxy's) X-Request-Id when it is safe to repeat, else a
 * new one; answered in the X-Request-Id header and logged with the request.
 */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header(REQUEST_ID_HEADER);
    const id = incoming !== undefined && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', id);
    await next();
    // After the handler: a response it built by hand would not carry a header set before.
    c.header(REQUEST_ID_HEADER, id);
  };
}
