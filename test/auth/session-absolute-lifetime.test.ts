import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_ABSOLUTE_LIFETIME_MS, SESSION_LIFETIME_MS } from '../../server/auth/sessions.ts';
import { hashToken } from '../../server/auth/tokens.ts';
import { signIn, startTestServer, type TestServer } from '../support/server.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('a session ends 90 days after sign-in, however often it is used', () => {
  let server: TestServer;
  let cookie: string;
  let tokenHash: string;

  beforeEach(async () => {
    server = await startTestServer();
    cookie = await signIn(server.url, 'admin@outpost.test', 'correct-horse-battery-staple');
    tokenHash = hashToken(cookie.split('=')[1] ?? '');
  });

  afterEach(async () => {
    await server.dispose();
  });

  const me = () => fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
  /** Makes the session look signed in `ageMs` ago and last used two hours ago, idle expiry far off. */
  const age = async (ageMs: number) => {
    const now = Date.now();
    await server.sql('UPDATE sessions SET created_at = ?, last_seen_at = ?, expires_at = ? WHERE token_hash = ?', [now - ageMs, now - 2 * 60 * 60 * 1000, now + 29 * DAY_MS, tokenHash]);
  };

  it('is 90 days', () => {
    expect(SESSION_ABSOLUTE_LIFETIME_MS).toBe(90 * DAY_MS);
  });

  it('refuses a session signed in 91 days ago that was used every day', async () => {
    await age(91 * DAY_MS);
    const response = await me();
    expect(response.status).toBe(401);
    expect(await server.store.sessions.find(tokenHash)).toBeUndefined();
  });

  it('slides a session of 89 days only up to its 90th day', async () => {
    await age(89 * DAY_MS);
    const signedInAt = (await server.store.sessions.find(tokenHash))?.createdAt ?? 0;
    expect((await me()).status).toBe(200);
    const session = await server.store.sessions.find(tokenHash);
    expect(session?.expiresAt).toBe(signedInAt + SESSION_ABSOLUTE_LIFETIME_MS);
    expect(session?.expiresAt).toBeLessThan(Date.now() + SESSION_LIFETIME_MS);
  });
});
