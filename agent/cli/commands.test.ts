import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRecord } from '../../shared/agent/protocol.ts';
import { ManualClock } from '../clock.ts';
import { credentialsPath, readCredentials, writeCredentials } from '../state/credentials.ts';
import { FakeProbe } from '../testing/fake-probe.ts';
import { FakeServer, ingestLikeOutpost } from '../testing/fake-server.ts';
import { main, type MainIo } from './main.ts';

const TOKEN = 'tok_0123456789abcdefghij';
const IDENTITY = {
  deviceId: '0190f3a0-0000-7000-8000-000000000001',
  deviceSecret: 'abcdefghijklmnopqrstuvwxyz012345',
  orgId: '0190f3a0-0000-7000-8000-000000000002',
  siteId: '0190f3a0-0000-7000-8000-000000000003',
  serverTime: '2026-03-02T10:00:00.000Z',
};

describe('outpost-agent commands', () => {
  let dir: string;
  let server: FakeServer;
  let stored: Map<string, unknown>;
  let out: string[];
  let err: string[];
  const clock = new ManualClock(Date.parse('2026-03-02T10:00:00Z'));
  const probe = new FakeProbe();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'outpost-agent-cli-'));
    stored = new Map();
    const ingest = ingestLikeOutpost(stored);
    server = await FakeServer.start((request, index) =>
      request.path === '/api/agent/enroll' ? { status: 201, body: IDENTITY } : ingest(request, index),
    );
    out = [];
    err = [];
    clock.set(Date.parse('2026-03-02T10:00:00Z'));
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const io = (): MainIo => ({
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    defaultStateDir: () => join(dir, 'default'),
    run: { probe, clock },
  });
  const agent = (...argv: string[]) => main(argv, io());
  const enroll = (...extra: string[]) => agent('enroll', '--server', server.url, '--token', TOKEN, '--state-dir', dir, ...extra);

  describe('enroll', () => {
    it('sends the token with this host name and stores the identity owner-only', async () => {
      expect(await enroll('--kind', 'pos')).toBe(0);
      expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/api/agent/enroll', body: { token: TOKEN, deviceKind: 'pos', agentVersion: '0.1.0' } });
      expect(readCredentials(dir)).toMatchObject({ server: server.url, deviceId: IDENTITY.deviceId, deviceSecret: IDENTITY.deviceSecret, siteId: IDENTITY.siteId });
      if (process.platform !== 'win32') expect(statSync(credentialsPath(dir)).mode & 0o777).toBe(0o600);
      expect(out.join('\n')).toContain(`as device ${IDENTITY.deviceId}`);
      expect(out.join('\n')).not.toContain(IDENTITY.deviceSecret);
    });

    it('refuses to replace an identity without --force', async () => {
      await enroll();
      expect(await enroll()).toBe(1);
      expect(err).toEqual([`outpost-agent: already enrolled to ${server.url} as device ${IDENTITY.deviceId}: pass --force to enroll again`]);
      expect(await enroll('--force')).toBe(0);
    });

    it.each([
      [410, 'token_expired', 'enrollment token expired: ask an admin for a new one'],
      [410, 'token_revoked', 'enrollment token was revoked: ask an admin for a new one'],
      [401, 'token_invalid', 'enrollment token is not valid: check it, or ask an admin for a new one'],
    ])('prints the server message for HTTP %i %s and stores nothing', async (status, code, message) => {
      server.handler = () => ({ status, body: { error: { code, message, field: 'body.token' } } });
      expect(await enroll()).toBe(1);
      expect(err).toEqual([`outpost-agent: ${message}`]);
      expect(existsSync(credentialsPath(dir))).toBe(false);
    });

    it('says the server cannot be reached when nothing listens there', async () => {
      const url = server.url;
      await server.close();
      expect(await agent('enroll', '--server', url, '--token', TOKEN, '--state-dir', dir)).toBe(1);
      expect(err).toEqual([`outpost-agent: cannot reach ${url}: connection refused`]);
    });

    it('says when the address is not an Outpost server', async () => {
      server.handler = () => ({ status: 404, body: '<html>' });
      expect(await enroll()).toBe(1);
      expect(err).toEqual([`outpost-agent: ${server.url} has no /api/agent/enroll: is it an Outpost server? check --server`]);
    });

    it('exits 2 on a usage error', async () => {
      expect(await agent('enroll', '--server', server.url)).toBe(2);
      expect(err).toEqual(['outpost-agent: enroll needs --token TOKEN']);
    });
  });

  describe('the outpost-agent launcher', () => {
    it('runs the CLI through tsx and exits non-zero with one line when not enrolled', async () => {
      const bin = join(import.meta.dirname, '../bin/outpost-agent.js');
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [bin, 'status', '--state-dir', dir], { cwd: tmpdir() }, (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
        );
      });
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: `outpost-agent: not enrolled (no credentials in ${dir}): run outpost-agent enroll --server URL --token TOKEN --state-dir ${dir}\n`,
      });
    });
  });

  describe('status', () => {
    it('exits non-zero with what to do when not enrolled', async () => {
      expect(await agent('status', '--state-dir', dir)).toBe(1);
      expect(err).toEqual([`outpost-agent: not enrolled (no credentials in ${dir}): run outpost-agent enroll --server URL --token TOKEN --state-dir ${dir}`]);
    });

    it('shows where it is enrolled, the last delivery and the outbox', async () => {
      await enroll();
      out = [];
      expect(await agent('status', '--state-dir', dir)).toBe(0);
      expect(out.join('\n')).toMatch(/enrolled to: +http:\/\/127\.0\.0\.1:\d+/);
      expect(out.join('\n')).toMatch(/last delivery: +never/);
      expect(out.join('\n')).toMatch(/outbox: +0 records waiting/);

      await agent('run', '--once', '--state-dir', dir);
      out = [];
      clock.advance(120_000);
      expect(await agent('status', '--state-dir', dir)).toBe(0);
      expect(out.join('\n')).toMatch(/last delivery: +2026-03-02T10:00:00\.000Z \(2 min ago\): ok: delivered 9 records in 1 batch; 0 waiting in the outbox/);
      expect(out.join('\n')).toMatch(/outbox: +0 records waiting/);
      expect(out.join('\n')).toMatch(/device: +0190f3a0-0000-7000-8000-000000000001/);
    });
  });

  describe('run --once', () => {
    it('collects, delivers and reports what happened', async () => {
      await enroll();
      out = [];
      expect(await agent('run', '--once', '--state-dir', dir)).toBe(0);
      const kinds = [...stored.values()].map((r) => (r as AgentRecord).kind);
      expect(kinds.filter((k) => k === 'heartbeat')).toHaveLength(1);
      expect(kinds.filter((k) => k === 'inventory')).toHaveLength(1);
      expect(kinds.filter((k) => k === 'check')).toHaveLength(7);
      expect(out[0]).toMatch(/^recorded heartbeat; inventory \(first\); disk_space ok: /);
      expect(out[1]).toBe('delivered 9 records in 1 batch; 0 waiting in the outbox');
    });

    it('queues durably and exits 0 when the server is down, then delivers on the next run', async () => {
      await enroll();
      const url = server.url;
      await server.close();
      out = [];
      expect(await agent('run', '--once', '--state-dir', dir)).toBe(0);
      expect(out[1]).toBe(`cannot reach ${url}: connection refused; 9 waiting in the outbox`);

      server = await FakeServer.start(ingestLikeOutpost(stored));
      const credentials = readCredentials(dir);
      if (!credentials) throw new Error('enrolled above');
      writeCredentials(dir, { ...credentials, server: server.url });
      clock.advance(60_000);
      out = [];
      expect(await agent('run', '--once', '--state-dir', dir)).toBe(0);
      // The two heartbeats of the same hour travel as one roll-up.
      expect(out).toEqual(['recorded heartbeat', 'delivered 9 records in 1 batch; 0 waiting in the outbox']);
      const records = [...stored.values()] as AgentRecord[];
      expect(records.map((r) => r.kind).sort()).toEqual([...Array<string>(7).fill('check'), 'heartbeat', 'inventory']);
      expect(records.find((r) => r.kind === 'heartbeat')).toMatchObject({ rolledUp: { count: 2, since: '2026-03-02T10:00:00.000Z' } });
      expect(server.requests).toHaveLength(1);
    });

    it('exits 1 when the server refuses the credential, keeping the records', async () => {
      await enroll();
      server.handler = () => ({ status: 401, body: { error: { code: 'agent_unauthenticated', message: 'the device credential is not valid: enroll this agent again' } } });
      out = [];
      expect(await agent('run', '--once', '--state-dir', dir)).toBe(1);
      expect(out[1]).toBe('the device credential is not valid: enroll this agent again; 9 waiting in the outbox');
    });

    it('exits non-zero when not enrolled', async () => {
      expect(await agent('run', '--once', '--state-dir', dir)).toBe(1);
      expect(err[0]).toMatch(/^outpost-agent: not enrolled/);
    });
  });

  describe('run', () => {
    it('stops cleanly when signalled, after finishing its delivery', async () => {
      await enroll();
      const controller = new AbortController();
      server.handler = (request, index) => {
        controller.abort(); // "SIGTERM" arrives while the first delivery is in flight
        return ingestLikeOutpost(stored)(request, index);
      };
      const lines: string[] = [];
      const code = await main(['run', '--interval', '10', '--state-dir', dir], {
        ...io(),
        run: { probe, clock, signal: controller.signal, log: { info: (l) => lines.push(l), warn: (l) => lines.push(l) } },
      });
      expect(code).toBe(0);
      expect(stored.size).toBe(9);
      expect(lines.at(-1)).toBe('stopped; 0 records wait in the outbox for the next start');
      expect(existsSync(join(dir, 'run.lock'))).toBe(false);
    });
  });
});
