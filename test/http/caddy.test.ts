import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCaddy, startCaddy, type RunningCaddy } from '../support/caddy.ts';
import { makeDevice, makeSite } from '../support/documents.ts';
import { rawFetch, rawRequest, type RawRequestOptions } from '../support/raw-http.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.ts';

/**
 * Outpost on plain HTTP behind Caddy with `tls internal`, as deploy/Caddyfile sets it up on a
 * LAN: Caddy terminates TLS and forwards; Outpost trusts it (OUTPOST_TRUSTED_PROXIES) and knows
 * its public URL. The client connects from 127.0.0.5, so an address Outpost sees that is not
 * 127.0.0.1 came from Caddy's X-Forwarded-For.
 */
const caddy = ensureCaddy();
const NAME = 'outpost.test';
const CLIENT_ADDRESS = '127.0.0.5';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

describe.skipIf('reason' in caddy)(`behind Caddy with tls internal${'reason' in caddy ? ` (skipped: ${caddy.reason})` : ''}`, () => {
  let server: TestServer;
  let proxy: RunningCaddy | undefined;
  let publicOrigin: string;
  let caddyPort: number;
  let ca: string;

  /** A request to Caddy as a browser at the public origin would make it. */
  const viaCaddy = (path: string, options: RawRequestOptions = {}) => ({
    url: `https://127.0.0.1:${caddyPort}${path}`,
    options: { ...options, headers: { host: `${NAME}:${caddyPort}`, ...options.headers }, ca, servername: NAME, localAddress: CLIENT_ADDRESS },
  });
  const fetchViaCaddy = (path: string, options: RawRequestOptions = {}) => {
    const { url, options: full } = viaCaddy(path, options);
    return rawFetch(url, full);
  };

  beforeAll(async () => {
    if (!('path' in caddy)) return;
    caddyPort = await freePort();
    publicOrigin = `https://${NAME}:${caddyPort}`;
    // The administrator's own sign-in goes straight to Outpost, as Caddy would forward it.
    const asForwarded: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('x-forwarded-host', `${NAME}:${caddyPort}`);
      return fetch(input, { ...init, headers });
    };
    server = await startTestServer({ OUTPOST_PUBLIC_URL: publicOrigin, OUTPOST_TRUSTED_PROXIES: '127.0.0.1' }, { fetch: asForwarded });
    const dir = join(server.dataDir, 'caddy');
    const caddyfile = `{
\tadmin off
\tskip_install_trust
\tauto_https disable_redirects
\thttp_port ${await freePort()}
\thttps_port ${caddyPort}
\tstorage file_system {
\t\troot ${join(dir, 'storage')}
\t}
}

https://${NAME}:${caddyPort} {
\tbind 127.0.0.1
\ttls internal
\treverse_proxy ${new URL(server.url).host} {
\t\tflush_interval -1
\t}
}
`;
    proxy = startCaddy(caddy.path, caddyfile, dir);
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        ca = readFileSync(join(dir, 'storage/pki/authorities/local/root.crt'), 'utf8');
        if ((await fetchViaCaddy('/healthz')).status === 200) break;
      } catch {
        // Not up yet: the CA or the listener is still being made.
      }
      if (Date.now() > deadline) throw new Error(`Caddy did not come up:\n${proxy.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  afterAll(async () => {
    // Outpost first: its shutdown ends the live streams Caddy would otherwise wait for.
    await server?.dispose();
    await proxy?.stop();
  });

  it('signs in with a Secure cookie, passes the Origin check, streams through the proxy and records the client’s address', async () => {
    const site = makeSite(server.orgId);
    await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
    const json = { 'content-type': 'application/json', origin: publicOrigin };

    // A forged X-Forwarded-For from the client: Caddy does not trust the client, so drops it.
    const login = await fetchViaCaddy('/api/auth/login', {
      method: 'POST',
      headers: { ...json, 'x-forwarded-for': '198.51.100.66' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    expect(login.status, login.body).toBe(200);
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/; Secure/);
    const cookie = setCookie.split(';')[0] ?? '';

    const { url, options } = viaCaddy('/api/sync/stream', { headers: { cookie, accept: 'text/event-stream' } });
    const stream: IncomingMessage = await rawRequest(url, options);
    expect(stream.statusCode).toBe(200);
    let received = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      received += chunk;
    });
    try {
      const device = makeDevice(server.orgId, site.id);
      const push = await fetchViaCaddy('/api/sync/devices/push', { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify([{ newDocumentState: { ...device, _deleted: false } }]) });
      expect(push.status, push.body).toBe(200);
      expect(JSON.parse(push.body)).toEqual({ conflicts: [], rejected: [] });
      // Unbuffered (flush_interval -1): the change arrives while the stream stays open.
      await expect.poll(() => received.includes(device.id), { timeout: 10_000 }).toBe(true);

      const refused = await fetchViaCaddy('/api/sync/devices/push', { method: 'POST', headers: { ...json, cookie, origin: 'https://evil.test' }, body: '[]' });
      expect(refused.status).toBe(403);
    } finally {
      stream.destroy();
    }

    const audit = (await (await server.adminFetch(`${server.url}/api/admin/audit?cursor=0&limit=500`)).json()) as { entries: { action: string; clientAddress?: string }[] };
    const recorded = audit.entries.filter((e) => (e.action === 'login' || e.action === 'create') && e.clientAddress !== undefined).map((e) => e.clientAddress);
    // The administrator's own sign-in in startTestServer came straight from 127.0.0.1 (the proxy's address, no X-Forwarded-For).
    expect(recorded).toEqual(['127.0.0.1', CLIENT_ADDRESS, CLIENT_ADDRESS]);
  });
});
