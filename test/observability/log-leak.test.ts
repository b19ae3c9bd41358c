import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrollResponse } from '../../shared/agent/protocol.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { createLogger } from '../../server/observability/logger.ts';
import { makeDevice, makeSite } from '../support/documents.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, signIn, startTestServer, type TestServer } from '../support/server.ts';

const METRICS_TOKEN = 'log-leak-metrics-token-0123456789';
const WRONG_PASSWORD = 'not-the-password-but-still-secret';
const json = { 'content-type': 'application/json' };

interface LogLine {
  level: string;
  msg: string;
  requestId?: string;
  method?: string;
  route?: string;
  status?: number;
  durationMs?: number;
  userId?: string;
  deviceId?: string;
  clientAddress?: string;
}

describe('request logs', () => {
  const written: string[] = [];
  let server: TestServer;
  const lines = () => written.join('').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as LogLine);
  const lineOf = (requestId: string | null) => lines().find((line) => line.msg === 'request' && line.requestId === requestId);

  beforeAll(async () => {
    // The most talkative level, into memory: whatever the server would ever write is looked at.
    const logger = createLogger({ level: 'trace', destination: { write: (chunk: string) => void written.push(chunk) } });
    server = await startTestServer({ OUTPOST_METRICS_TOKEN: METRICS_TOKEN }, { logger });
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('never contain a password, session cookie, enrollment token, device secret, agent or metrics token, or a document', async () => {
    // Sign-ins: a wrong password and the right one (the test server signed in once already).
    const refused = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email: ADMIN_EMAIL, password: WRONG_PASSWORD }) });
    expect(refused.status).toBe(401);
    const cookie = await signIn(server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    const sessionToken = cookie.split('=')[1] ?? '';
    expect(sessionToken.length).toBeGreaterThan(20);
    const me = await fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);

    // A document pushed with the session cookie: its content must not be logged either.
    const site = makeSite(server.orgId);
    await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
    const documentMarker = `hostname-only-in-the-body-${uuidv7()}`;
    const pushed = await server.adminFetch(`${server.url}/api/sync/devices/push`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify([{ newDocumentState: { ...makeDevice(server.orgId, site.id, { hostname: documentMarker }), _deleted: false } }]),
    });
    expect(pushed.status).toBe(200);

    // An enrollment token, the device secret it is exchanged for, and the agent's bearer credential.
    const issued = await server.adminFetch(`${server.url}/api/admin/enrollment-tokens`, { method: 'POST', headers: json, body: JSON.stringify({ siteId: site.id, expiresInHours: 1 }) });
    const { token: enrollmentToken } = (await issued.json()) as { token: string };
    const enrolled = await fetch(`${server.url}/api/agent/enroll`, { method: 'POST', headers: json, body: JSON.stringify({ token: enrollmentToken, hostname: 'leak-ws-01', agentVersion: '0.1.0' }) });
    expect(enrolled.status).toBe(201);
    const agent = (await enrolled.json()) as EnrollResponse;
    const bearer = `${agent.deviceId}.${agent.deviceSecret}`;
    const ingest = await fetch(`${server.url}/api/agent/ingest`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ agentVersion: '0.1.0', records: [{ kind: 'heartbeat', id: uuidv7(), observedAt: new Date().toISOString(), cpuPercent: 5, memoryUsedPercent: 30 }] }),
    });
    expect(ingest.status).toBe(200);
    // A refused credential, and the metrics token.
    expect((await fetch(`${server.url}/api/agent/ingest`, { method: 'POST', headers: { ...json, authorization: `Bearer ${agent.deviceId}.wrong-secret-0123456789abcdef` }, body: '{}' })).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);

    const log = written.join('');
    expect(log).toContain('"route":"/api/agent/ingest"');
    for (const secret of [ADMIN_PASSWORD, WRONG_PASSWORD, sessionToken, server.adminCookie.split('=')[1] ?? 'x', enrollmentToken, agent.deviceSecret, bearer, 'wrong-secret-0123456789abcdef', METRICS_TOKEN, documentMarker]) {
      expect(log.includes(secret), `a log line contains ${secret.slice(0, 6)}…`).toBe(false);
    }
    // Who asked, by id only.
    expect(lines().find((line) => line.route === '/api/auth/me')?.userId).toBe((await server.store.users.findByEmail(ADMIN_EMAIL))?.id);
    expect(lines().find((line) => line.route === '/api/agent/ingest' && line.status === 200)?.deviceId).toBe(agent.deviceId);
  });

  it('writes one line per request with its id, route pattern, status and duration, and answers the id', async () => {
    const response = await fetch(`${server.url}/api/sync/devices/pull?limit=5`, { headers: { cookie: server.adminCookie, 'x-request-id': 'from-the-proxy.42' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('from-the-proxy.42');
    const line = lineOf('from-the-proxy.42');
    expect(line).toMatchObject({ level: 'info', method: 'GET', route: '/api/sync/:collection/pull', status: 200, clientAddress: '127.0.0.1' });
    expect(line?.durationMs).toEqual(expect.any(Number));
    expect(lines().filter((l) => l.requestId === 'from-the-proxy.42')).toHaveLength(1);
  });

  it('replaces an unsafe or overlong incoming request id with its own, also on refusals', async () => {
    for (const unsafe of ['has space', 'new\tline', 'x'.repeat(65), '<script>', '']) {
      const response = await fetch(`${server.url}/api/sync/devices/pull`, { headers: { 'x-request-id': unsafe } });
      expect(response.status).toBe(401);
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(lineOf(id)).toMatchObject({ status: 401, route: '/api/sync/:collection/pull' });
    }
    expect(written.join('')).not.toContain('<script>');
  });

  it('names no route for a request nothing handles, instead of its URL', async () => {
    const response = await fetch(`${server.url}/api/no-such-thing/${uuidv7()}`);
    expect(response.status).toBe(404);
    expect(lineOf(response.headers.get('x-request-id'))).toMatchObject({ status: 404, route: 'unmatched' });
  });
});
