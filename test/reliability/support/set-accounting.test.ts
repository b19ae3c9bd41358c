import { describe, expect, it } from 'vitest';
import { valuesIn, WriteLedger } from './set-accounting.ts';

const at = { client: 0, collection: 'devices', documentId: 'd1', slot: 'notes' };

describe('set accounting', () => {
  it('counts an acknowledged value that is gone, and was replaced by nobody, as lost', () => {
    const ledger = new WriteLedger();
    const [a, b, c] = [ledger.nextValue(), ledger.nextValue(), ledger.nextValue()];
    for (const value of [a, b, c]) ledger.recordWrite(value, at);
    ledger.recordAcknowledged([a, b, c]);
    ledger.recordReplaced([b]);
    const report = ledger.report(new Set([a]));
    expect(report).toMatchObject({ attempted: 3, acknowledged: 3, ok: 1, replaced: 1, lost: [c], unexpected: [] });
  });

  it('separates indeterminate writes, recovered or not, from lost ones', () => {
    const ledger = new WriteLedger();
    const [a, b] = [ledger.nextValue(), ledger.nextValue()];
    ledger.recordWrite(a, at);
    ledger.recordWrite(b, at);
    const report = ledger.report(new Set([a, 'w999']));
    expect(report).toMatchObject({ lost: [], indeterminate: 2, recovered: 1, missingAfterSync: [b], unexpected: ['w999'] });
  });

  it('finds values in slots and in both sides of conflict records, and nothing else', () => {
    const document = { notes: 'w1', model: 'HP LaserJet', assignee: 'w2', conflicts: [{ keptValue: 'w3', otherValue: 'w4' }, { keptValue: null, otherValue: 'w5' }] };
    expect(valuesIn(document, ['notes', 'model', 'assignee']).sort()).toEqual(['w1', 'w2', 'w3', 'w4', 'w5']);
  });

  it('refuses a value written twice, which would hide a loss', () => {
    const ledger = new WriteLedger();
    ledger.recordWrite('w1', at);
    expect(() => ledger.recordWrite('w1', at)).toThrow(/twice/);
  });
});
