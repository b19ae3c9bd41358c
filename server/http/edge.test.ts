import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './app-env.ts';
import { clientAddress } from './client-address.ts';
import { useEdge } from './edge.ts';
import { compileProxyTrust } from './proxy-trust.ts';
import { browserOrigin, requestOrigin } from './request-origin.ts';

interface Setup {
  trustedProxies?: string[];
  publicOrigin?: string;
}

/** What the edge tells a handler about one request, as the Node adapter would hand it over. */
async function seen(setup: Setup, peer: string, headers: Record<string, string> = {}, url = 'http://127.0.0.1:8787/') {
  const app = new Hono<AppEnv>();
  app.use('*', useEdge({ publicOrigin: setup.publicOrigin, trustsProxy: compileProxyTrust(setup.trustedProxies ?? []) }));
  app.get('*', (c) => c.json({ address: clientAddress(c), requestOrigin: requestOrigin(c).origin, browserOrigin: browserOrigin(c) }));
  const incoming = { headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), socket: { remoteAddress: peer } };
  const response = await app.request(url, { headers }, { incoming });
  return (await response.json()) as { address: string; requestOrigin: string; browserOrigin: string };
}

describe('client address', () => {
  it('is the TCP peer, whatever X-Forwarded-For says, when no proxy is trusted', async () => {
    expect((await seen({}, '127.0.0.1', { 'X-Forwarded-For': '203.0.113.9' })).address).toBe('127.0.0.1');
  });

  it('is the TCP peer when the peer is not one of the trusted proxies', async () => {
    expect((await seen({ trustedProxies: ['10.0.0.2'] }, '198.51.100.4', { 'X-Forwarded-For': '203.0.113.9' })).address).toBe('198.51.100.4');
  });

  it('is the forwarded address when a trusted proxy sends one, and the proxy itself when it does not', async () => {
    expect((await seen({ trustedProxies: ['10.0.0.2'] }, '10.0.0.2', { 'X-Forwarded-For': '203.0.113.9' })).address).toBe('203.0.113.9');
    expect((await seen({ trustedProxies: ['10.0.0.2'] }, '10.0.0.2')).address).toBe('10.0.0.2');
  });

  it('walks from the right and stops at the first hop that is not a trusted proxy', async () => {
    // The client forged "192.0.2.1"; the outer proxy appended what it saw, the inner one its peer.
    const headers = { 'X-Forwarded-For': '192.0.2.1, 203.0.113.9, 10.0.0.3' };
    expect((await seen({ trustedProxies: ['10.0.0.0/8'] }, '10.0.0.2', headers)).address).toBe('203.0.113.9');
    expect((await seen({ trustedProxies: ['10.0.0.2'] }, '10.0.0.2', headers)).address).toBe('10.0.0.3');
  });

  it('understands range names and IPv4-mapped peers (a server listening on ::)', async () => {
    expect((await seen({ trustedProxies: ['loopback'] }, '::ffff:127.0.0.1', { 'X-Forwarded-For': '203.0.113.9' })).address).toBe('203.0.113.9');
    expect((await seen({ trustedProxies: ['uniquelocal'] }, '192.168.1.1', { 'X-Forwarded-For': '2001:db8::7' })).address).toBe('2001:db8::7');
  });

  it('keeps the proxy address when the proxy forwards something that is not an address', async () => {
    expect((await seen({ trustedProxies: ['10.0.0.2'] }, '10.0.0.2', { 'X-Forwarded-For': 'unknown' })).address).toBe('10.0.0.2');
  });
});

describe('request origin', () => {
  const fromProxy = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'ops.example.com' };

  it('is the connection and Host as they are without a trusted proxy, forwarded headers or not', async () => {
    expect(await seen({}, '127.0.0.1', fromProxy)).toMatchObject({ requestOrigin: 'http://127.0.0.1:8787', browserOrigin: 'http://127.0.0.1:8787' });
  });

  it('takes the scheme and host a trusted proxy forwards', async () => {
    expect(await seen({ trustedProxies: ['loopback'] }, '127.0.0.1', fromProxy)).toMatchObject({ requestOrigin: 'https://ops.example.com' });
    expect((await seen({ trustedProxies: ['loopback'] }, '127.0.0.1', { 'X-Forwarded-Proto': 'https' })).requestOrigin).toBe('https://127.0.0.1:8787');
  });

  it('takes the last forwarded value (the one the proxy wrote) and ignores values that are not a scheme or a host', async () => {
    const appended = { 'X-Forwarded-Proto': 'http, https', 'X-Forwarded-Host': 'evil.test, ops.example.com' };
    expect((await seen({ trustedProxies: ['loopback'] }, '127.0.0.1', appended)).requestOrigin).toBe('https://ops.example.com');
    const garbage = { 'X-Forwarded-Proto': 'gopher', 'X-Forwarded-Host': 'evil.test/path' };
    expect((await seen({ trustedProxies: ['loopback'] }, '127.0.0.1', garbage)).requestOrigin).toBe('http://127.0.0.1:8787');
  });

  it('is the public origin for the browser when the request is for the public host, even over plain HTTP from the proxy', async () => {
    const setup = { publicOrigin: 'https://ops.example.com' };
    expect((await seen(setup, '127.0.0.1', {}, 'http://ops.example.com/')).browserOrigin).toBe('https://ops.example.com');
    expect((await seen(setup, '127.0.0.1', {}, 'http://outpost.lan:8787/')).browserOrigin).toBe('http://outpost.lan:8787');
  });
});
