import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnrollResponse } from '../../shared/agent/protocol.ts';
import type { Device } from '../../shared/schema/device.ts';
import { deliverPending, type DeliveryOutcome } from '../../agent/delivery/deliver.ts';
import { httpIngestClient } from '../../agent/delivery/ingest-client.ts';
import { systemClock } from '../../agent/clock.ts';
import { Outbox } from '../../agent/outbox/outbox.ts';
import { openAgentDatabase, type AgentDatabase } from '../../agent/state/database.ts';
import { AgentMemory } from '../../agent/state/memory.ts';
import { checkAt, heartbeatAt, inventoryAt } from '../../agent/testing/records.ts';
import { sweepPresence } from '../../server/agents/presence-sweeper.ts';
import { fetchWithCookie, signIn, startTestServer, type TestServer } from '../support/server.ts';
import { addSite, issueEnrollmentToken, pullAlerts, pullDevice } from './support/server-fixtures.ts';

const json = { 'content-type': 'application/json' };

describe('an agent whose device a technician moved to another site', () => {
  let server: TestServer;
  let dir: string;
  let db: AgentDatabase;
  let outbox: Outbox;
  let siteA: string;
  let siteB: string;
  let agent: EnrollResponse;
  /** Every status the ingest endpoint answered the agent with. */
  let statuses: number[];
  let deliver: () => Promise<DeliveryOutcome>;

  beforeEach(async () => {
    server = await startTestServer();
    siteA = await addSite(server);
    siteB = await addSite(server);
    const { token } = await issueEnrollmentToken(server, siteA);
    const enrolled = await fetch(`${server.url}/api/agent/enroll`, { method: 'POST', headers: json, body: JSON.stringify({ token, hostname: 'pos-07', agentVersion: '0.1.0' }) });
    expect(enrolled.status).toBe(201);
    agent = (await enrolled.json()) as EnrollResponse;

    dir = mkdtempSync(join(tmpdir(), 'outpost-agent-moved-'));
    db = openAgentDatabase(join(dir, 'outbox.sqlite'));
    outbox = new Outbox(db);
    const memory = new AgentMemory(db);
    statuses = [];
    const countingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      statuses.push(response.status);
      return response;
    };
    const client = httpIngestClient({ server: server.url, deviceId: agent.deviceId, deviceSecret: agent.deviceSecret, clock: systemClock, fetch: countingFetch });
    deliver = () => deliverPending({ outbox, memory, client, clock: systemClock, agentVersion: '0.1.0' });
  });

  afterEach(async () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    await server.dispose();
  });

  /** What a technician does in the app: edits the device's site, through the sync push. */
  async function moveDevice(toSiteId: string): Promise<void> {
    const created = await server.adminFetch(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'tess@outpost.test', name: 'Tess Tech', password: 'spanner-and-multimeter', memberships: [{ orgId: server.orgId, role: 'technician' }] }),
    });
    expect(created.status).toBe(201);
    const asTechnician = fetchWithCookie(await signIn(server.url, 'tess@outpost.test', 'spanner-and-multimeter'));
    const device = await pullDevice(server, agent.deviceId);
    if (!device) throw new Error('the enrolled device is not in the pull');
    const moved: Device = { ...device, siteId: toSiteId, updatedAt: new Date().toISOString() };
    const push = await asTechnician(`${server.url}/api/sync/devices/push`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify([{ newDocumentState: { ...moved, _deleted: false }, assumedMasterState: { ...device, _deleted: false } }]),
    });
    expect(push.status).toBe(200);
    expect(await push.json()).toMatchObject({ conflicts: [], rejected: [] });
  }

  it('keeps reporting it at its new site: every batch is accepted, alerts open and resolve, and the outbox drains', async () => {
    const t0 = Date.now() - 60_000;
    outbox.enqueue([heartbeatAt(t0), checkAt(t0 + 1, 'critical', 'antivirus')]);
    expect(await deliver()).toMatchObject({ delivered: 2, remaining: 0, failure: undefined });
    const [antivirusAlert] = await pullAlerts(server, agent.deviceId);
    expect(antivirusAlert).toMatchObject({ siteId: siteA, status: 'open', rule: 'check.antivirus' });

    await moveDevice(siteB);

    outbox.enqueue([
      heartbeatAt(t0 + 10_000, { cpuPercent: 91 }),
      inventoryAt(t0 + 10_001, 'pos-07-renamed'),
      checkAt(t0 + 10_002, 'ok', 'antivirus'),
      checkAt(t0 + 10_003, 'critical', 'disk_space'),
    ]);
    const outcome = await deliver();
    expect(outcome).toMatchObject({ delivered: 4, remaining: 0, failure: undefined, dropped: [] });
    expect(statuses.every((status) => status === 200)).toBe(true);

    expect(await pullDevice(server, agent.deviceId)).toMatchObject({ siteId: siteB, hostname: 'pos-07-renamed', health: 'critical' });
    const alerts = await pullAlerts(server, agent.deviceId);
    // The alert opened before the move resolves where it was opened; the new one opens where the device is.
    expect(alerts.find((a) => a.id === antivirusAlert?.id)).toMatchObject({ siteId: siteA, status: 'resolved' });
    expect(alerts.find((a) => a.rule === 'check.disk_space')).toMatchObject({ siteId: siteB, status: 'open' });

    // The presence sweeper writes the moved device too.
    expect(await sweepPresence(server.store, { offlineAfterMs: 300_000, staleAfterMs: 86_400_000 }, Date.now() + 600_000)).toBe(1);
    expect(await pullDevice(server, agent.deviceId)).toMatchObject({ siteId: siteB, status: 'offline' });
  });
});
