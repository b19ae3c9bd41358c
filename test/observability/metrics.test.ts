import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrollResponse } from '../../shared/agent/protocol.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { makeDevice, makeSite } from '../support/documents.ts';
import { parsePrometheusText, sampleValue, type Sample } from '../support/prometheus-text.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { SseReader } from '../support/sse-reader.ts';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
const json = { 'content-type': 'application/json' };

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Sample[]> {
  const response = await fetch(url, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

describe('GET /metrics', () => {
  let server: TestServer;
  const scrapeWithToken = () => scrape(`${server.url}/metrics`, { authorization: `Bearer ${METRICS_TOKEN}` });

  beforeAll(async () => {
    server = await startTestServer({ OUTPOST_METRICS_TOKEN: METRICS_TOKEN, OUTPOST_METRICS_ADDRESS: '127.0.0.1:0' });
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('counts sign-in failures and throttling, pulls, pushes, conflicts, rejections, live streams and agent ingest', async () => {
    // Sign-ins: six wrong passwords for one address and account, then the throttle answers.
    const login = (password: string) =>
      fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'nobody@outpost.test', password }) });
    for (let attempt = 1; attempt <= 6; attempt++) expect((await login(`wrong-${attempt}`)).status).toBe(401);
    expect((await login('wrong-7')).status).toBe(429);

    // Sync: one new device, one stale write (a conflict), one row in another organization (rejected).
    const site = makeSite(server.orgId);
    await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
    const device = { ...makeDevice(server.orgId, site.id), _deleted: false };
    const push = async (rows: unknown[]) => {
      const response = await server.adminFetch(`${server.url}/api/sync/devices/push`, { method: 'POST', headers: json, body: JSON.stringify(rows) });
      expect(response.status).toBe(200);
      return (await response.json()) as { conflicts: unknown[]; rejected: unknown[] };
    };
    expect(await push([{ newDocumentState: device }])).toEqual({ conflicts: [], rejected: [] });
    const stale = { ...device, hostname: 'stale-write', updatedAt: new Date(Date.now() + 1000).toISOString() };
    const assumed = { ...device, hostname: 'never-stored' };
    const foreignOrg = uuidv7();
    const answer = await push([{ newDocumentState: stale, assumedMasterState: assumed }, { newDocumentState: { ...makeDevice(foreignOrg, uuidv7()), _deleted: false } }]);
    expect(answer.conflicts).toHaveLength(1);
    expect(answer.rejected).toHaveLength(1);
    const pulled = await server.adminFetch(`${server.url}/api/sync/devices/pull?limit=100`);
    expect(((await pulled.json()) as { documents: unknown[] }).documents).toHaveLength(1);

    // Agents: enroll one, send a batch with two heartbeats.
    const tokenResponse = await server.adminFetch(`${server.url}/api/admin/enrollment-tokens`, { method: 'POST', headers: json, body: JSON.stringify({ siteId: site.id, expiresInHours: 1 }) });
    const { token } = (await tokenResponse.json()) as { token: string };
    const enrolled = await fetch(`${server.url}/api/agent/enroll`, { method: 'POST', headers: json, body: JSON.stringify({ token, hostname: 'metrics-ws-01', agentVersion: '0.1.0' }) });
    expect(enrolled.status).toBe(201);
    const agent = (await enrolled.json()) as EnrollResponse;
    const heartbeat = () => ({ kind: 'heartbeat', id: uuidv7(), observedAt: new Date().toISOString(), cpuPercent: 10, memoryUsedPercent: 40 });
    const ingest = await fetch(`${server.url}/api/agent/ingest`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${agent.deviceId}.${agent.deviceSecret}` },
      body: JSON.stringify({ agentVersion: '0.1.0', records: [heartbeat(), heartbeat()] }),
    });
    expect(ingest.status).toBe(200);

    const stream = await SseReader.open(`${server.url}/api/sync/stream`, server.adminFetch);
    let samples: Sample[];
    try {
      samples = await scrapeWithToken();
      expect(sampleValue(samples, 'outpost_sync_live_streams')).toBe(1);
    } finally {
      await stream.close();
    }

    expect(sampleValue(samples, 'outpost_auth_sign_in_failures_total')).toBe(6);
    expect(sampleValue(samples, 'outpost_auth_sign_ins_throttled_total')).toBe(1);
    expect(sampleValue(samples, 'outpost_sync_documents_pushed_total', { collection: 'devices' })).toBe(3);
    expect(sampleValue(samples, 'outpost_sync_push_conflicts_total', { collection: 'devices' })).toBe(1);
    expect(sampleValue(samples, 'outpost_sync_push_rejected_rows_total', { collection: 'devices' })).toBe(1);
    expect(sampleValue(samples, 'outpost_sync_documents_pulled_total', { collection: 'devices' })).toBe(1);
    expect(sampleValue(samples, 'outpost_agent_ingest_batches_total')).toBe(1);
    expect(sampleValue(samples, 'outpost_agent_heartbeats_total')).toBe(2);

    // Requests by route pattern, never by URL (no ids, no query strings).
    const requests = (labels: Record<string, string>) => sampleValue(samples, 'outpost_http_requests_total', labels);
    expect(requests({ method: 'POST', route: '/api/auth/login', status: '401' })).toBe(6);
    expect(requests({ method: 'POST', route: '/api/auth/login', status: '429' })).toBe(1);
    // The test server's own sign-in as the administrator.
    expect(requests({ method: 'POST', route: '/api/auth/login', status: '200' })).toBe(1);
    expect(requests({ method: 'POST', route: '/api/sync/:collection/push', status: '200' })).toBe(2);
    expect(requests({ method: 'GET', route: '/api/sync/:collection/pull', status: '200' })).toBe(1);
    expect(requests({ method: 'POST', route: '/api/agent/ingest', status: '200' })).toBe(1);
    expect(requests({ method: 'POST', route: '/api/agent/enroll', status: '201' })).toBe(1);
    expect(sampleValue(samples, 'outpost_http_request_duration_seconds_count', { method: 'POST', route: '/api/sync/:collection/push' })).toBe(2);
    const routes = new Set(samples.filter((s) => s.name === 'outpost_http_requests_total').map((s) => s.labels['route']));
    for (const route of routes) expect(route).not.toMatch(/[0-9a-f]{8}-|\?/);

    // The process's own metrics come along.
    expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    // A connection pool to watch on PostgreSQL only.
    const poolConnections = sampleValue(samples, 'outpost_db_pool_connections');
    if (server.engine === 'postgres') expect(poolConnections).toBeGreaterThan(0);
    else expect(poolConnections).toBeUndefined();

    // The stream closed: the gauge follows once the server noticed.
    await expect.poll(async () => sampleValue(await scrapeWithToken(), 'outpost_sync_live_streams')).toBe(0);
  });

  it('answers 401 without the token or with a wrong one, naming the scheme', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: `Basic ${METRICS_TOKEN}` }, { authorization: `Bearer ${METRICS_TOKEN}x` }]) {
      const response = await fetch(`${server.url}/metrics`, { headers });
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.text()).not.toContain('outpost_');
    }
  });

  it('serves the same metrics without a token on the separate listener, and nothing else there', async () => {
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await fetch(`${server.url}/api/auth/me`, { headers: { cookie: server.adminCookie } });
    const samples = await scrape(`${server.metricsUrl}/metrics`);
    expect(sampleValue(samples, 'outpost_http_requests_total', { method: 'GET', route: '/api/auth/me', status: '200' })).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${server.metricsUrl}/api/auth/me`)).status).toBe(404);
    expect((await fetch(`${server.metricsUrl}/healthz`)).status).toBe(404);
  });

  it('keeps the counts of each server to itself', async () => {
    const other = await startTestServer({ OUTPOST_METRICS_TOKEN: METRICS_TOKEN });
    try {
      const samples = await scrape(`${other.url}/metrics`, { authorization: `Bearer ${METRICS_TOKEN}` });
      expect(sampleValue(samples, 'outpost_auth_sign_in_failures_total')).toBe(0);
      expect(sampleValue(samples, 'outpost_http_requests_total', { method: 'POST', route: '/api/auth/login', status: '200' })).toBe(1);
    } finally {
      await other.dispose();
    }
  });
});

describe('GET /metrics without a token configured', () => {
  it('answers 404 on the main listener, with or without a separate listener', async () => {
    const plain = await startTestServer();
    const separate = await startTestServer({ OUTPOST_METRICS_ADDRESS: '127.0.0.1:0' });
    try {
      expect(plain.metricsUrl).toBeUndefined();
      for (const server of [plain, separate]) {
        expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
        expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer anything-at-all-0123456789' } })).status).toBe(404);
      }
      const samples = await scrape(`${separate.metricsUrl}/metrics`);
      expect(sampleValue(samples, 'outpost_http_requests_total', { method: 'GET', route: '/metrics', status: '404' })).toBe(2);
    } finally {
      await plain.dispose();
      await separate.dispose();
    }
  });
});
