import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { ConflictRecord } from '../schema/common.ts';
import type { Device } from '../schema/device.ts';
import type { Runbook, RunbookStep } from '../schema/runbook.ts';
import { canonicalJson, isDeepEqual } from './canonical.ts';
import { mergeDocuments } from './merge.ts';

// ---------------------------------------------------------------------------------------------
// Readable cases on real document shapes

const ORG_ID = '01900000-0000-7000-8000-000000000001';
const RUNBOOK_ID = '01900000-0000-7000-8000-000000000002';
const USER_ID = '01900000-0000-7000-8000-000000000003';
const STEP_A = '01900000-0000-7000-8000-00000000000a';
const STEP_B = '01900000-0000-7000-8000-00000000000b';
const STEP_C = '01900000-0000-7000-8000-00000000000c';
const STEP_D = '01900000-0000-7000-8000-00000000000d';
const STEP_E = '01900000-0000-7000-8000-00000000000e';

const T0 = '2026-01-31T08:00:00.000Z';
const T_MASTER = '2026-01-31T09:00:00.000Z';
const T_LOCAL = '2026-01-31T10:00:00.000Z';

function step(id: string, instruction: string, extra: Partial<RunbookStep> = {}): RunbookStep {
  return { id, instruction, ...extra };
}

function runbook(overrides: Partial<Runbook> = {}): Runbook {
  return {
    id: RUNBOOK_ID,
    orgId: ORG_ID,
    updatedAt: T0,
    title: 'Replace a POS receipt printer',
    summary: 'Swap the printer and test a receipt.',
    tags: ['pos', 'printer'],
    appliesTo: { deviceKinds: ['pos', 'printer'], tags: [], siteIds: [] },
    steps: [step(STEP_A, 'Power off the terminal'), step(STEP_B, 'Unplug the printer')],
    status: 'draft',
    version: 1,
    ...overrides,
  };
}

function device(freeBytes: number, overrides: Partial<Device> = {}): Device {
  return {
    id: RUNBOOK_ID,
    orgId: ORG_ID,
    updatedAt: T0,
    siteId: ORG_ID,
    hostname: 'pos-01',
    kind: 'pos',
    ips: ['10.0.0.5'],
    macs: [],
    tags: [],
    inventory: { disks: [{ id: 'C:', totalBytes: 1000, freeBytes }], observedAt: T0 },
    trend: [],
    status: 'online',
    health: 'ok',
    healthReasons: [],
    ...overrides,
  };
}

const idsOf = (steps: readonly RunbookStep[]) => steps.map((s) => s.id);

