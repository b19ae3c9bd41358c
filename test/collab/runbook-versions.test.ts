import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveRunbook, frozenVersion } from '../../client/runbooks/approve-runbook.ts';
import { SYSTEM_PRINCIPAL } from '../../server/auth/principal.ts';
import { runbookVersionId } from '../../shared/runbook/version-id.ts';
import type { TestClient } from '../support/client.ts';
import { waitFor } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { clientAs, draftRunbook, openWhenPresent } from './support/texts.ts';

/*
 * Approving freezes a runbook's text and steps as a version; a run names the version it
 * followed by number, and that number names exactly one frozen document, whatever happens next.
 */

let server: TestServer;
let first: TestClient;
let second: TestClient;
let staff: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  // RxDB's free edition opens at most 13 collections in a process: each client opens only these.
  const collections = ['runbooks', 'doc_updates', 'runbook_versions'] as const;
  [first, second, staff] = await Promise.all([
    clientAs(server, 'manager', undefined, collections),
    clientAs(server, 'manager', undefined, collections),
    clientAs(server, 'staff', undefined, collections),
  ]);
});

afterAll(async () => {
  for (const client of [first, second, staff]) await client?.close();
  await server?.dispose();
});

describe('runbook versions through the real server', () => {
  it('keeps one version per number when two managers approve the same runbook offline, and it stays frozen', async () => {
    const runbook = { ...draftRunbook(server.orgId), status: 'in_review' };
    await server.store.push(SYSTEM_PRINCIPAL, 'runbooks', [{ newDocumentState: runbook }]);
    const target = { collection: 'runbooks' as const, id: runbook.id };
    const texts = await Promise.all([first, second].map((client) => openWhenPresent(client, target)));
    texts[0]?.text.insert(0, 'Power off the terminal first.');
    await waitFor(() => texts.every((t) => t.text.toString() === 'Power off the terminal first.'), 10_000, 'the text on both managers');

    const [firstManager, secondManager] = [await userIdOf(first), await userIdOf(second)];
    first.network.goOffline();
    second.network.goOffline();
    texts[1]?.text.insert(0, 'Unplug it. ');
    const approvedFirst = await approveRunbook(first.db, runbook.id, firstManager, { ...(texts[0] ? { text: texts[0] } : {}) });
    const approvedSecond = await approveRunbook(second.db, runbook.id, secondManager, { ...(texts[1] ? { text: texts[1] } : {}) });
    expect([approvedFirst.version, approvedSecond.version]).toEqual([1, 1]);
    expect(approvedFirst.id).toBe(approvedSecond.id);

    first.network.goOnline();
    first.sync.resync();
    const id = await runbookVersionId(runbook.id, 1);
    await waitFor(async () => (await server.store.getMany('runbook_versions', [id])).length === 1, 10_000, 'the first approval on the server');
    second.network.goOnline();
    second.sync.resync();
    await waitFor(() => second.rejections.all.some((r) => r.collection === 'runbook_versions'), 10_000, "the second approval's refusal");
    expect(second.rejections.all.find((r) => r.collection === 'runbook_versions')?.reason).toMatch(/frozen/);
    await waitFor(async () => (await frozenVersion(second.db, runbook.id, 1))?.approvedBy === approvedFirst.approvedBy, 10_000, 'the second manager to see the first approval');

    // Later edits change the text, never the version a run follows.
    texts[1]?.text.insert(0, 'Edited after approval. ');
    for (const text of texts) await text.close();
    await waitFor(async () => (await frozenVersion(staff.db, runbook.id, 1)) !== undefined, 10_000, 'the version on a staff device');
    expect((await frozenVersion(staff.db, runbook.id, 1))?.body).toBe('Power off the terminal first.');
    const [stored] = await server.store.getMany('runbook_versions', [id]);
    expect(stored).toMatchObject({ body: 'Power off the terminal first.', approvedBy: approvedFirst.approvedBy });
  });
});

async function userIdOf(client: TestClient): Promise<string> {
  const response = await client.network.fetch(`${server.url}/api/auth/me`);
  const { user } = (await response.json()) as { user: { id: string } };
  return user.id;
}
