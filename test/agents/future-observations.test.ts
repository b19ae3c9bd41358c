import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRecord, EnrollResponse } from '../../shared/agent/protocol.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { addSite, issueEnrollmentToken, pullAlerts, readAppliedState } from './support/server-fixtures.ts';

const json = { 'content-type': 'application/json' };
const IN_2099 = '2099-06-01T12:00:00.000Z';

describe('observations dated far ahead of the server clock', () => {
  let server: TestServer;
  let agent: EnrollResponse;

  beforeEach(async () => {
    server = await startTestServer();
    const { token } = await issueEnrollmentToken(server, await addSite(server));
    const enrolled = await fetch(`${server.url}/api/agent/enroll`, { method: 'POST', headers: json, body: JSON.stringify({ token, hostname: 'pos-07', agentVersion: '0.1.0' }) });
    agent = (await enrolled.json()) as EnrollResponse;
  });

  afterEach(async () => {
    await server.dispose();
  });

  const ingest = (records: AgentRecord[]) =>
    fetch(`${server.url}/api/agent/ingest`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${agent.deviceId}.${agent.deviceSecret}` },
      body: JSON.stringify({ agentVersion: '0.1.0', records }),
    });

  it('do not freeze the telemetry watermark: the heartbeats after one dated 2099 still count', async () => {
    expect((await ingest([{ kind: 'heartbeat', id: uuidv7(), observedAt: IN_2099, cpuPercent: 99 }])).status).toBe(200);
    const next: AgentRecord = { kind: 'heartbeat', id: uuidv7(), observedAt: new Date(Date.now() + 1000).toISOString(), cpuPercent: 10 };
    expect((await ingest([next])).status).toBe(200);
    await expect.poll(async () => (await readAppliedState(server, agent.deviceId)).telemetryState.lastHeartbeat?.observedAt).toBe(next.observedAt);
    const { telemetryState } = await readAppliedState(server, agent.deviceId);
    expect(telemetryState.hour?.start).toBeLessThanOrEqual(Date.now());
    expect(telemetryState.hour?.weight).toBe(2);
  });

  it('date an alert no later than the server received the check', async () => {
    const received = Date.now();
    const critical: AgentRecord = { kind: 'check', id: uuidv7(), observedAt: IN_2099, check: 'firewall', state: 'critical', message: 'Firewall is off' };
    expect((await ingest([critical])).status).toBe(200);
    const [alert] = await pullAlerts(server, agent.deviceId);
    expect(Date.parse(alert?.openedAt ?? IN_2099)).toBeGreaterThanOrEqual(received);
    expect(Date.parse(alert?.openedAt ?? IN_2099)).toBeLessThanOrEqual(Date.now());
  });
});