describe('mergeDocuments', () => {
  it('takes each field from the side that changed it', () => {
    const base = runbook();
    const merged = mergeDocuments({
      base,
      master: runbook({ summary: 'New summary', updatedAt: T_MASTER }),
      local: runbook({ title: 'New title', updatedAt: T_LOCAL }),
    });
    expect(merged.title).toBe('New title');
    expect(merged.summary).toBe('New summary');
    expect(merged.conflicts).toBeUndefined();
  });

  it('keeps both values when both sides change the same field', () => {
    const merged = mergeDocuments({
      base: runbook(),
      master: runbook({ title: 'Master title', updatedAt: T_MASTER }),
      local: runbook({ title: 'Local title', updatedAt: T_LOCAL }),
    });
    expect(merged.title).toBe('Master title');
    expect(merged.conflicts).toEqual([
      { id: expect.stringMatching(/^c-[0-9a-f]{16}$/), path: 'title', keptValue: 'Master title', otherValue: 'Local title', recordedAt: T_LOCAL },
    ]);
  });

  it('records no conflict when both sides make the same change', () => {
    const merged = mergeDocuments({
      base: runbook(),
      master: runbook({ status: 'in_review', updatedAt: T_MASTER }),
      local: runbook({ status: 'in_review', updatedAt: T_LOCAL }),
    });
    expect(merged.status).toBe('in_review');
    expect(merged.conflicts).toBeUndefined();
  });

  it('takes the later updatedAt and never records a conflict for it', () => {
    const merged = mergeDocuments({
      base: runbook(),
      master: runbook({ updatedAt: T_LOCAL }),
      local: runbook({ updatedAt: T_MASTER }),
    });
    expect(merged.updatedAt).toBe(T_LOCAL);
    expect(merged.conflicts).toBeUndefined();
  });

  it('keeps runbook steps added on both sides, in master order with local additions after their neighbour', () => {
    const base = runbook();
    const master = runbook({ steps: [...base.steps, step(STEP_C, 'Plug in the new printer')] });
    const local = runbook({ steps: [base.steps[0]!, step(STEP_D, 'Photograph the wiring'), base.steps[1]!, step(STEP_E, 'Print a test receipt')] });
    const merged = mergeDocuments({ base, master, local });
    expect(idsOf(merged.steps)).toEqual([STEP_A, STEP_D, STEP_B, STEP_E, STEP_C]);
    expect(merged.conflicts).toBeUndefined();
  });

  it('places local additions at the start when nothing precedes them locally', () => {
    const base = runbook();
    const merged = mergeDocuments({
      base,
      master: runbook({ steps: [base.steps[1]!, base.steps[0]!] }),
      local: runbook({ steps: [step(STEP_C, 'Check the warranty'), ...base.steps] }),
    });
    expect(idsOf(merged.steps)).toEqual([STEP_C, STEP_B, STEP_A]);
  });

  it('merges edits to different fields of the same step', () => {
    const base = runbook();
    const merged = mergeDocuments({
      base,
      master: runbook({ steps: [step(STEP_A, 'Power off the terminal', { check: 'Screen is dark' }), base.steps[1]!] }),
      local: runbook({ steps: [step(STEP_A, 'Shut down the terminal'), base.steps[1]!] }),
    });
    expect(merged.steps[0]).toEqual(step(STEP_A, 'Shut down the terminal', { check: 'Screen is dark' }));
    expect(merged.conflicts).toBeUndefined();
  });

  it('names the step by id in the path of a conflict inside it', () => {
    const base = runbook();
    const merged = mergeDocuments({
      base,
      master: runbook({ steps: [step(STEP_A, 'Master wording'), base.steps[1]!] }),
      local: runbook({ steps: [step(STEP_A, 'Local wording'), base.steps[1]!] }),
    });
    expect(merged.steps[0]?.instruction).toBe('Master wording');
    expect(merged.conflicts?.map((c) => [c.path, c.keptValue, c.otherValue])).toEqual([
      [`steps[id=${STEP_A}].instruction`, 'Master wording', 'Local wording'],
    ]);
  });

  it('keeps a step that one side deleted while the other side edited it', () => {
    const base = runbook();
    const edited = step(STEP_B, 'Unplug the printer and its power brick');
    const fromLocal = mergeDocuments({ base, master: runbook({ steps: [base.steps[0]!] }), local: runbook({ steps: [base.steps[0]!, edited] }) });
    const fromMaster = mergeDocuments({ base, master: runbook({ steps: [base.steps[0]!, edited] }), local: runbook({ steps: [base.steps[0]!] }) });
    expect(fromLocal.steps).toEqual([base.steps[0], edited]);
    expect(fromMaster.steps).toEqual([base.steps[0], edited]);
  });

  it('removes a step deleted on one side and untouched on the other', () => {
    const base = runbook();
    const merged = mergeDocuments({
      base,
      master: runbook({ steps: [base.steps[0]!], summary: 'Changed elsewhere' }),
      local: runbook({ steps: [...base.steps, step(STEP_C, 'New step')] }),
    });
    expect(idsOf(merged.steps)).toEqual([STEP_A, STEP_C]);
  });

  it('merges tags added and removed on both sides as a set', () => {
    const merged = mergeDocuments({
      base: runbook({ tags: ['pos', 'printer', 'hardware'] }),
      master: runbook({ tags: ['pos', 'hardware', 'urgent'] }),
      local: runbook({ tags: ['printer', 'hardware', 'epson'] }),
    });
    expect(merged.tags).toEqual(['hardware', 'urgent', 'epson']);
    expect(merged.conflicts).toBeUndefined();
  });

  it('merges nested objects key by key', () => {
    const base = runbook();
    const merged = mergeDocuments({
      base,
      master: runbook({ appliesTo: { ...base.appliesTo, tags: ['store'] } }),
      local: runbook({ appliesTo: { ...base.appliesTo, siteIds: [ORG_ID] } }),
    });
    expect(merged.appliesTo).toEqual({ deviceKinds: ['pos', 'printer'], tags: ['store'], siteIds: [ORG_ID] });
  });

  it('reaches into disks by id inside the inventory', () => {
    const merged = mergeDocuments({ base: device(500), master: device(400), local: device(300, { updatedAt: T_LOCAL }) });
    expect(merged.inventory?.disks[0]?.freeBytes).toBe(400);
    expect(merged.conflicts?.map((c) => c.path)).toEqual(['inventory.disks[id=C:].freeBytes']);
  });

  it('treats unsetting a field as a change', () => {
    const base = runbook({ approvedBy: USER_ID });
    const { approvedBy: _dropped, ...withoutApprover } = base;
    expect(mergeDocuments({ base, master: base, local: withoutApprover })).not.toHaveProperty('approvedBy');

    // Typed as Runbook: the merge accepts the schema-inferred document types.
    const merged = mergeDocuments<Runbook>({ base, master: runbook({ approvedBy: ORG_ID }), local: withoutApprover });
    expect(merged.approvedBy).toBe(ORG_ID);
    // Unset travels as null: JSON has no undefined, and the record must pass validation.
    expect(merged.conflicts?.map((c) => [c.path, c.keptValue, c.otherValue])).toEqual([['approvedBy', ORG_ID, null]]);
  });

  it('treats a list of objects without ids as one value', () => {
    const base = device(500);
    const merged = mergeDocuments({
      base,
      master: { ...base, trend: [{ at: T_MASTER, cpuPercent: 10, memoryUsedPercent: 20 }] },
      local: { ...base, trend: [{ at: T_LOCAL, cpuPercent: 30, memoryUsedPercent: 40 }] },
    });
    expect(merged.trend).toEqual([{ at: T_MASTER, cpuPercent: 10, memoryUsedPercent: 20 }]);
    expect(merged.conflicts?.map((c) => c.path)).toEqual(['trend']);
  });

  it('lets an edit beat a delete, on either side', () => {
    const base = { ...runbook(), _deleted: false };
    const deleted = { ...base, _deleted: true, updatedAt: T_MASTER };
    const edited = { ...base, title: 'Still needed', updatedAt: T_LOCAL };
    for (const merged of [
      mergeDocuments({ base, master: deleted, local: edited }),
      mergeDocuments({ base, master: edited, local: deleted }),
    ]) {
      expect(merged._deleted).toBe(false);
      expect(merged.title).toBe('Still needed');
    }
  });

  it('lets a value recorded in a conflict beat a delete that never saw it', () => {
    const base = { ...runbook(), _deleted: false };
    const deleted = { ...base, _deleted: true, updatedAt: T_MASTER };
    const recorded = { ...base, conflicts: [{ id: 'c1', path: 'title', keptValue: base.title, otherValue: 'Lost the clash', recordedAt: T_LOCAL }] };
    for (const merged of [mergeDocuments({ base, master: deleted, local: recorded }), mergeDocuments({ base, master: recorded, local: deleted })]) {
      expect(merged._deleted).toBe(false);
      expect(merged.conflicts?.map((c) => c.otherValue)).toEqual(['Lost the clash']);
    }
  });

  it('deletes when the other side only resolved conflict records', () => {
    const record = { id: 'c1', path: 'title', keptValue: 'a', otherValue: 'b', recordedAt: T0 };
    const base = { ...runbook(), conflicts: [record], _deleted: false };
    const merged = mergeDocuments({ base, master: { ...base, _deleted: true }, local: { ...base, conflicts: [] } });
    expect(merged._deleted).toBe(true);
  });

  it('deletes when the other side changed nothing but its clock', () => {
    const base = { ...runbook(), _deleted: false };
    const merged = mergeDocuments({ base, master: { ...base, _deleted: true }, local: { ...base, updatedAt: T_LOCAL } });
    expect(merged._deleted).toBe(true);
  });

  it('treats a missing base as an empty document', () => {
    const merged = mergeDocuments({
      base: undefined,
      master: runbook({ title: 'Created on the server' }),
      local: runbook({ title: 'Created offline', tags: ['pos', 'offline'] }),
    });
    expect(merged.title).toBe('Created on the server');
    expect(merged.tags).toEqual(['pos', 'printer', 'offline']);
    expect(merged.conflicts?.map((c) => c.path)).toEqual(['title']);
  });

  it('keeps conflict records from both sides and drops the ones a side resolved', () => {
    const record = (id: string): ConflictRecord => ({ id, path: 'title', keptValue: 'a', otherValue: id, recordedAt: T0 });
    const merged = mergeDocuments({
      base: runbook({ conflicts: [record('resolved-by-local'), record('resolved-by-master'), record('kept')] }),
      master: runbook({ conflicts: [record('resolved-by-local'), record('kept'), record('new-on-master')] }),
      local: runbook({ conflicts: [record('resolved-by-master'), record('kept'), record('new-on-local')] }),
    });
    expect(merged.conflicts?.map((c) => c.id)).toEqual(['kept', 'new-on-local', 'new-on-master']);
  });

  it('does not duplicate a conflict record that already exists', () => {
    const input = { base: runbook(), master: runbook({ title: 'Master title' }), local: runbook({ title: 'Local title' }) };
    const first = mergeDocuments(input);
    const again = mergeDocuments({ ...input, master: { ...input.master, conflicts: first.conflicts ?? [] } });
    expect(again.conflicts).toEqual(first.conflicts);
  });

  it('dates a conflict by the local clock, or the master clock when local has none', () => {
    const { updatedAt: _none, ...localWithoutClock } = runbook({ title: 'Local title' });
    const merged = mergeDocuments<Record<string, unknown>>({
      base: runbook(),
      master: runbook({ title: 'Master title', updatedAt: T_MASTER }),
      local: localWithoutClock,
    });
    expect((merged['conflicts'] as ConflictRecord[])[0]?.recordedAt).toBe(T_MASTER);
  });

  it('gives a conflict an id that depends only on its path and the value it keeps aside', () => {
    const conflictOf = (master: string, updatedAt: string) =>
      mergeDocuments({ base: runbook(), master: runbook({ title: master }), local: runbook({ title: 'Local', updatedAt }) }).conflicts?.[0];
    expect(conflictOf('Master one', T_LOCAL)?.id).toBe(conflictOf('Master two', T_MASTER)?.id);
    expect(conflictOf('Master one', T_LOCAL)?.id).not.toBe(
      mergeDocuments({ base: runbook(), master: runbook({ title: 'M' }), local: runbook({ title: 'Other' }) }).conflicts?.[0]?.id,
    );
  });

  it('never mutates its inputs and shares no structure with them', () => {
    const base = deepFreeze(runbook());
    const master = deepFreeze(runbook({ title: 'Master', steps: [step(STEP_A, 'Changed'), step(STEP_C, 'Added')] }));
    const local = deepFreeze(runbook({ title: 'Local', tags: ['new'] }));
    const merged = mergeDocuments({ base, master, local });
    expect(sharedReferences(merged, [base, master, local])).toEqual([]);
  });
});

