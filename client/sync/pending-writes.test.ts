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
    pending.settle('runbook_versions', [{ id: 'v1', updatedAt: '2026-11-23T10:00:00.000Z' }]);
    pending.add('runbook_versions', 'v1', '2026-11-23T10:00:00.000Z');
    expect(pending.count).toBe(0);
    // A later write of the same document is pending again.
    pending.add('runbook_versions', 'v1', '2026-11-23T10:05:00.000Z');
    expect(pending.count).toBe(1);
  });

  it('survives a reload through storage', () => {
    const storage = memoryStorage();
    new PendingWrites('u1', storage).add('devices', 'd1', '2026-11-23T10:00:00.000Z');
    expect(new PendingWrites('u1', storage).count).toBe(1);
    expect(new PendingWrites('u2', storage).count).toBe(0);
  });
});
