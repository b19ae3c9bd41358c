import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawFetch, type RawRequestOptions } from '../support/raw-http.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/** Answered with the Host (and headers) given, as a browser led there by DNS would send them. */
async function statusFor(server: TestServer, path: string, host: string, options: RawRequestOptions = {}): Promise<{ status: number; body: string }> {
  const response = await rawFetch(`${server.url}${path}`, { ...options, headers: { ...options.headers, host } });
  return { status: response.status, body: response.body };
}

describe('Host check without a public URL (OUTPOST_ALLOWED_HOSTS=outpost.lan)', () => {
  let server: TestServer;
  let port: string;
  beforeAll(async () => {
    server = await startTestServer({ OUTPOST_ALLOWED_HOSTS: 'outpost.lan' });
    port = new URL(server.url).port;
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('answers to localhost, loopback addresses and the allowed names', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost', `outpost.lan:${port}`, 'OUTPOST.LAN']) {
      // Not signed in: the route answered, the Host was fine.
      expect((await statusFor(server, '/api/auth/me', host)).status, host).toBe(401);
    }
  });

  it('refuses a name it does not know (DNS rebinding) with 421 and the variable to set', async () => {
    for (const path of ['/api/auth/me', '/api/openapi.json', '/', '/index.html']) {
      const { status, body } = await statusFor(server, path, `rebind.evil.test:${port}`);
      expect(status, path).toBe(421);
      expect(JSON.parse(body), path).toEqual({ error: { code: 'misdirected_request', message: expect.stringMatching(/"rebind\.evil\.test".*OUTPOST_ALLOWED_HOSTS/) } });
    }
  });

  it('leaves /healthz and the bearer-authenticated agent routes to any name', async () => {
    expect((await statusFor(server, '/healthz', 'evil.test')).status).toBe(200);
    const ingest = await statusFor(server, '/api/agent/ingest', 'evil.test', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(ingest.status).toBe(401);
  });

  it('ignores X-Forwarded-Host from a peer that is not a trusted proxy, and says so', async () => {
    expect((await statusFor(server, '/api/auth/me', 'localhost', { headers: { 'x-forwarded-host': 'evil.test' } })).status).toBe(401);
    const { status, body } = await statusFor(server, '/api/auth/me', 'evil.test', { headers: { 'x-forwarded-host': 'localhost' } });
    expect(status).toBe(421);
    expect(body).toMatch(/X-Forwarded-Host was ignored: 127\.0\.0\.1 is not in OUTPOST_TRUSTED_PROXIES/);
  });
});

describe('Host check with OUTPOST_PUBLIC_URL=https://ops.example.test behind a trusted proxy', () => {
  let server: TestServer;
  const viaProxy: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('x-forwarded-host', 'ops.example.test');
    return fetch(input, { ...init, headers });
  };
  beforeAll(async () => {
    server = await startTestServer({ OUTPOST_PUBLIC_URL: 'https://ops.example.test', OUTPOST_TRUSTED_PROXIES: '127.0.0.1' }, { fetch: viaProxy });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('answers to the public host, as Host or as the proxy’s X-Forwarded-Host', async () => {
    expect((await statusFor(server, '/api/auth/me', 'ops.example.test')).status).toBe(401);
    expect((await statusFor(server, '/api/auth/me', 'Ops.Example.Test:443')).status).toBe(401);
    expect((await statusFor(server, '/api/auth/me', '127.0.0.1', { headers: { 'x-forwarded-host': 'ops.example.test' } })).status).toBe(401);
  });

  it('refuses any other name, localhost included, pointing at the public URL', async () => {
    for (const [host, forwarded] of [['localhost', undefined], ['127.0.0.1', undefined], ['evil.test', undefined], ['ops.example.test', 'evil.test']] as const) {
      const { status, body } = await statusFor(server, '/api/auth/me', host, forwarded === undefined ? {} : { headers: { 'x-forwarded-host': forwarded } });
      expect(status, host).toBe(421);
      expect(JSON.parse(body), host).toMatchObject({ error: { code: 'misdirected_request', message: expect.stringMatching(/answers as https:\/\/ops\.example\.test \(OUTPOST_PUBLIC_URL\)/) } });
    }
  });
});