describe('mergeDocuments: who wrote each value', () => {
  const DANA = { kind: 'user', id: USER_ID, name: 'Dana Kim', serverAt: '2026-01-31T09:00:05.000Z' } as const;
  const ALEX = { kind: 'user', id: ORG_ID, name: 'Alex Roe' } as const;
  const keptByDana = { by: USER_ID, byKind: 'user', byName: 'Dana Kim', at: T_MASTER, serverAt: '2026-01-31T09:00:05.000Z' };
  const otherByAlex = { by: ORG_ID, byKind: 'user', byName: 'Alex Roe', at: T_LOCAL };

  it('records the writer, device time and server time of both values of a top-level clash', () => {
    const merged = mergeDocuments({
      base: runbook(),
      master: runbook({ title: 'Master title', updatedAt: T_MASTER }),
      local: runbook({ title: 'Local title', updatedAt: T_LOCAL }),
      authors: { master: DANA, local: ALEX },
    });
    expect(merged.conflicts).toEqual([
      { id: expect.stringMatching(/^c-[0-9a-f]{16}$/), path: 'title', keptValue: 'Master title', otherValue: 'Local title', recordedAt: T_LOCAL, kept: keptByDana, other: otherByAlex },
    ]);
    expect(v.parse(ConflictRecord, merged.conflicts?.[0])).toEqual(merged.conflicts?.[0]);
  });

  it('records both writers on clashes inside identified-list items and nested objects', () => {
    const base = runbook();
    const merged = mergeDocuments({
      base,
      master: runbook({ updatedAt: T_MASTER, steps: [step(STEP_A, 'Master wording'), base.steps[1]!] }),
      local: runbook({ updatedAt: T_LOCAL, steps: [step(STEP_A, 'Local wording'), base.steps[1]!] }),
      authors: { master: DANA, local: ALEX },
    });
    const inventoryClash = mergeDocuments({
      base: device(500),
      master: device(400, { updatedAt: T_MASTER, inventory: { disks: [{ id: 'C:', totalBytes: 1000, freeBytes: 400 }], observedAt: T_MASTER } }),
      local: device(300, { updatedAt: T_LOCAL, inventory: { disks: [{ id: 'C:', totalBytes: 1000, freeBytes: 300 }], observedAt: T_LOCAL } }),
      authors: { master: DANA, local: ALEX },
    });
    const records = [...(merged.conflicts ?? []), ...(inventoryClash.conflicts ?? [])];
    expect(records.map((c) => c.path)).toEqual([`steps[id=${STEP_A}].instruction`, 'inventory.disks[id=C:].freeBytes', 'inventory.observedAt']);
    for (const record of records) {
      expect(record.kept).toEqual(keptByDana);
      expect(record.other).toEqual(otherByAlex);
    }
    // Each record has its own copy: resolving or editing one never touches another.
    expect(records[0]?.kept).not.toBe(records[1]?.kept);
  });

  it('records what it knows of each side and nothing for a side without a writer', () => {
    const merged = mergeDocuments({
      base: runbook(),
      master: runbook({ title: 'Master title', updatedAt: T_MASTER }),
      local: runbook({ title: 'Local title', updatedAt: T_LOCAL }),
      authors: { master: { serverAt: '2026-01-31T09:00:05.000Z' } },
    });
    expect(merged.conflicts?.[0]?.kept).toEqual({ at: T_MASTER, serverAt: '2026-01-31T09:00:05.000Z' });
    expect(merged.conflicts?.[0]).not.toHaveProperty('other');
  });

  it('works as before without authors: records carry no sides', () => {
    const merged = mergeDocuments({ base: runbook(), master: runbook({ title: 'Master title' }), local: runbook({ title: 'Local title' }) });
    expect(merged.conflicts).toHaveLength(1);
    expect(Object.keys(merged.conflicts?.[0] ?? {}).sort()).toEqual(['id', 'keptValue', 'otherValue', 'path', 'recordedAt']);
  });

  it('leaves out what the record schema would refuse, so the merged document still reaches the server', () => {
    const merged = mergeDocuments({
      base: runbook(),
      master: runbook({ title: 'Master title', updatedAt: T_MASTER }),
      local: runbook({ title: 'Local title', updatedAt: T_LOCAL }),
      authors: { master: { kind: 'user', id: USER_ID, name: '', serverAt: 'yesterday' }, local: { id: 'x'.repeat(500), name: 'Alex Roe' } },
    });
    expect(merged.conflicts?.[0]?.kept).toEqual({ by: USER_ID, byKind: 'user', at: T_MASTER });
    expect(merged.conflicts?.[0]?.other).toEqual({ byName: 'Alex Roe', at: T_LOCAL });
  });

  it('keeps the record id independent of who wrote it, so two devices raise the same record once', () => {
    const input = { base: runbook(), master: runbook({ title: 'Master title' }), local: runbook({ title: 'Local title' }) };
    expect(mergeDocuments({ ...input, authors: { master: DANA, local: ALEX } }).conflicts?.[0]?.id).toBe(mergeDocuments(input).conflicts?.[0]?.id);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over random documents: a small generator, random edits on each side

interface Item {
  id: string;
  text: string;
  done?: boolean;
}
interface TestDoc {
  id: string;
  updatedAt: string;
  title: string;
  count: number;
  flag?: boolean;
  nested?: { a?: string; b?: number; deep?: { c?: string } };
  items: Item[];
  tags: string[];
  _deleted: boolean;
  conflicts?: ConflictRecord[];
}

// Small pools, so both sides often touch the same field, item or tag.
const TEXTS = ['x', 'y', 'z'];
const ITEM_IDS = ['i1', 'i2', 'i3', 'i4', 'i5'];
const TAGS = ['a', 'b', 'c', 'd'];
const CLOCKS = [T0, T_MASTER, T_LOCAL];
const EXISTING_CONFLICTS: ConflictRecord[] = ['k1', 'k2', 'k3'].map((id) => ({ id, path: 'title', keptValue: 'x', otherValue: id, recordedAt: T0 }));
/** Records a side adds when one of its edits lost a clash. */
const NEW_CONFLICTS: ConflictRecord[] = ['n1', 'n2'].map((id) => ({ id, path: 'count', keptValue: 0, otherValue: id, recordedAt: T_LOCAL }));

const textArb = fc.constantFrom(...TEXTS);
const itemArb: fc.Arbitrary<Item> = fc.record(
  { id: fc.constantFrom(...ITEM_IDS), text: textArb, done: fc.boolean() },
  { requiredKeys: ['id', 'text'] },
);
const docArb: fc.Arbitrary<TestDoc> = fc.record(
  {
    id: fc.constant('doc'),
    updatedAt: fc.constantFrom(...CLOCKS),
    title: textArb,
    count: fc.integer({ min: 0, max: 2 }),
    flag: fc.boolean(),
    nested: fc.record({ a: textArb, b: fc.integer({ min: 0, max: 2 }), deep: fc.record({ c: textArb }, { requiredKeys: [] }) }, { requiredKeys: [] }),
    items: fc.uniqueArray(itemArb, { selector: (item) => item.id, maxLength: 4 }),
    tags: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 3 }),
    _deleted: fc.boolean(),
    conflicts: fc.subarray(EXISTING_CONFLICTS),
  },
  { requiredKeys: ['id', 'updatedAt', 'title', 'count', 'items', 'tags', '_deleted'] },
);

type Edit = (doc: TestDoc) => void;
// Weighted towards the edits that collide: titles and item texts.
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 2, arbitrary: textArb.map((v): Edit => (d) => { d.title = v; }) },
  fc.integer({ min: 0, max: 2 }).map((v): Edit => (d) => { d.count = v; }),
  fc.option(fc.boolean(), { nil: undefined }).map((v): Edit => (d) => { if (v === undefined) delete d.flag; else d.flag = v; }),
  fc.option(textArb, { nil: undefined }).map((v): Edit => (d) => {
    d.nested ??= {};
    if (v === undefined) delete d.nested.a; else d.nested.a = v;
  }),
  textArb.map((v): Edit => (d) => { d.nested = { ...d.nested, deep: { c: v } }; }),
  fc.constant<Edit>((d) => { delete d.nested; }),
  itemArb.map((item): Edit => (d) => { if (!d.items.some((i) => i.id === item.id)) d.items.push(item); }),
  fc.nat().map((n): Edit => (d) => { d.items.splice(n % Math.max(d.items.length, 1), 1); }),
  { weight: 4, arbitrary: fc.tuple(fc.nat(), textArb).map(([n, v]): Edit => (d) => { const item = d.items[n % Math.max(d.items.length, 1)]; if (item) item.text = v; }) },
  fc.nat().map((n): Edit => (d) => { const item = d.items[n % Math.max(d.items.length, 1)]; if (item) item.done = !item.done; }),
  fc.tuple(fc.nat(), fc.nat()).map(([from, to]): Edit => (d) => {
    const [moved] = d.items.splice(from % Math.max(d.items.length, 1), 1);
    if (moved) d.items.splice(to % (d.items.length + 1), 0, moved);
  }),
  fc.constantFrom(...TAGS).map((tag): Edit => (d) => { if (!d.tags.includes(tag)) d.tags.push(tag); }),
  fc.constantFrom(...TAGS).map((tag): Edit => (d) => { d.tags = d.tags.filter((t) => t !== tag); }),
  fc.boolean().map((v): Edit => (d) => { d._deleted = v; }),
  fc.constantFrom(...CLOCKS).map((v): Edit => (d) => { d.updatedAt = v; }),
  fc.nat().map((n): Edit => (d) => { d.conflicts?.splice(n % Math.max(d.conflicts.length, 1), 1); }),
  fc.constantFrom(...NEW_CONFLICTS).map((record): Edit => (d) => { if (!d.conflicts?.some((c) => c.id === record.id)) d.conflicts = [...(d.conflicts ?? []), record]; }),
);
const editsArb = fc.array(editArb, { maxLength: 8 });

