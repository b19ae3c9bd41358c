import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { textOf } from '../../../shared/collab/collab-text.ts';
import { decodeUpdate, encodeUpdate } from '../../../shared/collab/update-encoding.ts';
import { uuidv7 } from '../../../shared/id/uuidv7.ts';
import { SYSTEM_PRINCIPAL } from '../../auth/principal.ts';
import { planCompaction } from '../../collab/compaction-plan.ts';
import type { CollabTextKey, StoredDocument } from '../store.ts';
import type { PostgresStore } from './postgres-store.ts';
import { TestSchemas } from './test-schemas.ts';

const url = process.env.TEST_DATABASE_URL ?? '';
const THRESHOLD = 10;

/** `count` updates of one runbook's text, each appending a word. */
function wordUpdates(key: CollabTextKey, count: number, prefix: string): StoredDocument[] {
  const doc = new Y.Doc();
  const updates: StoredDocument[] = [];
  doc.on('update', (update: Uint8Array) => {
    updates.push({
      id: uuidv7(), orgId: key.orgId, targetCollection: 'runbooks', targetId: key.targetId, field: 'body',
      update: encodeUpdate(update), updatedAt: new Date().toISOString(), _deleted: false,
    });
  });
  for (let i = 0; i < count; i++) textOf(doc).insert(textOf(doc).length, `${prefix}${i} `);
  return updates;
}

async function textOn(store: PostgresStore, key: CollabTextKey): Promise<{ live: number; text: string }> {
  const page = await store.pull({ kind: 'everything' }, 'doc_updates', {}, 2000);
  const live = page.documents.filter((d) => d['targetId'] === key.targetId && !d._deleted);
  const doc = new Y.Doc();
  for (const update of live) Y.applyUpdate(doc, decodeUpdate(String(update['update'])));
  return { live: live.length, text: textOf(doc).toString() };
}

describe.skipIf(!url)('compaction with two server instances on one PostgreSQL', () => {
  const schemas = new TestSchemas(url);
  afterAll(async () => {
    await schemas.end();
  });

  it('compacts each text once, whichever instance gets there first, and loses nothing', async () => {
    const schema = schemas.newSchema();
    const first = await schemas.open({ schema });
    const second = await schemas.open({ schema });
    const key: CollabTextKey = { orgId: uuidv7(), targetCollection: 'runbooks', targetId: uuidv7() };
    const plan = (live: readonly StoredDocument[]) => planCompaction(live, { thresholdUpdates: THRESHOLD, siteId: undefined, now: new Date() });

    const expectedWords: string[] = [];
    for (let round = 0; round < 20; round++) {
      const updates = wordUpdates(key, THRESHOLD, `r${round}w`);
      // Each round is another author: words of different rounds interleave, so they are compared as sets.
      await first.push(SYSTEM_PRINCIPAL, 'doc_updates', updates.map((u) => ({ newDocumentState: u })));
      const written = await Promise.all([first.compactText(SYSTEM_PRINCIPAL, key, plan), second.compactText(SYSTEM_PRINCIPAL, key, plan)]);
      const liveBefore = round === 0 ? THRESHOLD : THRESHOLD + 1;
      // One snapshot and a tombstone per merged update, written by exactly one of the two.
      expect(written.filter((n) => n > 0), `round ${round}: ${written.join(' and ')} written`).toEqual([1 + liveBefore]);
      expectedWords.push(...Array.from({ length: THRESHOLD }, (_, i) => `r${round}w${i}`));
      const after = await textOn(second, key);
      expect(after.live).toBe(1);
      expect(after.text.split(' ').filter(Boolean).sort()).toEqual([...expectedWords].sort());
    }
  });
});
