import { describe, expect, it } from 'vitest';
import { judgeDisjoint, judgeSameField, MergeHistory, type FieldSlot, type HeldDocument, type WriteRecord } from './merge-history.ts';

const write = (value: string, client: number, prior: unknown, step: number, field = 'notes'): WriteRecord => ({
  value,
  client,
  userId: `user-${client}`,
  collection: 'devices',
  documentId: 'd1',
  field,
  prior,
  step,
  via: 'main',
});
const history = (...writes: WriteRecord[]) => {
  const h = new MergeHistory();
  for (const w of writes) h.record(w);
  return h;
};
const onServer = (fields: Record<string, unknown>, conflicts?: unknown[]): HeldDocument[] => [
  { where: 'server', collection: 'devices', document: { id: 'd1', ...fields, ...(conflicts ? { conflicts } : {}) } },
];
const record = (keptValue: unknown, otherValue: unknown, extra: object = {}) => ({ id: 'r', path: 'notes', keptValue, otherValue, recordedAt: '2026-01-01T00:00:00.000Z', ...extra });

describe('merge history: mode disjoint', () => {
  const slots: FieldSlot[] = [
    { collection: 'devices', documentId: 'd1', field: 'notes', original: 'orig:n', writers: [1] },
    { collection: 'devices', documentId: 'd1', field: 'model', original: 'orig:m', writers: [2] },
  ];

  it('passes when every field holds its only writer’s last value and nobody holds a conflict record', () => {
    const h = history(write('c1#1', 1, 'orig:n', 0), write('c1#2', 1, 'c1#1', 1));
    expect(judgeDisjoint(h, slots, onServer({ notes: 'c1#2', model: 'orig:m' }), [])).toEqual([]);
  });

  it('fails on any conflict record, a field that lost its writer’s last value, and a writer that no longer held its own value', () => {
    const h = history(write('c1#1', 1, 'orig:n', 0), write('c1#2', 1, 'orig:n', 3));
    const failures = judgeDisjoint(h, slots, onServer({ notes: 'c1#1', model: 'orig:m' }, [record('c1#1', 'c1#2')]), []);
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatch(/^conflict record \(at server\): devices d1 notes kept c1#1/);
    expect(failures[1]).toMatch(/d1\.notes: the server holds c1#1 .* last wrote c1#2 at step 3/);
    expect(failures[2]).toMatch(/^step 3: c1 \(main\) wrote c1#2 .* while its replica held orig:n .* not its own last value c1#1/);
  });
});

describe('merge history: mode same-field', () => {
  it('accepts a conflict between two writes made on the same value, and counts both as kept', () => {
    const h = history(write('c1#1', 1, 'orig', 0), write('c2#2', 2, 'orig', 1));
    expect(judgeSameField(h, onServer({ notes: 'c1#1' }, [record('c1#1', 'c2#2')]), [])).toEqual([]);
  });

  it('calls a conflict false when a value was never written, or one write was made on top of the other', () => {
    const h = history(write('c1#1', 1, 'orig', 0), write('c2#2', 2, 'c1#1', 1), write('c2#3', 2, 'c2#2', 2));
    const failures = judgeSameField(h, onServer({ notes: 'c2#3' }, [record('orig', 'c1#1'), record('c2#3', 'c1#1')]), []);
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatch(/kept orig \(never written by this run\)/);
    expect(failures[1]).toMatch(/kept c2#3 \(step 2, c2\) was written on top of other c1#1/);
  });

  it('finds a lost write: not on the server, nothing made on top of it, in no conflict record', () => {
    const h = history(write('c1#1', 1, 'orig', 0), write('c2#2', 2, 'orig', 1), write('c1#3', 1, 'c1#1', 2));
    const failures = judgeSameField(h, onServer({ notes: 'c1#3' }), []);
    expect(failures).toEqual([expect.stringMatching(/^lost write: step 1 c2 \(main\) wrote c2#2 /)]);
  });

  it('checks provenance when conflict records carry it: the other side names its writer, the kept side the writer of the server version holding it', () => {
    const h = history(write('c1#1', 1, 'orig', 0), write('c2#2', 2, 'orig', 1));
    const right = record('c1#1', 'c2#2', { kept: { by: 'user-1', byKind: 'user' }, other: { by: 'user-2' } });
    const wrong = record('c1#1', 'c2#2', { kept: { by: 'user-9' }, other: { at: '2026-01-01T00:00:00.000Z' } });
    // The server version holding c1#1 may have been written later by someone else (another field).
    const laterVersion = record('c1#1', 'c2#2', { kept: { by: 'user-2' }, other: { by: 'user-2' } });
    expect(judgeSameField(h, onServer({ notes: 'c1#1' }, [laterVersion]), [])).toEqual([]);
    expect(judgeSameField(h, onServer({ notes: 'c1#1' }, [right]), [])).toEqual([]);
    expect(judgeSameField(h, onServer({ notes: 'c1#1' }, [record('c1#1', 'c2#2')]), [])).toEqual([]);
    expect(judgeSameField(h, onServer({ notes: 'c1#1' }, [wrong]), [])).toEqual([
      expect.stringMatching(/^wrong provenance: .* kept\.by user-9, but c1#1 was written by c1 \(user user-1\)/),
      expect.stringMatching(/^wrong provenance: .* other\.by undefined, but c2#2 was written by c2 \(user user-2\)/),
    ]);
  });
});