function applyEdits(doc: TestDoc, edits: readonly Edit[]): TestDoc {
  const copy = structuredClone(doc);
  for (const edit of edits) edit(copy);
  return copy;
}

/** base, and master and local derived from it by independent random edits; one in four has no base. */
const scenarioArb = fc.record({ base: docArb, masterEdits: editsArb, localEdits: editsArb, hasBase: fc.nat(3).map((n) => n > 0) }).map(
  ({ base, masterEdits, localEdits, hasBase }) => ({
    base: hasBase ? deepFreeze(base) : undefined,
    master: deepFreeze(applyEdits(base, masterEdits)),
    local: deepFreeze(applyEdits(base, localEdits)),
  }),
);

const RUNS = { numRuns: 1000 };
const NOT_LEAVES = new Set(['conflicts', 'updatedAt', '_deleted']);

describe('mergeDocuments properties', () => {
  it('is deterministic', () => {
    fc.assert(fc.property(scenarioArb, (input) => {
      expect(canonicalJson(mergeDocuments(input))).toBe(canonicalJson(mergeDocuments(structuredClone(input))));
    }), RUNS);
  });

  it('returns a side unchanged when both sides are the same, and is stable when merged again', () => {
    fc.assert(fc.property(scenarioArb, ({ base, master, local }) => {
      expect(canonicalJson(mergeDocuments({ base, master: local, local }))).toBe(canonicalJson(local));
      const merged = deepFreeze(mergeDocuments({ base, master, local }));
      expect(canonicalJson(mergeDocuments({ base: master, master, local: merged }))).toBe(canonicalJson(merged));
    }), RUNS);
  });

  it('never drops a change: each changed leaf is in the result or in a conflict record', () => {
    fc.assert(fc.property(scenarioArb, ({ base, master, local }) => {
      const merged = mergeDocuments({ base, master, local });
      const baseLeaves = leavesOf(base ?? {});
      // A path may hold one value in the result and others in records: keep every pair.
      const kept = new Set([...leavesOf(merged)].map(([path, value]) => `${path} = ${value}`));
      for (const record of merged.conflicts ?? []) {
        for (const value of [record.keptValue, record.otherValue]) {
          const leaves = new Map<string, string>();
          collectLeaves(value, record.path, leaves);
          for (const [path, leaf] of leaves) kept.add(`${path} = ${leaf}`);
        }
      }
      for (const side of [master, local]) {
        for (const [path, value] of leavesOf(side)) {
          if (baseLeaves.get(path) !== value) expect(kept.has(`${path} = ${value}`), `${path} = ${value}`).toBe(true);
        }
      }
    }), RUNS);
  });

  it('lets a change made on only one side come through unchanged', () => {
    fc.assert(fc.property(scenarioArb, ({ base, master, local }) => {
      const merged = mergeDocuments({ base, master, local });
      if (isDeepEqual(master, base)) expect(canonicalJson(merged)).toBe(canonicalJson(local));
      if (isDeepEqual(local, base)) expect(canonicalJson(merged)).toBe(canonicalJson(master));
      for (const [changed, other] of [[local, master], [master, local]] as const) {
        expectOneSidedChangesKept(base ?? {}, changed, other, merged);
      }
    }), RUNS);
  });

  it('records no conflict when both sides make the same change', () => {
    fc.assert(fc.property(docArb, editsArb, fc.boolean(), (base, edits, hasBase) => {
      const changed = applyEdits(base, edits);
      const merged = mergeDocuments({ base: hasBase ? base : undefined, master: changed, local: structuredClone(changed) });
      expect(merged.conflicts).toEqual(changed.conflicts);
    }), RUNS);
  });

  it('raises a conflict only where both sides changed a value differently, keeping master’s', () => {
    fc.assert(fc.property(scenarioArb, ({ base, master, local }) => {
      const merged = mergeDocuments({ base, master, local });
      const existing = new Set([...(master.conflicts ?? []), ...(local.conflicts ?? [])].map((c) => c.id));
      for (const record of merged.conflicts ?? []) {
        if (existing.has(record.id)) continue;
        const [b, m, l] = [base ?? {}, master, local].map((doc) => valueAt(doc, record.path) ?? null);
        expect(isDeepEqual(m, b) || isDeepEqual(l, b) || isDeepEqual(m, l)).toBe(false);
        expect(record.keptValue).toEqual(m);
        expect(record.otherValue).toEqual(l);
        expect(valueAt(merged, record.path) ?? null).toEqual(m);
      }
    }), RUNS);
  });

  it('lets an edit beat a delete, and a delete stand against an untouched document', () => {
    fc.assert(fc.property(scenarioArb, ({ base, master, local }) => {
      const merged = mergeDocuments({ base, master, local });
      for (const [deleting, other] of [[master, local], [local, master]] as const) {
        if (!deleting._deleted || base?._deleted === true || other._deleted) continue;
        expect(merged._deleted).toBe(!hasContentChange(base ?? {}, other));
      }
    }), RUNS);
  });

  it('keeps conflict records unless a side resolved them', () => {
    fc.assert(fc.property(scenarioArb, ({ base, master, local }) => {
      const ids = new Set((mergeDocuments({ base, master, local }).conflicts ?? []).map((c) => c.id));
      const baseIds = new Set((base?.conflicts ?? []).map((c) => c.id));
      const masterIds = new Set((master.conflicts ?? []).map((c) => c.id));
      const localIds = new Set((local.conflicts ?? []).map((c) => c.id));
      for (const id of [...masterIds, ...localIds]) {
        const isResolved = baseIds.has(id) && !(masterIds.has(id) && localIds.has(id));
        expect(ids.has(id), id).toBe(!isResolved);
      }
    }), RUNS);
  });

  it('never mutates its inputs and shares no structure with them', () => {
    // Inputs are deep-frozen by the generator: any write would throw in strict-mode modules.
    fc.assert(fc.property(scenarioArb, ({ base, master, local }) => {
      const merged = mergeDocuments({ base, master, local });
      expect(sharedReferences(merged, [base, master, local])).toEqual([]);
    }), RUNS);
  });

  it('names the given writers on every record it raises, each record with its own copy, deterministically', () => {
    const authors = deepFreeze({
      master: { kind: 'user' as const, id: USER_ID, name: 'Dana Kim', serverAt: T_MASTER },
      local: { kind: 'user' as const, id: ORG_ID, name: 'Alex Roe' },
    });
    fc.assert(fc.property(scenarioArb, ({ base, master, local }) => {
      const merged = mergeDocuments({ base, master, local, authors });
      expect(canonicalJson(mergeDocuments({ base, master, local, authors: structuredClone(authors) }))).toBe(canonicalJson(merged));
      const existing = new Set([...(master.conflicts ?? []), ...(local.conflicts ?? [])].map((c) => c.id));
      const fresh = (merged.conflicts ?? []).filter((record) => !existing.has(record.id));
      for (const record of fresh) {
        expect(record.kept).toMatchObject({ by: USER_ID, byKind: 'user', byName: 'Dana Kim', serverAt: T_MASTER });
        expect(record.other).toMatchObject({ by: ORG_ID, byKind: 'user', byName: 'Alex Roe' });
        expect(record.other).not.toHaveProperty('serverAt');
      }
      expect(new Set(fresh.map((record) => record.kept)).size).toBe(fresh.length);
      expect(sharedReferences(merged, [base, master, local, authors])).toEqual([]);
    }), RUNS);
  });
});

