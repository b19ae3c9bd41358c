import { createParser } from 'eventsource-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { makeSite } from '../support/documents.ts';
import { fetchWithCookie, signIn, startTestServer, type TestServer } from '../support/server.ts';

const json = { 'content-type': 'application/json' };
const PASSWORD = 'long-enough-passphrase';

/** Reads an awareness stream into a Yjs Awareness, as an editor would. */
async function openAwareness(url: string, fetchAs: typeof fetch) {
  const received = new Awareness(new Y.Doc());
  const abort = new AbortController();
  const response = await fetchAs(url, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
  const parser = createParser({ onEvent: (event) => applyAwarenessUpdate(received, new Uint8Array(Buffer.from(event.data, 'base64')), 'server') });
  if (response.status === 200 && response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
      } catch {
        // aborted at close
      }
    })();
  }
  return { status: response.status, received, close: () => abort.abort() };
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('awareness of collaborative texts', () => {
  let server: TestServer;
  let siteA: string;
  let siteB: string;
  let runbookId: string;
  let incidentAtB: string;

  beforeEach(async () => {
    server = await startTestServer();
    const now = new Date().toISOString();
    const [a, b] = [makeSite(server.orgId, { name: 'Store A' }), makeSite(server.orgId, { name: 'Store B' })];
    siteA = a.id;
    siteB = b.id;
    await server.store.insertMany('sites', [a, b].map((s) => ({ ...s, _deleted: false })));
    runbookId = uuidv7();
    await server.store.insertMany('runbooks', [
      { id: runbookId, orgId: server.orgId, updatedAt: now, title: 'Printer offline', summary: '', tags: [], appliesTo: { deviceKinds: [], tags: [], siteIds: [] }, steps: [], status: 'approved', version: 1, _deleted: false },
    ]);
    incidentAtB = uuidv7();
    await server.store.insertMany('incidents', [
      { id: incidentAtB, orgId: server.orgId, siteId: siteB, updatedAt: now, title: 'Till down', summary: '', severity: 'sev3', status: 'triage', deviceIds: [], alertIds: [], runIds: [], openedBy: uuidv7(), openedAt: now, _deleted: false },
    ]);
    const created = await server.adminFetch(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'ana@outpost.test', name: 'Ana Staff', password: PASSWORD, memberships: [{ orgId: server.orgId, role: 'staff', siteIds: [siteA] }] }),
    });
    expect(created.status).toBe(201);
  });

  afterEach(async () => {
    await server.dispose();
  });

  it("relays a cursor to the other editors under the sender's real name, whatever it claims", async () => {
    const staffFetch = fetchWithCookie(await signIn(server.url, 'ana@outpost.test', PASSWORD));
    const room = `${server.url}/api/collab/runbooks/${runbookId}/awareness`;
    const watcher = await openAwareness(room, server.adminFetch);
    expect(watcher.status).toBe(200);

    const local = new Awareness(new Y.Doc());
    local.setLocalState({ user: { name: 'The Administrator' }, cursor: { anchor: 4, head: 9 } });
    const posted = await staffFetch(room, { method: 'POST', headers: json, body: JSON.stringify({ update: Buffer.from(encodeAwarenessUpdate(local, [local.clientID])).toString('base64') }) });
    expect(posted.status).toBe(204);

    await until(() => watcher.received.getStates().has(local.clientID), 'the relayed state');
    const state = watcher.received.getStates().get(local.clientID) as { user: { name: string }; cursor: unknown };
    expect(state.user.name).toBe('Ana Staff');
    expect(state.cursor).toEqual({ anchor: 4, head: 9 });

    // A newcomer sees who is already there.
    const late = await openAwareness(room, server.adminFetch);
    await until(() => late.received.getStates().has(local.clientID), 'the state for a newcomer');
    watcher.close();
    late.close();
  });

  it('is scoped like the document: out of reach answers 404, bad input 400, no session 401', async () => {
    const staffFetch = fetchWithCookie(await signIn(server.url, 'ana@outpost.test', PASSWORD));
    const incidentRoom = `${server.url}/api/collab/incidents/${incidentAtB}/awareness`;
    const outOfSite = await openAwareness(incidentRoom, staffFetch);
    expect(outOfSite.status).toBe(404);
    const admin = await openAwareness(incidentRoom, server.adminFetch);
    expect(admin.status).toBe(200);
    admin.close();

    expect((await fetch(`${server.url}/api/collab/runbooks/${runbookId}/awareness`)).status).toBe(401);
    expect((await staffFetch(`${server.url}/api/collab/devices/${runbookId}/awareness`)).status).toBe(400);
    expect((await staffFetch(`${server.url}/api/collab/runbooks/${uuidv7()}/awareness`)).status).toBe(404);
    const garbage = await staffFetch(`${server.url}/api/collab/runbooks/${runbookId}/awareness`, { method: 'POST', headers: json, body: JSON.stringify({ update: 'AAAA' }) });
    expect(garbage.status).toBe(400);
    const wrongShape = await staffFetch(`${server.url}/api/collab/runbooks/${runbookId}/awareness`, { method: 'POST', headers: json, body: JSON.stringify({ update: 'AAAA', extra: 1 }) });
    expect(wrongShape.status).toBe(400);
  });
});
