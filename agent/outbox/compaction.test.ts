import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HeartbeatRecord } from '../../shared/agent/protocol.ts';
import { checkAt, heartbeatAt, inventoryAt } from '../testing/records.ts';
import { foldHeartbeats, planCompaction } from './compaction.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const rows = <T>(records: T[], maybeDelivered = false) => records.map((record, seq) => ({ seq, record, maybeDelivered }));

describe('folding heartbeats', () => {
  it('keeps the latest id, time and disk, weighs CPU and memory by count, and remembers since when', () => {
    const folded = foldHeartbeats([
      heartbeatAt(T0, { cpuPercent: 10, memoryUsedPercent: 40, diskFreePercent: 50 }),
      heartbeatAt(T0 + 60_000, { cpuPercent: 40, memoryUsedPercent: 70, diskFreePercent: 49, rolledUp: { count: 2, since: new Date(T0 - 60_000).toISOString() } }),
    ]);
    expect(folded).toMatchObject({
      observedAt: new Date(T0 + 60_000).toISOString(),
      cpuPercent: 30,
      memoryUsedPercent: 60,
      diskFreePercent: 49,
      rolledUp: { count: 3, since: new Date(T0 - 60_000).toISOString() },
    });
  });

  it('preserves the total count and the earliest time whatever the grouping', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 86_400 }), { minLength: 2, maxLength: 60 }), (offsets) => {
        const heartbeats: HeartbeatRecord[] = offsets.sort((a, b) => a - b).map((s) => heartbeatAt(T0 + s * 1000));
        const once = foldHeartbeats(heartbeats);
        const split = Math.floor(heartbeats.length / 2);
        const twice = foldHeartbeats([foldHeartbeats(heartbeats.slice(0, split || 1)), ...heartbeats.slice(split || 1)]);
        expect(once.rolledUp).toEqual({ count: heartbeats.length, since: heartbeats[0]?.observedAt });
        expect(twice.rolledUp).toEqual(once.rolledUp);
      }),
    );
  });
});

describe('planning a compaction', () => {
  it('leaves one heartbeat per hour and only the newest inventory, and every check transition', () => {
    const heartbeats = Array.from({ length: 180 }, (_, i) => heartbeatAt(T0 + i * 60_000));
    const inventories = [inventoryAt(T0), inventoryAt(T0 + 3_600_000), inventoryAt(T0 + 7_200_000)];
    const checks = Array.from({ length: 50 }, (_, i) => checkAt(T0 + i * 60_000, i % 2 ? 'ok' : 'warning'));
    const plan = planCompaction(rows([...heartbeats, ...inventories, ...checks]));
    const deleted = new Set(plan.deleteIds);
    expect(heartbeats.filter((h) => !deleted.has(h.id))).toHaveLength(3);
    expect(plan.rewrites.map((r) => r.rolledUp?.count)).toEqual([60, 60, 60]);
    expect(inventories.filter((i) => !deleted.has(i.id))).toEqual([inventories[2]]);
    expect(checks.every((c) => !deleted.has(c.id))).toBe(true);
  });

  it('never folds a heartbeat the server may already hold', () => {
    const heartbeats = Array.from({ length: 10 }, (_, i) => heartbeatAt(T0 + i * 60_000));
    expect(planCompaction(rows(heartbeats, true))).toEqual({ deleteIds: [], rewrites: [] });
  });

  it('has nothing to do for one record of each kind', () => {
    expect(planCompaction(rows([heartbeatAt(T0), inventoryAt(T0), checkAt(T0, 'ok')]))).toEqual({ deleteIds: [], rewrites: [] });
  });
});
