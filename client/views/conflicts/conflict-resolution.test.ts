import { describe, expect, it } from 'vitest';
import type { ConflictRecord } from '../../../shared/schema/common.ts';
import { describePath, editableText, formatValue, parseMergedValue, resolveConflict } from './conflict-resolution.ts';

const titleConflict: ConflictRecord = { id: 'c1', path: 'title', keptValue: 'Flooding', otherValue: 'Flood risk', recordedAt: '2026-02-01T00:00:00.000Z' };
const dueConflict: ConflictRecord = { id: 'c2', path: 'mitigations[id=m1].dueAt', keptValue: '2026-03-01T00:00:00.000Z', otherValue: null, recordedAt: '2026-02-01T00:00:00.000Z' };
const risk = {
  title: 'Flooding',
  likelihood: 4,
  mitigations: [{ id: 'm1', action: 'Raise the rack', dueAt: '2026-03-01T00:00:00.000Z' }],
  conflicts: [titleConflict, dueConflict],
};

describe('resolving a conflict', () => {
  it('keeps the current value and drops only that record', () => {
    const resolved = resolveConflict(risk, titleConflict, { kind: 'keep' });
    expect(resolved).toEqual({ ok: true, document: { ...risk, conflicts: [dueConflict] } });
  });

  it('takes the other value at the record’s path (null unsets the field)', () => {
    const title = resolveConflict(risk, titleConflict, { kind: 'other' });
    expect(title.ok && title.document.title).toBe('Flood risk');
    const due = resolveConflict(risk, dueConflict, { kind: 'other' });
    expect(due.ok && due.document.mitigations[0]).toEqual({ id: 'm1', action: 'Raise the rack' });
    expect(due.ok && due.document.conflicts).toEqual([titleConflict]);
  });

  it('writes a merged value', () => {
    const merged = resolveConflict(risk, titleConflict, { kind: 'merged', value: 'Flood risk in the closet' });
    expect(merged).toEqual({ ok: true, document: { ...risk, title: 'Flood risk in the closet', conflicts: [dueConflict] } });
  });

  it('says so when the value’s list item has been removed since', () => {
    const withoutItem = { ...risk, mitigations: [] };
    expect(resolveConflict(withoutItem, dueConflict, { kind: 'other' })).toEqual({ ok: false, reason: 'the item this value belonged to has been removed' });
    expect(resolveConflict(withoutItem, dueConflict, { kind: 'keep' }).ok).toBe(true);
  });
});

describe('merged values', () => {
  it('reads typed text as the kind of value in conflict', () => {
    expect(parseMergedValue('Flood', titleConflict)).toEqual({ ok: true, document: 'Flood' });
    expect(parseMergedValue(' 3 ', { keptValue: 4, otherValue: 2 })).toEqual({ ok: true, document: 3 });
    expect(parseMergedValue('three', { keptValue: 4, otherValue: 2 })).toEqual({ ok: false, reason: 'must be a number' });
    expect(parseMergedValue('true', { keptValue: false, otherValue: true })).toEqual({ ok: true, document: true });
    expect(parseMergedValue('["a","b"]', { keptValue: ['a'], otherValue: ['b'] })).toEqual({ ok: true, document: ['a', 'b'] });
    expect(parseMergedValue('[a', { keptValue: ['a'], otherValue: ['b'] }).ok).toBe(false);
    expect(parseMergedValue('', { keptValue: 4, otherValue: null })).toEqual({ ok: true, document: null });
  });

  it('shows values readably and starts editing from the kept one', () => {
    expect(formatValue(null)).toBe('(empty)');
    expect(formatValue('text')).toBe('text');
    expect(formatValue({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(editableText(4)).toBe('4');
    expect(editableText(null)).toBe('');
  });

  it('names the field in words, list items by their own name', () => {
    expect(describePath(risk, 'mitigations[id=m1].dueAt')).toBe('Mitigations › “Raise the rack” › due at');
    expect(describePath(risk, 'ownerId')).toBe('Owner');
    expect(describePath(risk, 'mitigations[id=gone].action')).toBe('Mitigations › a removed item › action');
  });
});
