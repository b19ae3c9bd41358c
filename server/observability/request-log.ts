import type { MiddlewareHandler } from 'hono';
import type { Principal } from '../auth/principal.ts';
import type { AppEnv } from '../http/app-env.ts';
import { clientAddress } from '../http/client-address.ts';
import { ApiError } from '../http/errors.ts';
import type { Logger } from './logger.ts';
import { routePattern } from './route-pattern.ts';

/**
 * One JSON line per request. Only these fields, chosen one by one: never headers, query strings
 * or bodies, which carry passwords, session cookies, agent and enrollment tokens and documents.
 * A 5xx line carries its cause: the error Hono handed to onError (`c.error`). A live stream is
 * logged when it opens (its duration is the time to open it).
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const startedAt = performance.now();
    await next();
    const status = c.res.status;
    // Set by authenticate / authenticateAgent; absent on public routes and refused requests.
    const principal = c.get('principal') as Principal | undefined;
    const line = {
      requestId: c.get('requestId'),
      method: c.req.method,
      route: routePattern(c),
      status,
      durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
      ...(principal?.kind === 'user' ? { userId: principal.id } : {}),
      ...(principal?.kind === 'agent' ? { deviceId: principal.id } : {}),
      clientAddress: clientAddress(c),
    };
    if (status < 500) {
      // Agents heartbeat every minute each (thousands a second at fleet scale): their successes at debug.
      if (status < 400 && line.route.startsWith('/api/agent/')) logger.debug(line, 'request');
      else logger.info(line, 'request');
      return;
    }
    const error = c.error;
    if (error instanceof ApiError) {
      // Answered on purpose (draining, a busy device state): the code and message say why.
      logger.warn({ ...line, error: { code: error.code, message: error.message } }, 'request failed');
    } else if (error) {
      logger.error({ ...line, err: error }, 'request failed: unhandled error');
    } else {
      logger.warn(line, 'request failed');
    }
  };
}
