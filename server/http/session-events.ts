import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { untilSessionEnds } from '../auth/session-lifetime.ts';
import type { Sessions } from '../auth/sessions.ts';
import type { AppEnv } from './app-env.ts';
import { ApiError } from './errors.ts';
import { pumpEvents, type EventPumpOptions } from './event-pump.ts';

export interface SessionEventsOptions<T> extends EventPumpOptions<T> {
  /** The stream ends when the session behind it does (see untilSessionEnds). */
  sessions: Sessions;
  /** How often the session is re-checked for what no event announces here (other instances, expiry). */
  recheckEveryMs: number;
}

/**
 * A server-sent-events response for the signed-in user: the one way a route opens a live
 * stream, so none can outlive the session it was opened under, and none opens while the server
 * drains (the client reconnects, through a load balancer to another instance).
 */
export function sessionEvents<T>(c: Context<AppEnv>, options: SessionEventsOptions<T>): Response {
  if (options.shutdown?.aborted) {
    c.header('Retry-After', '1');
    throw new ApiError(503, 'server_draining', 'this server is shutting down: reconnect');
  }
  const principal = c.get('principal');
  const tokenHash = principal.sessionTokenHash;
  if (principal.kind !== 'user' || tokenHash === undefined) throw new ApiError(401, 'unauthenticated', 'sign in to continue');
  const session = { userId: principal.id, tokenHash };
  const { sessions, recheckEveryMs, ...pump } = options;
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, (stream) =>
    pumpEvents<T>(stream, {
      ...pump,
      subscribe: (queue) => {
        const unsubscribe = pump.subscribe(queue);
        const stopWatching = untilSessionEnds(sessions, session, queue.close, recheckEveryMs);
        return () => {
          stopWatching();
          unsubscribe();
        };
      },
    }),
  );
}
