import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { textOf } from '../../shared/collab/collab-text.ts';
import { decodeUpdate, encodeUpdate } from '../../shared/collab/update-encoding.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import type { StoredDocument } from '../store/store.ts';
import { EMPTY_UPDATE, planCompaction } from './compaction-plan.ts';

const ORG = uuidv7();
const SITE = uuidv7();
const INCIDENT = uuidv7();
const NOW = new Date('2026-03-02T08:00:00.000Z');

/** One author's session: each edit becomes one stored update of the incident's review. */
function session(doc: Y.Doc, siteId: string | undefined = SITE): { updates: StoredDocument[]; stop(): void } {
  const updates: StoredDocument[] = [];
  const record = (update: Uint8Array) => {
    updates.push({
      id: uuidv7(), orgId: ORG, ...(siteId ? { siteId } : {}), targetCollection: 'incidents', targetId: INCIDENT, field: 'review',
      update: encodeUpdate(update), updatedAt: NOW.toISOString(), _deleted: false,
    });
  };
  doc.on('update', record);
  return { updates, stop: () => doc.off('update', record) };
}

function textFrom(updates: readonly StoredDocument[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, decodeUpdate(String(update['update'])));
  return doc;
}

const policy = (thresholdUpdates: number, siteId: string | undefined = SITE) => ({ thresholdUpdates, siteId, now: NOW });

describe('planCompaction', () => {
  it('leaves a text below the threshold alone', () => {
    const doc = new Y.Doc();
    const { updates } = session(doc);
    textOf(doc).insert(0, 'abc');
    expect(planCompaction(updates, policy(2))).toBeUndefined();
  });

  it('writes one snapshot with the same text and formatting, then a tombstone of every update it merged', () => {
    const doc = new Y.Doc();
    const { updates } = session(doc);
    const text = textOf(doc);
    text.insert(0, 'Switch port 12 failed.');
    text.format(0, 6, { bold: true });
    text.delete(7, 5);
    text.insert(7, 'port 14');

    const written = planCompaction(updates, policy(4)) ?? [];
    const [snapshot, ...tombstones] = written;
    expect(snapshot).toMatchObject({ orgId: ORG, siteId: SITE, targetCollection: 'incidents', targetId: INCIDENT, field: 'review', _deleted: false });
    expect(textOf(textFrom([snapshot as StoredDocument])).toDelta()).toEqual(text.toDelta());
    expect(tombstones.map((t) => t.id)).toEqual(updates.map((u) => u.id));
    expect(tombstones.every((t) => t._deleted && t['update'] === EMPTY_UPDATE)).toBe(true);
  });

  it('drops deleted text from the snapshot (garbage collection), unlike merging the updates', () => {
    const doc = new Y.Doc();
    const { updates } = session(doc);
    for (let i = 0; i < 50; i++) {
      textOf(doc).insert(0, 'a long sentence that is typed and then deleted again. ');
      textOf(doc).delete(0, 54);
    }
    const [snapshot] = planCompaction(updates, policy(10)) ?? [];
    const merged = Y.mergeUpdates(updates.map((u) => decodeUpdate(String(u['update']))));
    expect(decodeUpdate(String(snapshot?.['update'])).length).toBeLessThan(merged.length / 5);
  });

  it('keeps an update whose predecessor it has not seen, so nothing is lost when it arrives', () => {
    const doc = new Y.Doc();
    const { updates } = session(doc);
    textOf(doc).insert(0, 'first ');
    textOf(doc).insert(6, 'second');
    const [snapshot] = planCompaction(updates.slice(1), policy(1)) ?? [];
    const later = textFrom([snapshot as StoredDocument, updates[0] as StoredDocument]);
    expect(textOf(later).toString()).toBe('first second');
  });

  it("moves a review whose incident changed site to the incident's site, even below the threshold", () => {
    const doc = new Y.Doc();
    const { updates } = session(doc, SITE);
    textOf(doc).insert(0, 'Moved to the annex.');
    const annex = uuidv7();
    const [snapshot, tombstone] = planCompaction(updates, policy(200, annex)) ?? [];
    expect(snapshot?.siteId).toBe(annex);
    // The tombstone stays where the update was, so the readers who had it learn it is gone.
    expect(tombstone?.siteId).toBe(SITE);
  });
});
