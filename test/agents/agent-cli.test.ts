import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { hashToken } from '../../server/auth/tokens.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { AgentProcesses, eventually, statusField } from './support/agent-cli.ts';
import { addSite, issueEnrollmentToken, pullDevice } from './support/server-fixtures.ts';

/** The real `outpost-agent` bin, as child processes, against the real server. */
describe('outpost-agent against a real server', () => {
  let server: TestServer;
  let siteId: string;
  let stateDir: string;
  const agents = new AgentProcesses();

  beforeAll(async () => {
    server = await startTestServer();
    siteId = await addSite(server);
  });

  afterAll(async () => {
    await server.dispose();
  });

  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'outpost-agent-cli-'));
  });

  afterEach(async () => {
    await agents.killAll();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const enroll = (token: string, ...extra: string[]) => agents.run(['enroll', '--server', server.url, '--token', token, '--state-dir', stateDir, ...extra]);
  const credentials = () => JSON.parse(readFileSync(join(stateDir, 'credentials.json'), 'utf8')) as { deviceId: string; deviceSecret: string; server: string };

  it('enrolls, runs once and reports: the device appears with its inventory in an admin\'s pull', async () => {
    const { token } = await issueEnrollmentToken(server, siteId);
    const enrolled = await enroll(token);
    expect(enrolled.stderr).toBe('');
    expect(enrolled.code).toBe(0);
    const { deviceId, deviceSecret } = credentials();
    expect(enrolled.stdout).toContain(`as device ${deviceId}`);
    expect(enrolled.stdout).not.toContain(deviceSecret);

    const once = await agents.run(['run', '--once', '--state-dir', stateDir]);
    expect(once.stderr).toBe('');
    expect(once.code).toBe(0);
    expect(once.stdout).toMatch(/recorded heartbeat; inventory \(first\)/);
    expect(once.stdout).toMatch(/delivered \d+ records in 1 batch; 0 waiting in the outbox/);

    const device = await pullDevice(server, deviceId);
    expect(device).toMatchObject({ id: deviceId, siteId, orgId: server.orgId, status: 'online' });
    expect(device?.hostname).toMatch(/\S/);
    expect(device?.os?.name).toMatch(/\S/);
    expect(device?.inventory?.disks.length).toBeGreaterThan(0);
    expect(device?.inventory?.disks.every((disk) => disk.totalBytes > 0 && disk.freeBytes <= disk.totalBytes)).toBe(true);
    expect(device?.inventory?.cpuCores).toBeGreaterThan(0);
    expect(device?.inventory?.memoryBytes).toBeGreaterThan(0);
    expect(device?.ips.length).toBeGreaterThan(0);

    const status = await agents.run(['status', '--state-dir', stateDir]);
    expect(status.code).toBe(0);
    expect(statusField(status.stdout, 'enrolled to')).toBe(server.url);
    expect(statusField(status.stdout, 'device')).toBe(deviceId);
    expect(statusField(status.stdout, 'outbox')).toBe('0 records waiting');
    expect(statusField(status.stdout, 'last delivery')).toMatch(/: ok: delivered \d+ records/);
    expect(statusField(status.stdout, 'clock skew')).toMatch(/within a second of the server|ahead of|behind/);
  });

  it('refuses a second enroll without --force, naming where it is enrolled, and keeps the identity', async () => {
    const { token } = await issueEnrollmentToken(server, siteId);
    expect((await enroll(token)).code).toBe(0);
    const first = credentials();

    const again = await enroll(token);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(`outpost-agent: already enrolled to ${server.url} as device ${first.deviceId}: pass --force to enroll again`);
    expect(credentials()).toEqual(first);

    const forced = await enroll(token, '--force');
    expect(forced.code).toBe(0);
    expect(credentials().deviceId).not.toBe(first.deviceId);
  });

  it('prints the server\'s message and stores nothing when the token was revoked', async () => {
    const { id, token } = await issueEnrollmentToken(server, siteId);
    expect((await server.adminFetch(`${server.url}/api/admin/enrollment-tokens/${id}`, { method: 'DELETE' })).status).toBe(204);

    const refused = await enroll(token);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe('outpost-agent: enrollment token was revoked: ask an admin for a new one');
    expect(existsSync(join(stateDir, 'credentials.json'))).toBe(false);
  });

  it('prints the server\'s message and stores nothing when the token expired', async () => {
    const { token } = await issueEnrollmentToken(server, siteId, 1);
    const record = await server.store.enrollmentTokens.findByHash(hashToken(token));
    if (!record) throw new Error('the issued token is not stored');
    // The same token an hour later: the admin API cannot issue one that is already expired.
    const expired = `${token.slice(0, 20)}expired${uuidv7().replaceAll('-', '')}`;
    await server.store.enrollmentTokens.create({ ...record, id: uuidv7(), tokenHash: hashToken(expired), expiresAt: Date.now() - 1 });

    const refused = await enroll(expired);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe('outpost-agent: enrollment token expired: ask an admin for a new one');
    expect(existsSync(join(stateDir, 'credentials.json'))).toBe(false);
  });

  it('says how to enroll when run or status finds no enrollment, and when the server cannot be reached', async () => {
    for (const command of [['run', '--once'], ['status']]) {
      const result = await agents.run([...command, '--state-dir', stateDir]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(`outpost-agent: not enrolled (no credentials in ${stateDir}): run outpost-agent enroll --server URL --token TOKEN --state-dir ${stateDir}`);
    }
    const closedPort = await freePort();
    const { token } = await issueEnrollmentToken(server, siteId);
    const unreachable = await agents.run(['enroll', '--server', `http://127.0.0.1:${closedPort}`, '--token', token, '--state-dir', stateDir]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim()).toBe(`outpost-agent: cannot reach http://127.0.0.1:${closedPort}: connection refused`);
    expect(existsSync(join(stateDir, 'credentials.json'))).toBe(false);
  });

  it('finishes its delivery on SIGTERM and exits cleanly with an empty outbox', async () => {
    const { token } = await issueEnrollmentToken(server, siteId);
    expect((await enroll(token)).code).toBe(0);
    const { deviceId } = credentials();
    const running = agents.start(['run', '--interval', '10', '--state-dir', stateDir]);
    await eventually('the first delivery', async () => ((await pullDevice(server, deviceId))?.inventory ? true : undefined), 20_000);
    const stopped = await agents.kill(running, 'SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(/stopped; 0 records wait in the outbox/);
    expect(existsSync(join(stateDir, 'run.lock'))).toBe(false);
  });
});

/** A loopback port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
