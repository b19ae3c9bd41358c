import { describe, expect, it } from 'vitest';
import { PendingWrites } from './pending-writes.ts';

/** localStorage's interface over a Map, as the browser would give it. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

describe('PendingWrites', () => {
  it('settles a write once the server acknowledged that state or a later one', () => {
    const pending = new PendingWrites('u1', memoryStorage());
    pending.add('risks', 'r1', '2026-11-23T10:00:00.000Z');
    pending.settle('risks', [{ id: 'r1', updatedAt: '2026-11-23T09:59:59.000Z' }]);
    expect(pending.count).toBe(1);
    pending.settle('risks', [{ id: 'r1', updatedAt: '2026-11-23T10:00:00.000Z' }]);
    expect(pending.count).toBe(0);
  });

  it('does not count a write whose push was acknowledged before the writer recorded it', () => {
    const pending = new PendingWrites('u1', memoryStorage());
    pending.acknowledge('runbook_versions', [{ id: 'v1', updatedAt: '2026-11-23T10:00:00.000Z' }]);
    pending.add('runbook_versions', 'v1', '2026-11-23T10:00:00.000Z');
    expect(pending.count).toBe(0);
    // A later write of the same document is pending again.
    pending.add('runbook_versions', 'v1', '2026-11-23T10:05:00.000Z');
    expect(pending.count).toBe(1);
  });

  it('counts a document once however often it is written', () => {
    const pending = new PendingWrites('u1', memoryStorage());
    pending.add('risks', 'r1', '2026-11-23T10:00:00.000Z', '2-a');
    pending.add('risks', 'r1', '2026-11-23T10:01:00.000Z', '3-b');
    pending.add('devices', 'r1', '2026-11-23T10:01:00.000Z', '2-c');
    expect(pending.count).toBe(2);
    expect(pending.byCollection()).toEqual(new Map([['risks', ['r1']], ['devices', ['r1']]]));
  });

  it('settles by local revision when it is known, whatever the clocks say', () => {
    const pending = new PendingWrites('u1', memoryStorage());
    pending.add('risks', 'r1', '2026-11-23T10:00:00.000Z', '5-a');
    // The server's state carries another device's clock, ahead of ours, but not our write yet.
    pending.settle('risks', [{ id: 'r1', updatedAt: '2026-11-24T00:00:00.000Z', revision: 4 }]);
    expect(pending.has('risks', 'r1')).toBe(true);
    pending.settle('risks', [{ id: 'r1', updatedAt: '2026-11-22T00:00:00.000Z', revision: 6 }]);
    expect(pending.has('risks', 'r1')).toBe(false);
  });

  it('does not take a state found in step for an acknowledgement of writes recorded later', () => {
    const pending = new PendingWrites('u1', memoryStorage());
    pending.settle('risks', [{ id: 'r1', updatedAt: '2026-11-24T00:00:00.000Z', revision: 3 }]);
    pending.add('risks', 'r1', '2026-11-23T10:00:00.000Z', '4-a');
    expect(pending.count).toBe(1);
  });

  it('reads entries stored before revisions were kept', () => {
    const storage = memoryStorage();
    storage.setItem('outpost.pending.u1', JSON.stringify({ 'devices/d1': '2026-11-23T10:00:00.000Z' }));
    const pending = new PendingWrites('u1', storage);
    expect(pending.count).toBe(1);
    pending.settle('devices', [{ id: 'd1', updatedAt: '2026-11-23T10:00:00.000Z', revision: 2 }]);
    expect(pending.count).toBe(0);
  });

  it('survives a reload through storage', () => {
    const storage = memoryStorage();
    new PendingWrites('u1', storage).add('devices', 'd1', '2026-11-23T10:00:00.000Z');
    expect(new PendingWrites('u1', storage).count).toBe(1);
    expect(new PendingWrites('u2', storage).count).toBe(0);
  });
});
