import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RESYNC } from '../../shared/sync/protocol.ts';
import { hashToken } from '../../server/auth/tokens.ts';
import { SESSION_LIFETIME_MS } from '../../server/auth/sessions.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, fetchWithCookie, signIn, startTestServer, type TestServer } from '../support/server.ts';

const json = { 'content-type': 'application/json' };

describe('sessions', () => {
  let server: TestServer;
  let technicianCookie: string;
  const technician = { email: 'tech@outpost.test', password: 'spanner-and-multimeter' };

  beforeEach(async () => {
    server = await startTestServer();
    const created = await server.adminFetch(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ ...technician, name: 'Tess Tech', memberships: [{ orgId: server.orgId, role: 'technician' }] }),
    });
    expect(created.status).toBe(201);
    technicianCookie = await signIn(server.url, technician.email, technician.password);
  });

  afterEach(async () => {
    await server.dispose();
  });

  const login = (email: string, password: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify({ email, password }) });
  const me = (cookie: string) => fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
  const tokenOf = (cookie: string) => cookie.split('=')[1] ?? '';

  it('sets an HttpOnly, SameSite=Strict cookie that lives 30 days, and a new token on every sign-in', async () => {
    const response = await login(technician.email, technician.password);
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^outpost_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(new RegExp(`Max-Age=${SESSION_LIFETIME_MS / 1000}`));
    expect(cookie.split(';')[0]).not.toBe(technicianCookie);
    const body = (await response.json()) as { user: { email: string; memberships: unknown[] } };
    expect(body.user).toMatchObject({ email: technician.email, memberships: [{ orgId: server.orgId, role: 'technician', siteIds: null }] });
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const wrong = await login(technician.email, 'not-the-password');
    const unknown = await login('nobody@outpost.test', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('stores only a hash of the session token', async () => {
    const token = tokenOf(technicianCookie);
    expect(await server.store.sessions.find(token)).toBeUndefined();
    expect(await server.store.sessions.find(hashToken(token))).toMatchObject({ userId: expect.any(String) });
  });

  it('refuses requests without a session and after logout, and asks the browser to clear site data', async () => {
    expect((await fetch(`${server.url}/api/sync/devices/pull`)).status).toBe(401);
    expect((await me(technicianCookie)).status).toBe(200);
    const logout = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: technicianCookie } });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"');
    expect(logout.headers.get('set-cookie')).toMatch(/outpost_session=;.*Max-Age=0/);
    expect((await me(technicianCookie)).status).toBe(401);
    expect((await fetch(`${server.url}/api/sync/devices/pull`, { headers: { cookie: technicianCookie } })).status).toBe(401);
  });

  it('slides the expiry forward when a session is used after an hour, and ends an expired one', async () => {
    const tokenHash = hashToken(tokenOf(technicianCookie));
    const longAgo = Date.now() - 2 * 60 * 60 * 1000;
    await server.store.sessions.touch(tokenHash, longAgo, longAgo + SESSION_LIFETIME_MS);
    const response = await me(technicianCookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/Max-Age=2592000/);
    const session = await server.store.sessions.find(tokenHash);
    expect(session?.expiresAt).toBeGreaterThan(Date.now() + SESSION_LIFETIME_MS - 60_000);

    await server.store.sessions.touch(tokenHash, longAgo, Date.now() - 1);
    expect((await me(technicianCookie)).status).toBe(401);
  });

  it('ends a live stream when an administrator revokes the sessions', async () => {
    const abort = new AbortController();
    const response = await fetch(`${server.url}/api/sync/stream`, { headers: { cookie: technicianCookie }, signal: abort.signal });
    expect(response.status).toBe(200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toContain(JSON.stringify(RESYNC));
    const technicianId = (await server.store.users.findByEmail(technician.email))!.id;
    const revoke = await server.adminFetch(`${server.url}/api/admin/users/${technicianId}/sessions/revoke`, { method: 'POST' });
    expect(await revoke.json()).toEqual({ revoked: 1 });
    const ended = await Promise.race([
      (async () => {
        for (;;) if ((await reader.read()).done) return true;
      })(),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 3000)),
    ]);
    abort.abort();
    expect(ended).toBe(true);
    expect((await me(technicianCookie)).status).toBe(401);
  });

  it('ends every other session when the password changes', async () => {
    const otherDevice = await signIn(server.url, technician.email, technician.password);
    const change = await fetch(`${server.url}/api/auth/password`, {
      method: 'POST',
      headers: { ...json, cookie: technicianCookie },
      body: JSON.stringify({ currentPassword: technician.password, newPassword: 'torque-wrench-42-calibrated' }),
    });
    expect(change.status).toBe(204);
    const fresh = change.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect((await me(otherDevice)).status).toBe(401);
    expect((await me(technicianCookie)).status).toBe(401);
    expect((await me(fresh)).status).toBe(200);
    expect((await login(technician.email, technician.password)).status).toBe(401);
  });

  it('refuses common and short passwords', async () => {
    for (const password of ['password123', 'qwertyuiop', 'short']) {
      const response = await server.adminFetch(`${server.url}/api/admin/users`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ email: `u${password.length}@outpost.test`, name: 'U', password, memberships: [{ orgId: server.orgId, role: 'staff' }] }),
      });
      expect(response.status, password).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('weak_password');
    }
  });

  it('signs a disabled user out everywhere and refuses their password', async () => {
    const technicianId = (await server.store.users.findByEmail(technician.email))!.id;
    const disable = await server.adminFetch(`${server.url}/api/admin/users/${technicianId}`, { method: 'PATCH', headers: json, body: JSON.stringify({ isDisabled: true }) });
    expect(disable.status).toBe(200);
    expect((await me(technicianCookie)).status).toBe(401);
    expect((await login(technician.email, technician.password)).status).toBe(401);
  });

  it('slows down repeated failures from one address with growing delays and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login(technician.email, `wrong-${i}`)).status);
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(statuses[6]).toBe(429);
    const locked = await login(technician.email, technician.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another account from the same address is not locked by this one's failures.
    expect((await login(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await login(technician.email, technician.password)).status).toBe(200);
  });

  it('refuses state-changing requests from another site', async () => {
    const crossOrigin = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: technicianCookie, origin: 'https://evil.example' } });
    expect(crossOrigin.status).toBe(403);
    const crossSite = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: technicianCookie, 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect((await me(technicianCookie)).status).toBe(200);
    const sameOrigin = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: technicianCookie, origin: server.url } });
    expect(sameOrigin.status).toBe(204);
  });

  it('never returns or replicates password material', async () => {
    const technicianFetch = fetchWithCookie(technicianCookie);
    const bodies = await Promise.all([
      (await login(technician.email, technician.password)).text(),
      (await me(technicianCookie)).text(),
      (await server.adminFetch(`${server.url}/api/admin/users`)).text(),
      (await technicianFetch(`${server.url}/api/sync/users/pull`)).text(),
      (await server.adminFetch(`${server.url}/api/admin/audit`)).text(),
    ]);
    for (const body of bodies) {
      expect(body).not.toMatch(/argon2|passwordHash|password_hash/i);
      expect(body).not.toContain(technician.password);
    }
    expect(bodies[3]).toContain(technician.email);
  });

  it('sends a strict Content-Security-Policy and a year of HSTS', async () => {
    const response = await fetch(`${server.url}/healthz`);
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('keeps API answers out of the browser’s HTTP cache, so signing out of a shared device leaves no data behind', async () => {
    const answers = await Promise.all([
      server.adminFetch(`${server.url}/api/sync/devices/pull`),
      server.adminFetch(`${server.url}/api/admin/audit`),
      fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      fetch(`${server.url}/api/no-such-route`),
    ]);
    expect(answers.map((answer) => [answer.status >= 400, answer.headers.get('cache-control')])).toEqual([
      [false, 'no-store'],
      [false, 'no-store'],
      [true, 'no-store'],
      [true, 'no-store'],
    ]);
  });
});
