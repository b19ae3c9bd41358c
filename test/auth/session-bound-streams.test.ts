import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { hashToken } from '../../server/auth/tokens.ts';
import { signIn, startTestServer, type TestServer } from '../support/server.ts';

const json = { 'content-type': 'application/json' };
const technician = { email: 'tess@outpost.test', password: 'spanner-and-multimeter', name: 'Tess Tech' };
/** How often streams re-check their session here: what no event announces is noticed this fast. */
const RECHECK_SECONDS = 1;

interface OpenStream {
  /** Resolves when the server ends the stream: the time it ended. */
  ended: Promise<number>;
  close(): void;
}

/** Opens a live stream as a browser would and watches for its end. */
async function openStream(url: string, cookie: string): Promise<OpenStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: abort.signal });
  if (response.status !== 200 || !response.body) throw new Error(`stream refused: ${response.status} ${await response.text()}`);
  const reader = response.body.getReader();
  const ended = (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      // aborted by the test
    }
    return Date.now();
  })();
  return { ended, close: () => abort.abort() };
}

/** Resolves with how long after `since` the stream ended, or rejects once `withinMs` has passed. */
async function endsWithin(stream: OpenStream, since: number, withinMs: number): Promise<number> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the stream was still open ${withinMs} ms later`)), withinMs));
  return (await Promise.race([stream.ended, timeout])) - since;
}

describe('live streams end with their session', () => {
  let server: TestServer;
  let technicianId: string;
  let cookie: string;
  let runbookId: string;

  beforeEach(async () => {
    server = await startTestServer({ OUTPOST_STREAM_HEARTBEAT_SECONDS: String(RECHECK_SECONDS) });
    const created = await server.adminFetch(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ ...technician, memberships: [{ orgId: server.orgId, role: 'technician' }] }),
    });
    expect(created.status).toBe(201);
    technicianId = (await server.store.users.findByEmail(technician.email))!.id;
    cookie = await signIn(server.url, technician.email, technician.password);
    runbookId = uuidv7();
    await server.store.insertMany('runbooks', [
      { id: runbookId, orgId: server.orgId, updatedAt: new Date().toISOString(), title: 'Printer offline', summary: '', tags: [], appliesTo: { deviceKinds: [], tags: [], siteIds: [] }, steps: [], status: 'approved', version: 1, _deleted: false },
    ]);
  });

  afterEach(async () => {
    await server.dispose();
  });

  const streams: Record<string, () => string> = {
    'the sync stream': () => `${server.url}/api/sync/stream`,
    'the awareness stream': () => `${server.url}/api/collab/runbooks/${runbookId}/awareness`,
  };

  const endings: Record<string, { withinMs: number; end: () => Promise<void> }> = {
    'signing out': {
      withinMs: 1_000,
      end: async () => {
        expect((await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie } })).status).toBe(204);
      },
    },
    "an administrator revoking the user's sessions": {
      withinMs: 1_000,
      end: async () => {
        expect((await server.adminFetch(`${server.url}/api/admin/users/${technicianId}/sessions/revoke`, { method: 'POST' })).status).toBe(200);
      },
    },
    'an administrator disabling the account': {
      withinMs: 1_000,
      end: async () => {
        const disabled = await server.adminFetch(`${server.url}/api/admin/users/${technicianId}`, { method: 'PATCH', headers: json, body: JSON.stringify({ isDisabled: true }) });
        expect(disabled.status).toBe(200);
      },
    },
    'the session expiring': {
      withinMs: 1_000 + 2 * RECHECK_SECONDS * 1_000,
      end: async () => {
        const past = Date.now() - 1;
        await server.store.sessions.touch(hashToken(cookie.split('=')[1] ?? ''), past, past);
      },
    },
    'the account disabled through another server instance (no event here)': {
      withinMs: 1_000 + 2 * RECHECK_SECONDS * 1_000,
      end: async () => {
        await server.store.users.update(technicianId, { isDisabled: true }, Date.now());
      },
    },
  };

  for (const [streamName, urlOf] of Object.entries(streams)) {
    for (const [endingName, ending] of Object.entries(endings)) {
      it(`ends ${streamName} on ${endingName}`, async () => {
        const stream = await openStream(urlOf(), cookie);
        try {
          // Still open a moment later: it is the ending that ends it.
          await expect(endsWithin(stream, Date.now(), 200)).rejects.toThrow(/still open/);
          await ending.end();
          expect(await endsWithin(stream, Date.now(), ending.withinMs)).toBeLessThan(ending.withinMs);
          // And it cannot be opened again with that session.
          expect((await fetch(urlOf(), { headers: { cookie } })).status).toBe(401);
        } finally {
          stream.close();
        }
      });
    }
  }
});
