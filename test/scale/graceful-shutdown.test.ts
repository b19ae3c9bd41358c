import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { EnrollResponse, HeartbeatRecord } from '../../shared/agent/protocol.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import type { TelemetryState } from '../../server/agents/telemetry-pipeline.ts';
import { eventually } from '../agents/support/agent-cli.ts';
import { makeDevice, makeSite } from '../support/documents.ts';
import { ServerProcess } from '../support/server-process.ts';
import { SseReader } from '../support/sse-reader.ts';

const json = { 'content-type': 'application/json' };

/** Whether the port takes a new TCP connection. */
const acceptsConnections = (url: string): Promise<boolean> =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** A push whose body is sent in two parts: in flight from the first until `finish` sends the rest. */
function slowPush(url: string, cookie: string, body: string): { connected: Promise<void>; finish(): Promise<{ response: IncomingMessage; text: string }> } {
  const half = Math.floor(body.length / 2);
  const pending = request(`${url}/api/sync/devices/push`, {
    method: 'POST',
    agent: false,
    headers: { ...json, cookie, 'content-length': Buffer.byteLength(body) },
  });
  const connected = new Promise<void>((resolve, reject) => {
    pending.once('socket', (socket) => socket.once('connect', () => resolve()));
    pending.once('error', reject);
  });
  const answered = new Promise<{ response: IncomingMessage; text: string }>((resolve, reject) => {
    pending.once('response', (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.once('end', () => resolve({ response, text }));
    });
    pending.once('error', reject);
  });
  pending.write(body.slice(0, half));
  return {
    connected,
    finish() {
      pending.end(body.slice(half));
      return answered;
    },
  };
}

describe('graceful shutdown of a server process', () => {
  let server: ServerProcess | undefined;

  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  it('on SIGTERM turns not-ready, ends live streams, refuses new ones, finishes the request in flight, saves heartbeat state and exits 0', async () => {
    // Heartbeat state is saved only at shutdown here, and the instance keeps accepting for a
    // moment while it reports not-ready, as for a balancer that learns from health checks.
    server = await ServerProcess.start({ OUTPOST_AGENT_FLUSH_SECONDS: '3600', OUTPOST_SHUTDOWN_DELAY_SECONDS: '3' });
    const { url } = server;
    const admin = await server.signInAdmin();
    const me = (await (await admin.fetch(`${url}/api/auth/me`)).json()) as { user: { memberships: { orgId: string }[] } };
    const orgId = me.user.memberships[0]?.orgId ?? '';
    const site = { ...makeSite(orgId), _deleted: false };
    expect((await admin.fetch(`${url}/api/sync/sites/push`, { method: 'POST', headers: json, body: JSON.stringify([{ newDocumentState: site }]) })).status).toBe(200);

    const issued = await admin.fetch(`${url}/api/admin/enrollment-tokens`, { method: 'POST', headers: json, body: JSON.stringify({ siteId: site.id, expiresInHours: 1 }) });
    const { token } = (await issued.json()) as { token: string };
    const enrolled = await fetch(`${url}/api/agent/enroll`, { method: 'POST', headers: json, body: JSON.stringify({ token, hostname: 'draining-test', agentVersion: '0.1.0' }) });
    const agent = (await enrolled.json()) as EnrollResponse;
    const heartbeat: HeartbeatRecord = { kind: 'heartbeat', id: uuidv7(), observedAt: new Date().toISOString(), cpuPercent: 31, memoryUsedPercent: 52 };
    const ingested = await fetch(`${url}/api/agent/ingest`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${agent.deviceId}.${agent.deviceSecret}` },
      body: JSON.stringify({ agentVersion: '0.1.0', records: [heartbeat] }),
    });
    expect(ingested.status).toBe(200);

    const stream = await SseReader.open(`${url}/api/sync/stream`, admin.fetch);
    const device = { ...makeDevice(orgId, site.id, { hostname: 'pushed-while-draining' }), _deleted: false };
    const inFlight = slowPush(url, admin.cookie, JSON.stringify([{ newDocumentState: device }]));
    await inFlight.connected;

    const exited = server.terminate();

    await eventually('/healthz to report draining', async () => ((await fetch(`${url}/healthz`)).status === 503 ? true : undefined), 20_000, 25);
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ status: 'draining' });
    expect(await stream.whenEnded()).toBe('ended');
    const refused = await admin.fetch(`${url}/api/sync/stream`, { headers: { accept: 'text/event-stream' } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ error: { code: 'server_draining' } });

    // After the delay the listener closes; the request in flight still gets its answer.
    await eventually('the listener to close', async () => ((await acceptsConnections(url)) ? undefined : true), 20_000, 25);
    expect(server.isRunning).toBe(true);
    const { response, text } = await inFlight.finish();
    expect(response.statusCode).toBe(200);
    expect(response.headers.connection).toBe('close');
    expect(JSON.parse(text)).toEqual({ conflicts: [], rejected: [] });

    expect(await exited).toEqual({ code: 0, signal: null });
    const [stored] = await server.sql<{ id: string }>("SELECT id FROM documents WHERE collection = 'devices' AND id = ?", [device.id]);
    expect(stored?.id).toBe(device.id);
    const [agentRow] = await server.sql<{ telemetry_state: string }>('SELECT telemetry_state FROM agent_devices WHERE device_id = ?', [agent.deviceId]);
    expect((JSON.parse(agentRow?.telemetry_state ?? '{}') as TelemetryState).lastHeartbeat?.observedAt).toBe(heartbeat.observedAt);
  });
});
