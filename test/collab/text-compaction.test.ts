import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { textOf } from '../../shared/collab/collab-text.ts';
import { encodeUpdate } from '../../shared/collab/update-encoding.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import type { StoredDocument } from '../../server/store/store.ts';
import type { CollabText } from '../../client/collab/collab-text.ts';
import { SYSTEM_PRINCIPAL } from '../../server/auth/principal.ts';
import { startTestClient, waitFor, type TestClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { TEXT_COLLECTIONS, deltaOf, draftRunbook, incidentAt, openWhenPresent, serverText, serverUpdates } from './support/texts.ts';

/*
 * Compaction replaces a text's updates with one snapshot while people keep editing, some of
 * them offline holding the very updates it removes. Tokens make "every edit survived" checkable:
 * each editor appends words of its own, and one deletes a word the server has compacted.
 */

const THRESHOLD = 20;

let server: TestServer;
let a: TestClient;
let b: TestClient;
let c: TestClient;

beforeAll(async () => {
  server = await startTestServer({ OUTPOST_TEXT_COMPACTION_UPDATES: String(THRESHOLD) });
  const start = () => startTestClient(server.url, server.adminCookie, { collections: TEXT_COLLECTIONS });
  [a, b, c] = await Promise.all([start(), start(), start()]);
});

afterAll(async () => {
  for (const client of [a, b, c]) await client?.close();
  await server?.dispose();
});

/** Appends `count` words, each written as an update of its own. */
async function type(text: CollabText, prefix: string, count: number): Promise<string[]> {
  const words = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  for (const word of words) {
    text.text.insert(text.text.length, `${word} `);
    await text.flush();
  }
  return words;
}

function reviewUpdate(incident: StoredDocument, siteId: string, word: string): StoredDocument {
  const doc = new Y.Doc();
  textOf(doc).insert(0, `${word} `);
  return {
    id: uuidv7(), orgId: incident.orgId, siteId, targetCollection: 'incidents', targetId: incident.id, field: 'review',
    update: encodeUpdate(Y.encodeStateAsUpdate(doc)), updatedAt: new Date().toISOString(), _deleted: false,
  };
}

const wordsOf = (text: CollabText) => text.text.toString().split(' ').filter(Boolean);
const pullNow = () => {
  for (const client of [a, b, c]) client.sync.resync();
};

describe('compaction while people edit', () => {
  it('keeps every edit of an editor offline across it, who then merges onto the snapshot', async () => {
    const runbook = draftRunbook(server.orgId);
    await server.store.push(SYSTEM_PRINCIPAL, 'runbooks', [{ newDocumentState: runbook }]);
    const target = { collection: 'runbooks' as const, id: runbook.id };
    const [textA, textB, textC] = await Promise.all([a, b, c].map((client) => openWhenPresent(client, target)));
    if (!textA || !textB || !textC) throw new Error('a text did not open');

    const early = await type(textA, 'early', 5);
    await waitFor(() => wordsOf(textC).length === 5, 10_000, 'C to receive the early words');
    c.network.goOffline();

    // Online, A and B write enough for the server to compact, including the updates C holds.
    const online = [...(await type(textA, 'a', 12)), ...(await type(textB, 'b', 12))];
    await waitFor(async () => (await serverUpdates(server, runbook.id, 'compacted')).length >= THRESHOLD, 10_000, 'the server to compact');
    await server.textCompactor.idle();
    const compacted = new Set((await serverUpdates(server, runbook.id, 'compacted')).map((u) => u.id));
    const heldByC = (await c.db.doc_updates.find({ selector: { targetId: runbook.id } }).exec()).map((d) => d.id);
    expect(heldByC.length).toBeGreaterThan(0);
    expect(heldByC.filter((id) => compacted.has(id)), 'C holds updates the server compacted').toEqual(heldByC);

    // Offline, C appends words and deletes one the server has only in its snapshot.
    const offline = await type(textC, 'c', 6);
    const index = textC.text.toString().indexOf(`${early[0]} `);
    textC.text.delete(index, `${early[0]} `.length);
    await textC.flush();

    c.network.goOnline();
    pullNow();
    const expected = [...early.slice(1), ...online, ...offline].sort();
    await waitFor(
      () => [textA, textB, textC].every((t) => JSON.stringify(wordsOf(t).sort()) === JSON.stringify(expected)),
      15_000,
      'every editor to hold every word but the deleted one',
    );
    expect(new Set([textA, textB, textC].map((t) => deltaOf(t.text))).size).toBe(1);
    // C learnt of the compaction: what it still holds is what the server still holds.
    await waitFor(async () => {
      const live = new Set((await serverUpdates(server, runbook.id)).map((u) => u.id));
      const held = (await c.db.doc_updates.find({ selector: { targetId: runbook.id } }).exec()).map((d) => d.id);
      return held.every((id) => live.has(id));
    }, 10_000, "C's replica to drop the compacted updates");

    // Compaction after the offline edits arrived: the next snapshot merges C's updates too, and a
    // device opening the text for the first time gets it from a handful of documents.
    const later = await type(textB, 'late', THRESHOLD);
    await waitFor(async () => (await serverUpdates(server, runbook.id)).length < THRESHOLD, 10_000, 'the second compaction');
    await server.textCompactor.idle();
    const fresh = await startTestClient(server.url, server.adminCookie, { collections: TEXT_COLLECTIONS });
    try {
      const textD = await openWhenPresent(fresh, target);
      await waitFor(() => wordsOf(textD).length === expected.length + later.length, 10_000, 'the new device to show the whole text');
      expect(deltaOf(textD.text)).toBe(deltaOf(await serverText(server, runbook.id)));
      expect(JSON.stringify(wordsOf(textD).sort())).toBe(JSON.stringify([...expected, ...later].sort()));
      // The snapshot comes before the tombstones of what it merged: the text is whole first, then the replica small.
      await waitFor(async () => (await fresh.db.doc_updates.count().exec()) < THRESHOLD, 10_000, 'the new device to hold fewer updates than the threshold');
      await textD.close();
    } finally {
      await fresh.close();
    }
    for (const text of [textA, textB, textC]) await text.close();
  });

  it("leaves a review alone until its incident arrives, then moves it to the incident's site, and again when the incident moves", async () => {
    const [s1, s2] = [uuidv7(), uuidv7()];
    const incident = incidentAt(server.orgId, s1);
    const key = { orgId: server.orgId, targetCollection: 'incidents' as const, targetId: incident.id };
    const words = Array.from({ length: THRESHOLD }, (_, i) => `w${i}`);
    // Written offline at S1 and pushed before the incident itself: past the threshold, yet no site is guessed.
    await server.store.push(SYSTEM_PRINCIPAL, 'doc_updates', words.map((word) => ({ newDocumentState: reviewUpdate(incident, s1, word) })));
    await server.textCompactor.idle();
    expect(await server.textCompactor.compactIfNeeded(key)).toBe(0);

    await server.store.push(SYSTEM_PRINCIPAL, 'incidents', [{ newDocumentState: incident }]);
    await server.textCompactor.idle();
    const [snapshot] = await serverUpdates(server, incident.id);
    expect(snapshot?.siteId).toBe(s1);
    expect((await serverUpdates(server, incident.id)).length).toBe(1);

    const moved = { ...incident, siteId: s2, updatedAt: new Date().toISOString() };
    await server.store.push(SYSTEM_PRINCIPAL, 'incidents', [{ newDocumentState: moved, assumedMasterState: incident }]);
    await server.textCompactor.idle();
    const live = await serverUpdates(server, incident.id);
    expect(live.map((u) => u.siteId)).toEqual([s2]);
    expect((await serverText(server, incident.id)).toString().split(' ').filter(Boolean).sort()).toEqual([...words].sort());
  });

  it('records the compaction in the audit log as the server', async () => {
    const entries = await server.store.audit.list([server.orgId], 0, 100_000);
    const byServer = entries.filter((e) => e.collection === 'doc_updates' && e.actorKind === 'system');
    expect(byServer.some((e) => e.action === 'create')).toBe(true);
    expect(byServer.filter((e) => e.action === 'delete').length).toBeGreaterThanOrEqual(THRESHOLD);
  });
});