// ---------------------------------------------------------------------------------------------
// Helpers

/** Leaves by id-aware path: `items[id=i1].text`, tags as members `tags[="a"]`. */
function leavesOf(doc: object): Map<string, string> {
  const leaves = new Map<string, string>();
  for (const [key, value] of Object.entries(doc)) if (!NOT_LEAVES.has(key)) collectLeaves(value, key, leaves);
  return leaves;
}

function collectLeaves(value: unknown, path: string, leaves: Map<string, string>): void {
  if (Array.isArray(value)) {
    if (value.every((item) => isRecord(item) && typeof item['id'] === 'string')) {
      for (const item of value as { id: string }[]) collectLeaves(item, `${path}[id=${item.id}]`, leaves);
    } else if (value.every((item) => typeof item !== 'object' || item === null)) {
      for (const item of value) leaves.set(`${path}[=${canonicalJson(item)}]`, 'true');
    } else {
      leaves.set(path, canonicalJson(value));
    }
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) collectLeaves(item, `${path}.${key}`, leaves);
  } else if (value !== undefined && value !== null) {
    leaves.set(path, canonicalJson(value));
  }
}

/** A field, or a field of an item present on all three sides, changed on one side only. */
function expectOneSidedChangesKept(base: Partial<TestDoc>, changed: TestDoc, other: TestDoc, merged: TestDoc): void {
  for (const key of ['title', 'count', 'flag', 'nested', 'tags'] as const) {
    if (isDeepEqual(other[key], base[key]) && !isDeepEqual(changed[key], base[key])) {
      expect(canonicalJson(merged[key]), key).toBe(canonicalJson(changed[key]));
    }
  }
  for (const item of changed.items) {
    const [b, o, m] = [base.items, other.items, merged.items].map((items) => items?.find((i) => i.id === item.id));
    if (b === undefined || o === undefined) continue;
    for (const key of ['text', 'done'] as const) {
      if (isDeepEqual(o[key], b[key]) && !isDeepEqual(item[key], b[key])) expect(m?.[key], `${item.id}.${key}`).toBe(item[key]);
    }
  }
}

