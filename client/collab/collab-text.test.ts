import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import type { Incident, Runbook } from '../../shared/schema/index.ts';
import { createOutpostDatabase, type OutpostDatabase } from '../db/database.ts';
import { openCollabText, type CollabText } from './collab-text.ts';

const ORG = uuidv7();
const SITE = uuidv7();
const T0 = '2026-03-02T08:00:00.000Z';

const runbook = (): Runbook => ({
  id: uuidv7(), orgId: ORG, updatedAt: T0, title: 'Printer offline', summary: '', tags: [],
  appliesTo: { deviceKinds: [], tags: [], siteIds: [] }, steps: [], status: 'draft', version: 1,
});
const incident = (): Incident => ({
  id: uuidv7(), orgId: ORG, siteId: SITE, updatedAt: T0, title: 'Tills offline', summary: '', severity: 'sev3', status: 'triage',
  deviceIds: [], alertIds: [], runIds: [], openedBy: uuidv7(), openedAt: T0,
});

const opened: { close(): Promise<unknown> }[] = [];
async function database(name = `collab-${uuidv7()}`): Promise<OutpostDatabase> {
  const db = await createOutpostDatabase({ name, storage: getRxStorageMemory(), collections: ['runbooks', 'incidents', 'doc_updates'] });
  opened.push(db);
  return db;
}
function open(...args: Parameters<typeof openCollabText>): CollabText {
  const text = openCollabText(...args);
  opened.push(text);
  return text;
}

afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

const until = async (predicate: () => boolean | Promise<boolean>, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (await predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('openCollabText', () => {
  it('writes a burst of typing as one update document, attributed to the runbook', async () => {
    const db = await database();
    const target = await db.runbooks.insert(runbook());
    const text = open(db, { collection: 'runbooks', id: target.id }, { idleMs: 60, maxDelayMs: 5000 });
    await text.loaded;
    for (const character of 'Check the paper roll.') {
      text.text.insert(text.text.length, character);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await until(async () => (await db.doc_updates.count().exec()) > 0, 'the update to be written');
    const [update, ...others] = await db.doc_updates.find().exec();
    expect(others).toEqual([]);
    expect(update?.toJSON()).toMatchObject({ orgId: ORG, targetCollection: 'runbooks', targetId: target.id, field: 'body' });
    expect(update?.toJSON()).not.toHaveProperty('siteId');
  });

  it("writes an incident's review at the incident's site", async () => {
    const db = await database();
    const target = await db.incidents.insert(incident());
    const text = open(db, { collection: 'incidents', id: target.id });
    text.text.insert(0, 'Root cause: a failed switch port.');
    await text.flush();
    const [update] = await db.doc_updates.find().exec();
    expect(update?.toJSON()).toMatchObject({ siteId: SITE, targetCollection: 'incidents', field: 'review' });
  });

  it('shows every edit after the replica is closed and opened again (an offline reload)', async () => {
    const name = `collab-${uuidv7()}`;
    const first = await database(name);
    const target = await first.runbooks.insert(runbook());
    const before = open(first, { collection: 'runbooks', id: target.id });
    before.text.insert(0, 'Power off. ');
    await before.flush();
    before.text.insert(11, 'Swap the printer.');
    before.text.format(0, 5, { bold: true });
    const delta = before.text.toDelta();
    await before.close();
    await first.close();

    const reloaded = open(await database(name), { collection: 'runbooks', id: target.id });
    await reloaded.loaded;
    expect(reloaded.text.toDelta()).toEqual(delta);
  });

  it('follows edits written by another tab on the same replica', async () => {
    const db = await database();
    const target = await db.runbooks.insert(runbook());
    const tabA = open(db, { collection: 'runbooks', id: target.id }, { idleMs: 5 });
    const tabB = open(db, { collection: 'runbooks', id: target.id }, { idleMs: 5 });
    tabA.text.insert(0, 'from A. ');
    tabB.text.insert(0, 'from B. ');
    await until(() => tabA.text.toString() === tabB.text.toString() && tabA.text.length === 16, 'both tabs to show both edits');
    expect(await db.doc_updates.count().exec()).toBe(2);
  });

  it('keeps edits it could not write and writes them with the next flush', async () => {
    const db = await database();
    const target = runbook();
    const errors: unknown[] = [];
    const text = open(db, { collection: 'runbooks', id: target.id }, { onError: (error) => errors.push(error) });
    text.text.insert(0, 'Typed before the runbook reached this device.');
    await text.flush();
    expect(errors).toHaveLength(1);
    expect(await db.doc_updates.count().exec()).toBe(0);

    await db.runbooks.insert(target);
    await text.flush();
    const reloaded = open(db, { collection: 'runbooks', id: target.id });
    await reloaded.loaded;
    expect(reloaded.text.toString()).toBe('Typed before the runbook reached this device.');
  });
});
