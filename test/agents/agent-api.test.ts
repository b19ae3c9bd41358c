import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRecord, EnrollResponse } from '../../shared/agent/protocol.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { canonicalJson } from '../../shared/merge/canonical.ts';
import { sweepPresence } from '../../server/agents/presence-sweeper.ts';
import { makeDevice, makeSite } from '../support/documents.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { request } from 'node:http';

/** The server answers 413 before the body is through; node:http still reads that answer. */
function statusOfOversizedPost(url: string, credential: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ agentVersion: '0.1.0', records: [], padding: 'x'.repeat(bytes) });
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${credential}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.end(body);
  });
}

const json = { 'content-type': 'application/json' };

describe('agent enrollment and ingest', () => {
  let server: TestServer;
  let siteId: string;
  let token: string;

  beforeEach(async () => {
    server = await startTestServer();
    const site = makeSite(server.orgId);
    siteId = site.id;
    await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
    token = await issueToken(48);
  });

  afterEach(async () => {
    await server.dispose();
  });

  async function issueToken(expiresInHours: number): Promise<string> {
    const response = await server.adminFetch(`${server.url}/api/admin/enrollment-tokens`, { method: 'POST', headers: json, body: JSON.stringify({ siteId, expiresInHours }) });
    return ((await response.json()) as { token: string }).token;
  }
  const enroll = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/agent/enroll`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });
  async function enrolled(): Promise<EnrollResponse> {
    const response = await enroll({ token, hostname: 'nw-sto014-ws-07', deviceKind: 'workstation', agentVersion: '0.1.0' });
    expect(response.status).toBe(201);
    return (await response.json()) as EnrollResponse;
  }
  const ingest = (credential: string, records: unknown[], extra: Record<string, unknown> = {}) =>
    fetch(`${server.url}/api/agent/ingest`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${credential}` },
      body: JSON.stringify({ agentVersion: '0.1.0', records, ...extra }),
    });
  const devicesSeen = async () => {
    const page = (await (await server.adminFetch(`${server.url}/api/sync/devices/pull?limit=2000`)).json()) as { documents: Record<string, unknown>[]; checkpoint: Record<string, number> };
    return page;
  };
  const now = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();
  const heartbeat = (offsetMs = 0): AgentRecord => ({ kind: 'heartbeat', id: uuidv7(), observedAt: now(offsetMs), cpuPercent: 12, memoryUsedPercent: 48 });

  it('enrolls a device that then appears, with its inventory, in a user\'s pull', async () => {
    const agent = await enrolled();
    expect(agent).toMatchObject({ orgId: server.orgId, siteId });
    const inventory: AgentRecord = {
      kind: 'inventory', id: uuidv7(), observedAt: now(), hostname: 'nw-sto014-ws-07', ips: ['10.14.0.27'], macs: ['3c:52:82:11:22:33'],
      os: { name: 'Ubuntu', version: '24.04' }, model: 'OptiPlex 7010', serial: 'CZC1234XYZ',
      inventory: { cpuModel: 'Intel Core i5-13500', cpuCores: 14, memoryBytes: 16e9, disks: [{ id: '/', totalBytes: 512e9, freeBytes: 300e9 }], observedAt: now() },
    };
    const response = await ingest(`${agent.deviceId}.${agent.deviceSecret}`, [inventory, heartbeat()]);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { accepted: string[] }).accepted).toHaveLength(2);
    const device = (await devicesSeen()).documents.find((d) => d['id'] === agent.deviceId);
    expect(device).toMatchObject({ hostname: 'nw-sto014-ws-07', siteId, status: 'online', model: 'OptiPlex 7010', os: { name: 'Ubuntu' }, inventory: { cpuCores: 14 } });
    expect((await server.store.enrollmentTokens.findByHash((await import('../../server/auth/tokens.ts')).hashToken(token)))?.uses).toBe(1);
  });

  it('turns 1,000 heartbeats without a transition into no replicated change', async () => {
    const agent = await enrolled();
    const before = await devicesSeen();
    for (let batch = 0; batch < 4; batch++) {
      const records = Array.from({ length: 250 }, (_, i) => heartbeat(-((batch * 250 + i) * 100)));
      expect((await ingest(`${agent.deviceId}.${agent.deviceSecret}`, records)).status).toBe(200);
    }
    expect((await devicesSeen()).checkpoint).toEqual(before.checkpoint);
    expect((await server.store.agents.get(agent.deviceId))?.lastSeenAt).toBeGreaterThan(Date.now() - 5000);
  });

  it('opens an alert on a check transition, resolves it on recovery, and applies a replayed batch once', async () => {
    const agent = await enrolled();
    const credential = `${agent.deviceId}.${agent.deviceSecret}`;
    const critical: AgentRecord = { kind: 'check', id: uuidv7(), observedAt: now(), check: 'antivirus', state: 'critical', message: 'Antivirus is off' };
    expect((await ingest(credential, [critical])).status).toBe(200);
    const alerts = async () => ((await (await server.adminFetch(`${server.url}/api/sync/alerts/pull`)).json()) as { documents: Record<string, unknown>[]; checkpoint: object });
    const opened = await alerts();
    expect(opened.documents).toEqual([expect.objectContaining({ deviceId: agent.deviceId, rule: 'check.antivirus', severity: 'critical', status: 'open' })]);
    expect((await devicesSeen()).documents.find((d) => d['id'] === agent.deviceId)).toMatchObject({ health: 'critical', healthReasons: ['Antivirus is off'] });

    expect((await ingest(credential, [critical])).status).toBe(200);
    expect(canonicalJson(await alerts())).toBe(canonicalJson(opened));

    const ok: AgentRecord = { kind: 'check', id: uuidv7(), observedAt: now(1000), check: 'antivirus', state: 'ok', message: 'Antivirus is on' };
    await ingest(credential, [ok]);
    expect((await alerts()).documents).toEqual([expect.objectContaining({ status: 'resolved', resolvedAt: ok.observedAt })]);
  });

  it('refuses expired, revoked and forged credentials with a clear reason', async () => {
    const expired = await issueToken(1);
    const expiredRecord = await server.store.enrollmentTokens.findByHash((await import('../../server/auth/tokens.ts')).hashToken(expired));
    await server.store.enrollmentTokens.revoke(expiredRecord!.id, Date.now());
    const revokedAnswer = await enroll({ token: expired, hostname: 'x', agentVersion: '0.1.0' });
    expect(revokedAnswer.status).toBe(410);
    expect(((await revokedAnswer.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'token_revoked', message: expect.stringMatching(/ask an admin/) });
    const forged = await enroll({ token: 'A'.repeat(43), hostname: 'x', agentVersion: '0.1.0' });
    expect(forged.status).toBe(401);

    const agent = await enrolled();
    expect((await ingest(`${agent.deviceId}.${'B'.repeat(43)}`, [heartbeat()])).status).toBe(401);
    expect((await ingest(`${uuidv7()}.${agent.deviceSecret}`, [heartbeat()])).status).toBe(401);
    expect((await fetch(`${server.url}/api/agent/ingest`, { method: 'POST', headers: json, body: '{}' })).status).toBe(401);
    expect((await server.adminFetch(`${server.url}/api/admin/devices/${agent.deviceId}/agent`, { method: 'DELETE' })).status).toBe(204);
    expect((await ingest(`${agent.deviceId}.${agent.deviceSecret}`, [heartbeat()])).status).toBe(403);
  });

  it('refuses an expired enrollment token', async () => {
    const shortLived = await issueToken(1);
    const { hashToken } = await import('../../server/auth/tokens.ts');
    const record = await server.store.enrollmentTokens.findByHash(hashToken(shortLived));
    // Expire it without waiting an hour: same row, expiry in the past.
    await server.store.enrollmentTokens.create({ ...record!, id: uuidv7(), tokenHash: hashToken('expired-token-value-000000000000000000000'), expiresAt: Date.now() - 1 });
    const response = await enroll({ token: 'expired-token-value-000000000000000000000', hostname: 'x', agentVersion: '0.1.0' });
    expect(response.status).toBe(410);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('token_expired');
  });

  it('rate limits failed enrollments per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await enroll({ token: `${'C'.repeat(40)}${i}00`, hostname: 'x', agentVersion: '0.1.0' })).status);
    // Ten refusals a minute per address, then 429 until the minute is over.
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('answers a batch over 1 MiB with 413 and malformed batches with 400, changing nothing', async () => {
    const agent = await enrolled();
    const credential = `${agent.deviceId}.${agent.deviceSecret}`;
    const before = canonicalJson(await devicesSeen());
    expect(await statusOfOversizedPost(`${server.url}/api/agent/ingest`, credential, 1_100_000)).toBe(413);
    for (const records of [[], [{ kind: 'heartbeat' }], [{ ...heartbeat(), cpuPercent: 400 }], [{ ...heartbeat(), kind: 'command', run: 'rm -rf /' }], 'nope']) {
      expect((await ingest(credential, records as unknown[])).status).toBe(400);
    }
    expect(canonicalJson(await devicesSeen())).toBe(before);
  });

  it('never writes to another device, whatever device ids a body or path carries', async () => {
    const agent = await enrolled();
    const credential = `${agent.deviceId}.${agent.deviceSecret}`;
    const other = { ...makeDevice(server.orgId, siteId, { hostname: 'someone-else' }), _deleted: false };
    await server.store.insertMany('devices', [other]);
    const otherBefore = canonicalJson(await server.store.getMany('devices', [other.id]));
    await fc.assert(
      fc.asyncProperty(fc.uuid(), fc.constantFrom('deviceId', 'id', 'device', 'orgId', 'siteId'), async (forgedId, field) => {
        const inventory = { kind: 'inventory', id: uuidv7(), observedAt: now(), hostname: 'hijacked', ips: [], macs: [], inventory: { disks: [], observedAt: now() }, [field]: forgedId };
        const viaBody = await ingest(credential, [inventory], { [field]: other.id });
        expect(viaBody.status).toBe(400);
        const viaPath = await fetch(`${server.url}/api/agent/ingest/${other.id}`, { method: 'POST', headers: { ...json, authorization: `Bearer ${credential}` }, body: '{}' });
        expect(viaPath.status).toBe(404);
      }),
      { numRuns: 25, seed: 42 },
    );
    const honest = { kind: 'inventory', id: uuidv7(), observedAt: now(), hostname: 'renamed-by-agent', ips: [], macs: [], inventory: { disks: [], observedAt: now() } };
    expect((await ingest(credential, [honest])).status).toBe(200);
    expect(canonicalJson(await server.store.getMany('devices', [other.id]))).toBe(otherBefore);
    expect((await server.store.getMany('devices', [agent.deviceId]))[0]?.['hostname']).toBe('renamed-by-agent');
  });

  it('marks a silent device offline, then stale, and online again on its next heartbeat', async () => {
    const agent = await enrolled();
    const status = async () => (await server.store.getMany('devices', [agent.deviceId]))[0]?.['status'];
    const options = { offlineAfterMs: 300_000, staleAfterMs: 86_400_000 };
    expect(await sweepPresence(server.store, options, Date.now() + 60_000)).toBe(0);
    expect(await sweepPresence(server.store, options, Date.now() + 600_000)).toBe(1);
    expect(await status()).toBe('offline');
    expect(await sweepPresence(server.store, options, Date.now() + 2 * 86_400_000)).toBe(1);
    expect(await status()).toBe('stale');
    await ingest(`${agent.deviceId}.${agent.deviceSecret}`, [heartbeat()]);
    expect(await status()).toBe('online');
  });
});
