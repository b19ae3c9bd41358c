import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../http/app-env.ts';
import type { KnownDeviceStore } from '../store/accounts.ts';
import { isBrowserOnHttps } from './session-cookie.ts';
import { hashToken, newSecretToken } from './tokens.ts';

/**
 * A browser that signed in to an account correctly before (OWASP's "device cookie"): its sign-ins
 * to that account are throttled on their own counter, so an attacker's failures cannot lock its
 * owner out (server/auth/login-throttle.ts). The cookie holds a random token and the store its
 * hash, like a session: nothing to sign, every instance can check it, and it can be withdrawn.
 * One account per browser: signing in to another replaces it. Logging out clears it with every
 * other cookie (Clear-Site-Data), as a shared device should forget who used it.
 */
export const KNOWN_DEVICE_COOKIE = 'outpost_device';
export const KNOWN_DEVICE_LIFETIME_MS = 180 * 24 * 60 * 60 * 1000;
/** Sent only where it is read. */
const COOKIE_PATH = '/api/auth';

export class KnownDevices {
  constructor(
    private readonly store: KnownDeviceStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** The hash of this browser's known-device token when it stands for `userId`, or undefined. */
  async recognize(c: Context<AppEnv>, userId: string): Promise<string | undefined> {
    const token = getCookie(c, KNOWN_DEVICE_COOKIE);
    if (token === undefined || token.length === 0 || token.length > 100) return undefined;
    const tokenHash = hashToken(token);
    const device = await this.store.find(tokenHash);
    return device && device.userId === userId && device.expiresAt > this.now() ? tokenHash : undefined;
  }

  /** Makes this browser a known device of `userId` (after a correct password). */
  async remember(c: Context<AppEnv>, userId: string): Promise<void> {
    const token = newSecretToken();
    const now = this.now();
    await this.store.create({ tokenHash: hashToken(token), userId, createdAt: now, expiresAt: now + KNOWN_DEVICE_LIFETIME_MS });
    setCookie(c, KNOWN_DEVICE_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: isBrowserOnHttps(c),
      path: COOKIE_PATH,
      maxAge: Math.floor(KNOWN_DEVICE_LIFETIME_MS / 1000),
    });
  }

  /** Forgets every known device of a user (their password changed). */
  async forgetAllOf(userId: string): Promise<void> {
    await this.store.deleteAllOf(userId);
  }
}
