import { describe, expect, it } from 'vitest';
import type { ConflictRecord } from '../schema/common.ts';
import { mergeDocuments } from './merge.ts';
import { parseConflictPath, setAtPath, valueAtPath } from './conflict-path.ts';

const risk = {
  title: 'UPS batteries',
  links: { deviceIds: ['a'] },
  mitigations: [
    { id: 'm1', action: 'Replace batteries', dueAt: '2026-03-01T00:00:00.000Z' },
    { id: 'm2', action: 'Test failover' },
  ],
};

describe('conflict paths', () => {
  it('reads keys and list items by id', () => {
    expect(parseConflictPath('mitigations[id=m1].dueAt')).toEqual([{ key: 'mitigations' }, { itemId: 'm1' }, { key: 'dueAt' }]);
    expect(valueAtPath(risk, 'mitigations[id=m2].action')).toBe('Test failover');
    expect(valueAtPath(risk, 'links.deviceIds')).toEqual(['a']);
    expect(valueAtPath(risk, 'mitigations[id=gone].action')).toBeUndefined();
  });

  it('writes a value at a nested path without touching the original', () => {
    const written = setAtPath(risk, 'mitigations[id=m1].dueAt', '2026-04-01T00:00:00.000Z');
    expect(written.ok && valueAtPath(written.document, 'mitigations[id=m1].dueAt')).toBe('2026-04-01T00:00:00.000Z');
    expect(written.ok && valueAtPath(written.document, 'mitigations[id=m2].action')).toBe('Test failover');
    expect(risk.mitigations[0]?.dueAt).toBe('2026-03-01T00:00:00.000Z');
  });

  it('unsets a field when the other value is null', () => {
    const written = setAtPath(risk, 'mitigations[id=m1].dueAt', null);
    expect(written.ok && written.document.mitigations[0]).toEqual({ id: 'm1', action: 'Replace batteries' });
  });

  it('refuses to write into a list item that has been removed', () => {
    expect(setAtPath(risk, 'mitigations[id=gone].action', 'x')).toEqual({ ok: false, reason: 'the item this value belonged to has been removed' });
  });

  it('puts back the value a merge recorded, at the path it recorded', () => {
    const base = { ...risk, conflicts: [] };
    const master = { ...base, mitigations: [{ ...risk.mitigations[0]!, action: 'Replace all batteries' }, risk.mitigations[1]!] };
    const local = { ...base, mitigations: [{ ...risk.mitigations[0]!, action: 'Replace two batteries' }, risk.mitigations[1]!] };
    const merged: { conflicts?: ConflictRecord[] } = mergeDocuments({ base, master, local });
    const record = merged.conflicts?.[0];
    expect(record?.path).toBe('mitigations[id=m1].action');
    const written = setAtPath(merged, record!.path, record!.otherValue);
    expect(written.ok && valueAtPath(written.document, record!.path)).toBe('Replace two batteries');
  });
});
