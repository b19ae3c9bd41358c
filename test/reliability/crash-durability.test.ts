import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/client.ts';
import { makeSite } from '../support/documents.ts';
import { ServerProcess } from '../support/server-process.ts';
import { expectedAlertWrites, pullAlerts } from '../agents/support/server-fixtures.ts';
import { BulkPusher } from './support/bulk-pusher.ts';
import { integrityProblems } from './support/integrity.ts';
import { SimulatedAgent } from './support/simulated-agent.ts';

const json = { 'content-type': 'application/json' };
const KILLS = 3;

/** A signed-in administrator of a server process, with its organization and one site. */
async function administer(server: ServerProcess): Promise<{ fetch: typeof fetch; orgId: string; siteId: string }> {
  const admin = await server.signInAdmin();
  const me = (await (await admin.fetch(`${server.url}/api/auth/me`)).json()) as { user: { memberships: { orgId: string }[] } };
  const orgId = me.user.memberships[0]?.orgId ?? '';
  const site = makeSite(orgId);
  const pushed = await admin.fetch(`${server.url}/api/sync/sites/push`, { method: 'POST', headers: json, body: JSON.stringify([{ newDocumentState: { ...site, _deleted: false } }]) });
  expect(pushed.status).toBe(200);
  return { fetch: admin.fetch, orgId, siteId: site.id };
}

describe('crash durability: SIGKILL of the server process mid-write', () => {
  let server: ServerProcess | undefined;

  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  it('keeps exactly the acknowledged bulk pushes, each batch whole or absent, and a sound database', async () => {
    server = await ServerProcess.start();
    const { orgId, siteId } = await administer(server);
    const batches: BulkPusher['batches'] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const admin = await server.signInAdmin();
      const pusher = new BulkPusher({ url: server.url, fetch: admin.fetch, orgId, siteId }, 100);
      const pushing = pusher.run(4);
      // Killed once several batches are in, with others on the wire.
      await waitFor(() => pusher.acknowledged().length >= 3 + kill, 120_000, 'bulk pushes to be acknowledged');
      await server.kill();
      await pushing;
      batches.push(...pusher.batches);
      await server.launch();
      expect(await integrityProblems(server)).toEqual([]);
    }

    const rows = await server.sql<{ id: string; body: string }>("SELECT id, body FROM documents WHERE collection = 'devices'");
    const stored = new Map(rows.map((row) => [row.id, (JSON.parse(row.body) as { notes?: string }).notes]));
    const sent = new Set(batches.flatMap((batch) => batch.documents.map((d) => d.id)));
    for (const batch of batches) {
      const present = batch.documents.filter((d) => stored.get(d.id) === d.notes).length;
      if (batch.outcome === 'acknowledged') expect(present, 'an acknowledged batch, whole').toBe(batch.documents.length);
      else expect([0, batch.documents.length], 'an unanswered batch: all or nothing').toContain(present);
    }
    expect([...stored.keys()].filter((id) => !sent.has(id)), 'documents nobody sent').toEqual([]);
    // Each write and its audit entry commit together.
    const [audited] = await server.sql<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE collection = 'devices' AND action = 'create'");
    expect(Number(audited?.n)).toBe(stored.size);
    const acknowledged = batches.filter((b) => b.outcome === 'acknowledged').length;
    const unanswered = batches.length - acknowledged;
    console.log(`bulk pushes: ${server.kills} SIGKILLs, ${batches.length} batches of 100 (${acknowledged} acknowledged, ${unanswered} unanswered), ${stored.size} devices stored (${server.engine})`);
    expect(unanswered).toBeGreaterThan(0);
  });

  it('keeps every acknowledged agent record, applies each check transition once after re-sends, and a sound database', async () => {
    server = await ServerProcess.start();
    const { fetch: adminFetch, siteId } = await administer(server);
    const issued = await adminFetch(`${server.url}/api/admin/enrollment-tokens`, { method: 'POST', headers: json, body: JSON.stringify({ siteId, expiresInHours: 1 }) });
    const { token } = (await issued.json()) as { token: string };
    const agents: SimulatedAgent[] = [];
    for (let i = 0; i < 8; i++) agents.push(await SimulatedAgent.enroll(server.url, token, `crash-agent-${i}`));

    for (let kill = 0; kill < KILLS; kill++) {
      const url = server.url;
      const delivering = agents.map(async (agent) => {
        for (;;) {
          agent.produce();
          if (!(await agent.deliver(url))) return;
        }
      });
      const acknowledgedBefore = agents.reduce((n, a) => n + a.acknowledged.size, 0);
      await waitFor(() => agents.reduce((n, a) => n + a.acknowledged.size, 0) >= acknowledgedBefore + 40, 120_000, 'agent records to be acknowledged');
      await server.kill();
      await Promise.all(delivering);
      await server.launch();
      expect(await integrityProblems(server)).toEqual([]);

      // Exactly what was acknowledged: nothing acknowledged is missing, nothing unsent is there.
      const applied = new Set((await server.sql<{ record_id: string }>('SELECT record_id FROM agent_records')).map((row) => row.record_id));
      const produced = new Set(agents.flatMap((agent) => [...agent.produced.keys()]));
      expect(agents.flatMap((agent) => agent.acknowledgedChecks()).filter((id) => !applied.has(id)), 'acknowledged records missing').toEqual([]);
      expect([...applied].filter((id) => !produced.has(id)), 'records nobody sent').toEqual([]);
    }

    // The agents re-send what was never acknowledged, as their outboxes do.
    for (const agent of agents) {
      while (agent.outboxDepth > 0) expect(await agent.deliver(server.url)).toBe(true);
    }
    const admin = { url: server.url, adminFetch: (await server.signInAdmin()).fetch };
    for (const agent of agents) {
      const expected = expectedAlertWrites(agent.checks());
      const alerts = await pullAlerts(admin, agent.deviceId);
      expect(alerts, `alerts of ${agent.deviceId}`).toHaveLength(expected.opened);
      expect(alerts.filter((alert) => alert.status !== 'resolved')).toHaveLength(expected.isOpen ? 1 : 0);
    }
    const records = agents.reduce((n, a) => n + a.produced.size, 0);
    console.log(`agent ingest: ${server.kills} SIGKILLs, ${agents.length} agents, ${records} records delivered, each check transition applied once (${server.engine})`);
  });
});
