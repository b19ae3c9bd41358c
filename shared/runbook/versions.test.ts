import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../id/uuidv7.ts';
import type { Runbook, RunbookStep } from '../schema/runbook.ts';
import type { RunbookVersion } from '../schema/runbook-version.ts';
import { approvedRunbook, freezeVersion, nextVersionNumber } from './freeze-version.ts';
import { diffVersions } from './version-diff.ts';
import { runbookVersionId } from './version-id.ts';

const T0 = '2026-03-02T08:00:00.000Z';
const MANAGER = uuidv7();
const step = (instruction: string, extra: Partial<RunbookStep> = {}): RunbookStep => ({ id: uuidv7(), instruction, ...extra });

const RUNBOOK: Runbook = {
  id: uuidv7(), orgId: uuidv7(), updatedAt: T0, title: 'Printer offline', summary: 'Bring a receipt printer back.', tags: ['printer'],
  appliesTo: { deviceKinds: ['printer'], tags: [], siteIds: [] }, steps: [step('Check the power.'), step('Print a test page.')], status: 'in_review', version: 1,
};

const version = (overrides: Partial<RunbookVersion>): RunbookVersion => ({
  id: uuidv7(), orgId: RUNBOOK.orgId, runbookId: RUNBOOK.id, version: 1, title: RUNBOOK.title, summary: RUNBOOK.summary, tags: RUNBOOK.tags,
  steps: RUNBOOK.steps, body: 'Line one.\nLine two.\n', approvedBy: MANAGER, approvedAt: T0, updatedAt: T0, ...overrides,
});

describe('runbookVersionId', () => {
  it('is the same UUID for the same runbook and number, and another for any other', async () => {
    const id = await runbookVersionId(RUNBOOK.id, 3);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await runbookVersionId(RUNBOOK.id, 3)).toBe(id);
    expect(await runbookVersionId(RUNBOOK.id, 4)).not.toBe(id);
    expect(await runbookVersionId(uuidv7(), 3)).not.toBe(id);
  });
});

describe('nextVersionNumber', () => {
  it("freezes the runbook's own number the first time", () => {
    expect(nextVersionNumber({ version: 1 }, [])).toBe(1);
    expect(nextVersionNumber({ version: 4 }, [1, 2])).toBe(4);
  });

  it('takes the next number once that one is frozen, so a frozen version is never rewritten', () => {
    expect(nextVersionNumber({ version: 2 }, [1, 2])).toBe(3);
    expect(nextVersionNumber({ version: 1 }, [1, 2, 3])).toBe(4);
  });
});

describe('freezeVersion', () => {
  it('copies text and steps under the derived id, so later edits to the runbook never reach it', async () => {
    const runbook = structuredClone(RUNBOOK);
    const approval = { runbook, body: '# Printer offline\nKeep a spare roll.', approvedBy: MANAGER, approvedAt: T0, version: 2 };
    const frozen = await freezeVersion(approval);
    expect(frozen).toMatchObject({ id: await runbookVersionId(RUNBOOK.id, 2), runbookId: RUNBOOK.id, version: 2, body: approval.body, approvedBy: MANAGER });
    (runbook.steps[0] as RunbookStep).instruction = 'Edited after approval.';
    runbook.tags.push('edited');
    expect(frozen.steps[0]?.instruction).toBe('Check the power.');
    expect(frozen.tags).toEqual(['printer']);
    expect(approvedRunbook(approval)).toMatchObject({ status: 'approved', version: 2, approvedBy: MANAGER, approvedAt: T0 });
  });
});

describe('diffVersions', () => {
  const [first, second] = RUNBOOK.steps as [RunbookStep, RunbookStep];

  it('says when nothing changed', () => {
    expect(diffVersions(version({}), version({ version: 2 }))).toMatchObject({ from: 1, to: 2, isSame: true, fields: [], steps: [] });
  });

  it('shows the text line by line and the title word by word', () => {
    const diff = diffVersions(version({}), version({ version: 2, title: 'Receipt printer offline', body: 'Line one.\nLine 2, reworded.\n' }));
    expect(diff.body).toEqual([
      { kind: 'same', text: 'Line one.\n' },
      { kind: 'removed', text: 'Line two.\n' },
      { kind: 'added', text: 'Line 2, reworded.\n' },
    ]);
    expect(diff.fields).toEqual([
      { field: 'title', parts: [{ kind: 'removed', text: 'Printer' }, { kind: 'added', text: 'Receipt printer' }, { kind: 'same', text: ' offline' }] },
    ]);
    expect(diff.isSame).toBe(false);
  });

  it('matches steps by id: added, removed, changed field by field, and only the step that moved', () => {
    const third = step('Call the vendor.');
    const older = version({ steps: [first, second, third] });
    const added = step('Replace the roll.');
    const newer = version({ version: 2, steps: [{ ...third, check: 'Ticket number noted' }, added, first] });
    expect(diffVersions(older, newer).steps).toEqual([
      { kind: 'removed', step: second, position: 1 },
      { kind: 'changed', stepId: third.id, from: 2, to: 0, fields: [{ field: 'check', parts: [{ kind: 'added', text: 'Ticket number noted' }] }] },
      { kind: 'added', step: added, position: 1 },
      { kind: 'moved', stepId: first.id, from: 0, to: 2 },
    ]);
  });
});
