import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollabText } from '../../client/collab/collab-text.ts';
import { SYSTEM_PRINCIPAL } from '../../server/auth/principal.ts';
import type { StoredDocument } from '../../server/store/store.ts';
import { makeSite } from '../support/documents.ts';
import { waitFor, type TestClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { clientAs, draftRunbook, incidentAt, openWhenPresent, serverUpdates } from './support/texts.ts';

/*
 * The text of a runbook or an incident review is written through the same push as everything
 * else, so the same rules hold: only whoever may edit the parent writes its text, and readers
 * get the texts of the documents they may read.
 */

let server: TestServer;
let manager: TestClient;
let technician: TestClient;
let staff: TestClient;
let s1: string;
let s2: string;

const publish = async (collection: 'runbooks' | 'incidents', document: StoredDocument) => {
  const result = await server.store.push(SYSTEM_PRINCIPAL, collection, [{ newDocumentState: document }]);
  if (result.written !== 1) throw new Error(`${collection} ${document.id} was not written`);
};

/** Types into a text and waits for the server's answer: accepted (on the server) or refused (in the rejection log). */
async function typeAndSettle(client: TestClient, text: CollabText, words: string, targetId: string): Promise<'accepted' | 'refused'> {
  text.text.insert(0, words);
  await text.flush();
  let outcome: 'accepted' | 'refused' | undefined;
  await waitFor(async () => {
    if (client.rejections.all.some((r) => r.collection === 'doc_updates')) outcome = 'refused';
    else if ((await serverUpdates(server, targetId)).length > 0) outcome = 'accepted';
    return outcome !== undefined;
  }, 10_000, `the server's answer to ${words}`);
  return outcome ?? 'refused';
}

beforeAll(async () => {
  server = await startTestServer();
  const sites = [makeSite(server.orgId), makeSite(server.orgId)];
  [s1, s2] = sites.map((s) => s.id) as [string, string];
  await server.store.insertMany('sites', sites.map((s) => ({ ...s, _deleted: false })));
  [manager, technician, staff] = await Promise.all([clientAs(server, 'manager'), clientAs(server, 'technician'), clientAs(server, 'staff', [s1])]);
});

afterAll(async () => {
  for (const client of [manager, technician, staff]) await client?.close();
  await server?.dispose();
});

describe('who writes and reads collaborative texts, through the real server', () => {
  it("refuses staff's edits to an incident review, keeps what they typed in the log and returns their replica to the server's state", async () => {
    const incident = incidentAt(server.orgId, s1);
    await publish('incidents', incident);
    const text = await openWhenPresent(staff, { collection: 'incidents', id: incident.id });
    expect(await typeAndSettle(staff, text, 'Staff wrote this.', incident.id)).toBe('refused');
    const [rejection] = staff.rejections.all;
    expect(rejection?.reason).toMatch(/cannot edit this incident/);
    expect(rejection?.rejectedState).toMatchObject({ targetId: incident.id });
    await waitFor(async () => (await staff.db.doc_updates.count({ selector: { targetId: incident.id } }).exec()) === 0, 10_000, 'the refused update to leave the replica');
    expect(await serverUpdates(server, incident.id)).toEqual([]);
    await text.close();
  });

  it('lets a technician write the text of a draft runbook but not of an approved one', async () => {
    const draft = draftRunbook(server.orgId);
    const approved = draftRunbook(server.orgId, 'approved');
    await publish('runbooks', draft);
    await publish('runbooks', approved);
    const draftText = await openWhenPresent(technician, { collection: 'runbooks', id: draft.id });
    expect(await typeAndSettle(technician, draftText, 'Check the paper roll.', draft.id)).toBe('accepted');
    const approvedText = await openWhenPresent(technician, { collection: 'runbooks', id: approved.id });
    expect(await typeAndSettle(technician, approvedText, 'Skip the test print.', approved.id)).toBe('refused');
    expect(technician.rejections.all.map((r) => r.reason)).toEqual([expect.stringMatching(/technicians can edit only draft or in-review runbooks/)]);
    expect(await serverUpdates(server, approved.id)).toEqual([]);
    await draftText.close();
    await approvedText.close();
  });

  it("gives staff the runbook texts and their own site's reviews, and nothing of another site", async () => {
    const runbook = draftRunbook(server.orgId);
    const here = incidentAt(server.orgId, s1);
    const elsewhere = incidentAt(server.orgId, s2);
    await publish('runbooks', runbook);
    await publish('incidents', here);
    await publish('incidents', elsewhere);
    const written: CollabText[] = [];
    for (const [collection, id, words] of [['runbooks', runbook.id, 'Runbook text.'], ['incidents', here.id, 'Review at S1.'], ['incidents', elsewhere.id, 'Review at S2.']] as const) {
      const text = await openWhenPresent(manager, { collection, id });
      text.text.insert(0, words);
      await text.flush();
      written.push(text);
    }
    await waitFor(async () => (await serverUpdates(server, elsewhere.id)).length === 1, 10_000, 'the S2 review on the server');
    const runbookText = await openWhenPresent(staff, { collection: 'runbooks', id: runbook.id });
    const review = await openWhenPresent(staff, { collection: 'incidents', id: here.id });
    await waitFor(() => runbookText.text.toString() === 'Runbook text.' && review.text.toString() === 'Review at S1.', 10_000, "staff to read the texts they may");
    staff.sync.resync();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await staff.db.doc_updates.count({ selector: { targetId: elsewhere.id } }).exec()).toBe(0);
    for (const text of [...written, runbookText, review]) await text.close();
  });
});
