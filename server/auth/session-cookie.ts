import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../http/app-env.ts';
import { browserOrigin } from '../http/request-origin.ts';
import { SESSION_COOKIE, SESSION_LIFETIME_MS } from './sessions.ts';

// The browser's origin, not this hop's: behind a TLS-terminating proxy the request reaches us
// over plain HTTP while the browser is on https (OUTPOST_PUBLIC_URL, or a trusted proxy's
// X-Forwarded-Proto).
export const isBrowserOnHttps = (c: Context<AppEnv>) => browserOrigin(c).startsWith('https:');

/** HttpOnly (no script reads it), SameSite=Strict (no cross-site sends), Secure over HTTPS. */
export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: isBrowserOnHttps(c),
    path: '/',
    maxAge: Math.floor(SESSION_LIFETIME_MS / 1000),
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isBrowserOnHttps(c), httpOnly: true, sameSite: 'Strict' });
}
