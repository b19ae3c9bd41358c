import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HeartbeatRecord } from '../../shared/agent/protocol.ts';
import { openAgentDatabase, type AgentDatabase } from '../state/database.ts';
import { checkAt, heartbeatAt, inventoryAt } from '../testing/records.ts';
import { Outbox } from './outbox.ts';

const T0 = Date.parse('2026-03-02T10:17:00Z');
const MINUTE = 60_000;
const LIMITS = { maxRecords: 500, maxBytes: 1024 * 1024 };

/** Runs testing/enqueue-and-die.ts in a real child process that SIGKILLs itself. */
async function enqueueAndDie(path: string, count: number, mode?: 'mark'): Promise<{ stdout: string; signal: string | null }> {
  const script = join(import.meta.dirname, '../testing/enqueue-and-die.ts');
  const args = ['--import', 'tsx', script, path, String(count), ...(mode ? [mode] : [])];
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: join(import.meta.dirname, '../..') });
    return { stdout, signal: null };
  } catch (error) {
    const { stdout, signal } = error as { stdout: string; signal: string | null };
    return { stdout, signal };
  }
}

describe('outbox', () => {
  let dir: string;
  let path: string;
  let db: AgentDatabase;
  let outbox: Outbox;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outpost-agent-outbox-'));
    path = join(dir, 'outbox.sqlite');
    db = openAgentDatabase(path);
    outbox = new Outbox(db);
  });
  afterEach(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs in WAL mode with synchronous=FULL', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('deletes only the records the server acknowledged', () => {
    const records = [heartbeatAt(T0), inventoryAt(T0), checkAt(T0, 'warning')];
    outbox.enqueue(records);
    const batch = outbox.oldest(LIMITS);
    expect(batch.map((r) => r.id)).toEqual(records.map((r) => r.id));
    expect(outbox.acknowledge([records[0]!.id, records[2]!.id, 'not-in-the-outbox'])).toBe(2);
    expect(outbox.records()).toEqual([records[1]]);
  });

  it('refuses a record the server would refuse, and stores none of its batch', () => {
    const invalid = { ...heartbeatAt(T0), cpuPercent: 140 } as HeartbeatRecord;
    expect(() => outbox.enqueue([heartbeatAt(T0 + 1), invalid])).toThrow();
    expect(outbox.depth().total).toBe(0);
  });

  it('takes the oldest records within the count and byte limits, but at least one', () => {
    outbox.enqueue(Array.from({ length: 20 }, (_, i) => heartbeatAt(T0 + i * MINUTE)));
    expect(outbox.oldest({ maxRecords: 5, maxBytes: 1e6 })).toHaveLength(5);
    const one = outbox.oldest({ maxRecords: 500, maxBytes: 1 })[0];
    expect(outbox.oldest({ maxRecords: 500, maxBytes: 1 })).toHaveLength(1);
    const threeFit = outbox.oldest({ maxRecords: 500, maxBytes: 3 * (one?.bytes ?? 0) + 2 });
    expect(threeFit).toHaveLength(3);
    expect(threeFit[0]?.id).toBe(one?.id);
  });

  it('keeps what it holds when the file is closed and reopened', () => {
    const records = [heartbeatAt(T0), checkAt(T0, 'critical')];
    outbox.enqueue(records);
    db.close();
    db = openAgentDatabase(path);
    expect(new Outbox(db).records()).toEqual(records);
  });

  it('loses nothing when the process is killed with SIGKILL right after writing', async () => {
    const { stdout, signal } = await enqueueAndDie(path, 25);
    expect(signal).toBe('SIGKILL');
    const written = stdout.trim().split('\n');
    expect(written).toHaveLength(25);
    expect(outbox.records().map((r) => r.id)).toEqual(written);
  });

  it('remembers across a kill which records may have reached the server, and never folds those', async () => {
    expect((await enqueueAndDie(path, 30, 'mark')).signal).toBe('SIGKILL');
    expect(outbox.oldest(LIMITS).every((r) => r.maybeDelivered)).toBe(true);
    expect(outbox.compact(T0).foldedHeartbeats).toBe(0);
    expect(outbox.depth().heartbeat).toBe(30);
  });

  it('marks records in flight once, and can undo a mark the server never saw', () => {
    const records = [heartbeatAt(T0), heartbeatAt(T0 + MINUTE)];
    outbox.enqueue(records);
    expect(outbox.markMaybeDelivered([records[0]!.id])).toEqual([records[0]!.id]);
    expect(outbox.markMaybeDelivered(records.map((r) => r.id))).toEqual([records[1]!.id]);
    outbox.unmarkMaybeDelivered([records[1]!.id]);
    expect(outbox.oldest(LIMITS).map((r) => r.maybeDelivered)).toEqual([true, false]);
  });

  describe('compaction over a day offline', () => {
    it('folds 1,440 heartbeats to at most 25, keeps the newest inventory and every transition', () => {
      const heartbeats = Array.from({ length: 1440 }, (_, i) => heartbeatAt(T0 + i * MINUTE, { cpuPercent: i % 100 }));
      const inventories = Array.from({ length: 24 }, (_, i) => inventoryAt(T0 + i * 60 * MINUTE, `host-${i}`));
      const transitions = Array.from({ length: 40 }, (_, i) => checkAt(T0 + i * 30 * MINUTE, i % 2 === 0 ? 'warning' : 'ok'));
      // Written as a running agent would, compacting before each (failed) delivery attempt.
      for (let minute = 0; minute < 1440; minute++) {
        const now = T0 + minute * MINUTE;
        outbox.enqueue([heartbeats[minute]!, ...inventories.filter((r) => Date.parse(r.observedAt) === now), ...transitions.filter((r) => Date.parse(r.observedAt) === now)]);
        if (minute % 5 === 0) outbox.compact(now);
      }
      const report = outbox.compact(T0 + 1440 * MINUTE);

      const kept = outbox.records();
      const keptHeartbeats = kept.filter((r) => r.kind === 'heartbeat');
      expect(keptHeartbeats.length).toBeLessThanOrEqual(25);
      expect(keptHeartbeats.reduce((n, h) => n + (h.rolledUp?.count ?? 1), 0)).toBe(1440);
      expect(kept.filter((r) => r.kind === 'inventory')).toEqual([inventories[23]]);
      expect(kept.filter((r) => r.kind === 'check')).toEqual(transitions);
      expect(report).toMatchObject({ depth: kept.length, oldestAgeMs: 1440 * MINUTE });
    });

    it('leaves records untouched when there is nothing to fold', () => {
      const records = [heartbeatAt(T0), inventoryAt(T0), checkAt(T0, 'ok')];
      outbox.enqueue(records);
      expect(outbox.compact(T0)).toMatchObject({ foldedHeartbeats: 0, supersededInventories: 0, depth: 3 });
      expect(outbox.records()).toEqual(records);
    });
  });
});
