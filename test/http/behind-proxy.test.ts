import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawFetch } from '../support/raw-http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const json = { 'content-type': 'application/json' };
const PASSWORD = 'spanner-and-multimeter';
/** The six failure locks the (account, address) pair for a second: five are free. */
const FAILURES_TO_LOCK = 6;

async function createTechnician(server: TestServer, email: string): Promise<void> {
  const created = await server.adminFetch(`${server.url}/api/admin/users`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email, password: PASSWORD, name: 'Tess Tech', memberships: [{ orgId: server.orgId, role: 'technician' }] }),
  });
  expect(created.status).toBe(201);
}

const login = (server: TestServer, email: string, password: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify({ email, password }) });

/** The address each sign-in and failed sign-in of `email` was recorded under. */
async function signInAddresses(server: TestServer, email: string): Promise<{ action: string; clientAddress?: string }[]> {
  const entries: { action: string; clientAddress?: string; actorId: string; detail?: { email?: string } }[] = [];
  for (let cursor = 0; ; ) {
    const page = (await (await server.adminFetch(`${server.url}/api/admin/audit?cursor=${cursor}&limit=200`)).json()) as { entries: typeof entries; cursor: number };
    if (page.entries.length === 0) break;
    entries.push(...page.entries);
    cursor = page.cursor;
  }
  const user = await server.store.users.findByEmail(email);
  return entries
    .filter((e) => (e.action === 'login_failed' && e.detail?.email === email) || (e.action === 'login' && e.actorId === user?.id))
    .map((e) => ({ action: e.action, ...(e.clientAddress === undefined ? {} : { clientAddress: e.clientAddress }) }));
}

async function failSignIns(server: TestServer, email: string, headers: Record<string, string>): Promise<void> {
  for (let i = 0; i < FAILURES_TO_LOCK; i++) expect((await login(server, email, 'not-the-password', headers)).status).toBe(401);
}

describe('behind a trusted proxy (OUTPOST_TRUSTED_PROXIES=127.0.0.1)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ OUTPOST_TRUSTED_PROXIES: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('throttles sign-ins by the forwarded address: two people behind one proxy do not lock each other out', async () => {
    const email = 'office@outpost.test';
    await createTechnician(server, email);
    await failSignIns(server, email, { 'x-forwarded-for': '198.51.100.1' });
    // Both at once, while the pair lock of the first address (one second) holds.
    const [locked, colleague] = await Promise.all([
      login(server, email, PASSWORD, { 'x-forwarded-for': '198.51.100.1' }),
      login(server, email, PASSWORD, { 'x-forwarded-for': '198.51.100.2' }),
    ]);
    expect(locked.status).toBe(429);
    expect(colleague.status).toBe(200);
    expect(await signInAddresses(server, email)).toEqual([
      ...Array.from({ length: FAILURES_TO_LOCK }, () => ({ action: 'login_failed', clientAddress: '198.51.100.1' })),
      { action: 'login', clientAddress: '198.51.100.2' },
    ]);
  });

  it('believes X-Forwarded-For and -Proto only from the proxy: another peer is itself, over plain HTTP', async () => {
    const email = 'direct@outpost.test';
    await createTechnician(server, email);
    const headers = { ...json, 'x-forwarded-for': '198.51.100.9', 'x-forwarded-proto': 'https' };
    const body = JSON.stringify({ email, password: PASSWORD });
    const fromProxy = await rawFetch(`${server.url}/api/auth/login`, { method: 'POST', headers, body });
    // 127.0.0.5 is loopback too, but not the trusted proxy's address.
    const fromElsewhere = await rawFetch(`${server.url}/api/auth/login`, { method: 'POST', headers, body, localAddress: '127.0.0.5' });
    expect([fromProxy.status, fromElsewhere.status]).toEqual([200, 200]);
    expect(String(fromProxy.headers['set-cookie'])).toMatch(/; Secure/);
    expect(String(fromElsewhere.headers['set-cookie'])).not.toMatch(/Secure/);
    expect(await signInAddresses(server, email)).toEqual([
      { action: 'login', clientAddress: '198.51.100.9' },
      { action: 'login', clientAddress: '127.0.0.5' },
    ]);
  });
});

describe('without trusted proxies', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('ignores a forged X-Forwarded-For: a new value does not escape the lock, and nothing is recorded under it', async () => {
    const email = 'forger@outpost.test';
    await createTechnician(server, email);
    await failSignIns(server, email, { 'x-forwarded-for': '198.51.100.1' });
    const [again, forged] = await Promise.all([
      login(server, email, PASSWORD, { 'x-forwarded-for': '198.51.100.1' }),
      login(server, email, PASSWORD, { 'x-forwarded-for': '198.51.100.2' }),
    ]);
    expect([again.status, forged.status]).toEqual([429, 429]);
    const addresses = new Set((await signInAddresses(server, email)).map((e) => e.clientAddress));
    expect(addresses).toEqual(new Set(['127.0.0.1']));
  });

  it('sets no Secure cookie over plain HTTP, whatever X-Forwarded-Proto claims', async () => {
    const response = await login(server, 'admin@outpost.test', 'correct-horse-battery-staple', { 'x-forwarded-proto': 'https' });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).not.toMatch(/Secure/);
  });
});

describe('with OUTPOST_PUBLIC_URL=https://ops.example.test behind a proxy on loopback', () => {
  const PUBLIC = 'https://ops.example.test';
  let server: TestServer;
  /** As the proxy forwards: the public host, the client's address, no word about the scheme. */
  const viaProxy: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('x-forwarded-host', 'ops.example.test');
    headers.set('x-forwarded-for', '203.0.113.50');
    return fetch(input, { ...init, headers });
  };
  beforeAll(async () => {
    server = await startTestServer({ OUTPOST_PUBLIC_URL: PUBLIC, OUTPOST_TRUSTED_PROXIES: 'loopback' }, { fetch: viaProxy });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const signInResponse = (fetchAs: typeof fetch) =>
    fetchAs(`${server.url}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'admin@outpost.test', password: 'correct-horse-battery-staple' }) });

  it('sets a Secure cookie: the public URL is https, though this hop is plain HTTP and the proxy said nothing of it', async () => {
    const response = await signInResponse(viaProxy);
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/; Secure/);
    expect(response.headers.get('set-cookie')).toMatch(/SameSite=Strict/);
  });

  it('sets a Secure cookie when the proxy passes the public Host on instead (Caddy does)', async () => {
    const response = await rawFetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { ...json, host: 'ops.example.test' },
      body: JSON.stringify({ email: 'admin@outpost.test', password: 'correct-horse-battery-staple' }),
    });
    expect(response.status).toBe(200);
    expect(String(response.headers['set-cookie'])).toMatch(/; Secure/);
  });

  it('accepts a write whose Origin is the public origin, and refuses other origins', async () => {
    const logout = (origin: string) => viaProxy(`${server.url}/api/auth/logout`, { method: 'POST', headers: { origin } });
    expect((await logout(PUBLIC)).status).toBe(204);
    for (const origin of ['https://evil.test', 'http://ops.example.test', server.url, 'null']) {
      const refused = await logout(origin);
      expect(refused.status, origin).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: 'cross_site_request' } });
    }
  });
});
