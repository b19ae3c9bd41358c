import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { diffVersions } from '../../shared/runbook/version-diff.ts';
import type { Runbook } from '../../shared/schema/index.ts';
import { openCollabText } from '../collab/collab-text.ts';
import { createOutpostDatabase, type OutpostDatabase } from '../db/database.ts';
import { approveRunbook, frozenVersion } from './approve-runbook.ts';

const MANAGER = uuidv7();
const NOW = new Date('2026-03-02T08:00:00.000Z');

let db: OutpostDatabase | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

async function replicaWithRunbook(): Promise<{ db: OutpostDatabase; runbook: Runbook }> {
  db = await createOutpostDatabase({ name: `approve-${uuidv7()}`, storage: getRxStorageMemory(), collections: ['runbooks', 'runbook_versions', 'doc_updates'] });
  const runbook: Runbook = {
    id: uuidv7(), orgId: uuidv7(), updatedAt: NOW.toISOString(), title: 'Printer offline', summary: '', tags: [],
    appliesTo: { deviceKinds: [], tags: [], siteIds: [] }, steps: [{ id: uuidv7(), instruction: 'Check the power.' }], status: 'in_review', version: 1,
  };
  await db.runbooks.insert(runbook);
  return { db, runbook };
}

describe('approveRunbook', () => {
  it('freezes the text as typed in the open editor and the steps, and marks the runbook approved', async () => {
    const { db, runbook } = await replicaWithRunbook();
    const text = openCollabText(db, { collection: 'runbooks', id: runbook.id }, { idleMs: 60_000 });
    text.text.insert(0, 'Keep a spare roll in the drawer.');
    const version = await approveRunbook(db, runbook.id, MANAGER, { text, now: NOW });
    expect(version).toMatchObject({ runbookId: runbook.id, version: 1, body: 'Keep a spare roll in the drawer.', approvedBy: MANAGER, steps: runbook.steps });
    expect((await db.runbooks.findOne(runbook.id).exec())?.toJSON()).toMatchObject({ status: 'approved', version: 1, approvedBy: MANAGER });
    // The keystrokes frozen were also written as an update, so the text and the version agree everywhere.
    expect(await db.doc_updates.count().exec()).toBe(1);
    await text.close();
  });

  it('freezes the keystrokes still queued in an editor open elsewhere in the tab, even when not handed the editor', async () => {
    const { db, runbook } = await replicaWithRunbook();
    const editor = openCollabText(db, { collection: 'runbooks', id: runbook.id }, { idleMs: 60_000, maxDelayMs: 60_000 });
    await editor.loaded;
    editor.text.insert(0, 'Typed a moment before approving.');
    const version = await approveRunbook(db, runbook.id, MANAGER, { now: NOW });
    expect(version.body).toBe('Typed a moment before approving.');
    await editor.close();
  });

  it('keeps a frozen version unchanged when the runbook is edited and approved again under the next number', async () => {
    const { db, runbook } = await replicaWithRunbook();
    const text = openCollabText(db, { collection: 'runbooks', id: runbook.id });
    text.text.insert(0, 'First text.');
    await approveRunbook(db, runbook.id, MANAGER, { text, now: NOW });
    text.text.insert(text.text.length, ' Second thoughts.');
    await db.runbooks.findOne(runbook.id).exec().then((d) => d?.incrementalPatch({ steps: [...runbook.steps, { id: uuidv7(), instruction: 'Print a test page.' }] }));
    await text.close();

    const second = await approveRunbook(db, runbook.id, MANAGER, { now: NOW });
    const first = await frozenVersion(db, runbook.id, 1);
    expect(first).toMatchObject({ version: 1, body: 'First text.', steps: runbook.steps });
    expect(second).toMatchObject({ version: 2, body: 'First text. Second thoughts.' });
    const diff = diffVersions(first ?? second, second);
    expect(diff.steps.map((change) => change.kind)).toEqual(['added']);
    expect(diff.body.filter((part) => part.kind !== 'same').map((part) => part.text)).toEqual(['First text.', 'First text. Second thoughts.']);
  });
});