function hasContentChange(base: Partial<TestDoc>, side: TestDoc): boolean {
  const baseIds = new Set((base.conflicts ?? []).map((c) => c.id));
  const isRecordAdded = (side.conflicts ?? []).some((c) => !baseIds.has(c.id));
  return isRecordAdded || (Object.keys({ ...base, ...side }) as (keyof TestDoc)[]).some((key) => !NOT_LEAVES.has(key) && !isDeepEqual(base[key], side[key]));
}

/** Reads a conflict path such as `items[id=i1].text` or `nested.deep.c`. */
function valueAt(doc: unknown, path: string): unknown {
  let current = doc;
  for (const [, key, id] of path.matchAll(/([^.[\]]+)|\[id=([^\]]*)\]/g)) {
    if (key !== undefined) current = isRecord(current) && Object.hasOwn(current, key) ? current[key] : undefined;
    else current = Array.isArray(current) ? current.find((item) => isRecord(item) && item['id'] === id) : undefined;
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/** Paths in `result` whose object is also reachable from one of the inputs. */
function sharedReferences(result: unknown, inputs: readonly unknown[]): string[] {
  const inputObjects = new Set<unknown>();
  const gather = (value: unknown) => {
    if (typeof value !== 'object' || value === null) return;
    inputObjects.add(value);
    Object.values(value).forEach(gather);
  };
  inputs.forEach(gather);
  const shared: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value !== 'object' || value === null) return;
    if (inputObjects.has(value)) shared.push(path);
    for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
  };
  walk(result, '$');
  return shared;
}
