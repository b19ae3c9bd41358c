import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { setSessionCookie } from './session-cookie.ts';
import { SESSION_COOKIE, type Sessions } from './sessions.ts';
import { hashToken } from './tokens.ts';
import { userPrincipal } from './principal.ts';

/** Resolves the session cookie into a principal; without one, the request is refused. */
export function authenticate(sessions: Sessions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const resolved = token ? await sessions.resolve(token) : undefined;
    if (!token || !resolved) throw new ApiError(401, 'unauthenticated', 'sign in to continue');
    c.set('principal', userPrincipal(resolved.user.id, resolved.user.memberships, hashToken(token)));
    c.set('user', resolved.user);
    if (resolved.isRenewed) setSessionCookie(c, token);
    await next();
  };
}
