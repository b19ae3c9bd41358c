import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CollabText } from '../../client/collab/collab-text.ts';
import { textOf } from '../../shared/collab/collab-text.ts';
import { SYSTEM_PRINCIPAL } from '../../server/auth/principal.ts';
import { Random } from '../../server/seed/random.ts';
import { startTestClient, waitFor, type TestClient } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { TEXT_COLLECTIONS, deltaOf, draftRunbook, openWhenPresent, serverText, serverUpdates } from './support/texts.ts';

/*
 * Three technicians edit one runbook's text, cut off from the server and from each other:
 * random inserts, deletes and formatting, some written in several batches, some after a reload.
 * Then they reconnect in a random order, while the server compacts the text (a low threshold
 * makes it happen in most seeds). Every replica and the server must end on the same text and
 * formatting, holding every edit ever made: every insert and delete any editor's Y.Doc emitted
 * (the same state vector and characters as one Y.Doc that took them all in). Formatting is
 * compared between the replicas only: Yjs tidies redundant format marks in each doc that
 * receives remote edits, and those tidy-ups travel like edits, so a doc outside the system
 * would tidy on its own. OUTPOST_COLLAB_SEEDS runs more seeds, OUTPOST_COLLAB_SEED replays one.
 */

const SEED_COUNT = Number(process.env['OUTPOST_COLLAB_SEEDS'] ?? 16);
const FIRST_SEED = Number(process.env['OUTPOST_COLLAB_SEED'] || 1);
const SEEDS = Array.from({ length: process.env['OUTPOST_COLLAB_SEED'] ? 1 : SEED_COUNT }, (_, i) => FIRST_SEED + i);

const ATTRIBUTES: readonly Record<string, unknown>[] = [{ bold: true }, { italic: true }, { bold: null }, { italic: null }, { code: true }];
type Edit = 'insert' | 'insert formatted' | 'delete' | 'format';
const EDITS: readonly (readonly [Edit, number])[] = [['insert', 5], ['insert formatted', 1], ['delete', 3], ['format', 2]];

function word(random: Random, author: string): string {
  const letters = Array.from({ length: random.int(1, 6) }, () => String.fromCharCode(97 + random.int(0, 25))).join('');
  return `${author}${letters} `;
}

function randomEdit(random: Random, text: Y.Text, author: string): void {
  const length = text.length;
  const edit = length === 0 ? 'insert' : random.weighted(EDITS);
  const index = random.int(0, Math.max(0, length - 1));
  const span = random.int(1, Math.max(1, Math.min(12, length - index)));
  if (edit === 'insert') text.insert(random.int(0, length), word(random, author));
  if (edit === 'insert formatted') text.insert(random.int(0, length), word(random, author), random.pick(ATTRIBUTES.slice(0, 2)));
  if (edit === 'delete') text.delete(index, span);
  if (edit === 'format') text.format(index, span, random.pick(ATTRIBUTES));
}

let server: TestServer;
let clients: TestClient[];
let compactedSeeds = 0;

beforeAll(async () => {
  server = await startTestServer({ OUTPOST_TEXT_COMPACTION_UPDATES: '5' });
  clients = await Promise.all([0, 1, 2].map(() => startTestClient(server.url, server.adminCookie, { collections: TEXT_COLLECTIONS })));
});

afterAll(async () => {
  for (const client of clients ?? []) await client.close();
  await server?.dispose();
});

describe('three partitioned editors of one text converge', () => {
  it.each(SEEDS)('seed %i: every replica and the server end on the text holding every edit', async (seed) => {
    const random = new Random(seed, 'collab convergence');
    const runbook = draftRunbook(server.orgId);
    await server.store.push(SYSTEM_PRINCIPAL, 'runbooks', [{ newDocumentState: runbook }]);
    const target = { collection: 'runbooks' as const, id: runbook.id };

    // Every update any editor's Y.Doc ever emits: merged, they are the truth to converge on.
    const everyEdit = new Y.Doc();
    const open = async (client: TestClient): Promise<CollabText> => {
      const text = await openWhenPresent(client, target, { idleMs: 1, maxDelayMs: 4 });
      text.doc.on('update', (update: Uint8Array) => Y.applyUpdate(everyEdit, update));
      Y.applyUpdate(everyEdit, Y.encodeStateAsUpdate(text.doc));
      return text;
    };
    const texts = await Promise.all(clients.map(open));
    const stateOf = (doc: Y.Doc) => `${JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(doc))].sort())} ${textOf(doc).toString()}`;
    const isConverged = () => {
      const [first, ...others] = texts.map((t) => deltaOf(t.text));
      return others.every((delta) => delta === first) && texts.every((t) => stateOf(t.doc) === stateOf(everyEdit));
    };

    texts[0]?.text.insert(0, 'Check the paper roll, then the cable. ');
    await waitFor(isConverged, 15_000, `seed ${seed}: the first text on every replica`);

    for (const client of clients) client.network.goOffline();
    const rounds = random.int(1, 4);
    for (let round = 0; round < rounds; round++) {
      for (const index of random.shuffle([0, 1, 2])) {
        const text = texts[index] as CollabText;
        for (let n = random.int(1, 6); n > 0; n--) randomEdit(random, text.text, 'ABC'[index] ?? '?');
        if (random.chance(0.5)) await text.flush();
      }
    }
    // A reload while offline: the editor comes back from what the replica holds.
    if (random.chance(0.4)) {
      const index = random.int(0, 2);
      await texts[index]?.close();
      texts[index] = await open(clients[index] as TestClient);
    }
    for (const index of random.shuffle([0, 1, 2])) {
      const client = clients[index] as TestClient;
      client.network.goOnline();
      client.sync.resync();
      // Someone keeps typing while the others are still reconnecting.
      if (random.chance(0.3)) randomEdit(random, (texts[index] as CollabText).text, 'ABC'[index] ?? '?');
      await new Promise((resolve) => setTimeout(resolve, random.int(0, 30)));
    }

    // Pull on a timer too, as the app falls back to: the live stream may still be backing off.
    let polls = 0;
    const isConvergedPulling = () => {
      if (++polls % 10 === 0) for (const client of clients) client.sync.resync();
      return isConverged();
    };
    await waitFor(isConvergedPulling, 20_000, `seed ${seed}: every replica on the merged text (replay with OUTPOST_COLLAB_SEED=${seed})`);
    await Promise.all(texts.map((t) => t.flush()));
    await server.textCompactor.idle();
    const onServer = await serverText(server, runbook.id);
    expect(deltaOf(onServer), `seed ${seed}: the server's text`).toBe(deltaOf((texts[0] as CollabText).text));
    expect(stateOf(onServer.doc as Y.Doc), `seed ${seed}: the server's edits`).toBe(stateOf(everyEdit));
    if ((await serverUpdates(server, runbook.id, 'compacted')).length > 0) compactedSeeds++;
    for (const text of texts) await text.close();
  });

  it('compacted the text on the server in most seeds, so convergence across compactions was tested', () => {
    expect(compactedSeeds).toBeGreaterThanOrEqual(Math.ceil(SEEDS.length / 2));
  });
});
