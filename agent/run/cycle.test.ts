import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { Outbox } from '../outbox/outbox.ts';
import { openAgentDatabase, type AgentDatabase } from '../state/database.ts';
import { AgentMemory } from '../state/memory.ts';
import { FakeProbe, fakeSnapshot } from '../testing/fake-probe.ts';
import { runCycle } from './cycle.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const DAY = 86_400_000;

describe('a collection cycle', () => {
  let dir: string;
  let db: AgentDatabase;
  let outbox: Outbox;
  let memory: AgentMemory;
  let probe: FakeProbe;
  let clock: ManualClock;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outpost-agent-cycle-'));
    db = openAgentDatabase(join(dir, 'outbox.sqlite'));
    outbox = new Outbox(db);
    memory = new AgentMemory(db);
    probe = new FakeProbe();
    clock = new ManualClock(T0);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cycle = () => runCycle({ probe, clock, db, outbox, memory, deliveringSinceMs: clock.now() });
  const next = (ms = 60_000) => {
    clock.advance(ms);
    probe.snapshot.uptimeSeconds = (probe.snapshot.uptimeSeconds ?? 0) + ms / 1000;
    return cycle();
  };

  it('records a heartbeat, the first inventory and every check the first time', async () => {
    const report = await cycle();
    expect(report).toMatchObject({ inventory: 'first', recorded: 9 });
    expect(outbox.depth()).toEqual({ heartbeat: 1, inventory: 1, check: 7, total: 9 });
  });

  it('records only a heartbeat while nothing changes', async () => {
    await cycle();
    const report = await next();
    expect(report).toMatchObject({ inventory: 'unchanged', transitions: [], recorded: 1 });
  });

  it('records an inventory when a fact changes, and again after a day without change', async () => {
    await cycle();
    probe.snapshot.network = { ips: ['10.0.0.99'], macs: ['3c:52:82:aa:bb:cc'] };
    expect((await next()).inventory).toBe('changed');
    expect((await next(DAY - 60_000)).inventory).toBe('unchanged');
    expect((await next(60_000)).inventory).toBe('daily');
  });

  it('records a check only when its state changes', async () => {
    await cycle();
    probe.snapshot.disks = [{ id: '/', totalBytes: 100e9, freeBytes: 10e9 }];
    expect((await next()).transitions).toEqual([{ check: 'disk_space', state: 'warning', message: '/ has 10 GB free (10%)' }]);
    probe.snapshot.disks = [{ id: '/', totalBytes: 100e9, freeBytes: 9e9 }];
    expect((await next()).transitions).toEqual([]);
    probe.snapshot.disks = [{ id: '/', totalBytes: 100e9, freeBytes: 4e9 }];
    expect((await next()).transitions.map((t) => t.state)).toEqual(['critical']);
  });

  it('remembers across restarts how long updates have been pending', async () => {
    probe.snapshot.pendingUpdates = 4;
    await cycle();
    const states = async (ms: number) => (await next(ms)).transitions.map((t) => `${t.check}:${t.state}`);
    expect(await states(6 * DAY)).toEqual([]);
    expect(await states(DAY)).toEqual(['pending_updates:warning']);
    probe.snapshot.pendingUpdates = 0;
    expect(await states(60_000)).toEqual(['pending_updates:ok']);
  });

  it('writes records and memory together: a cycle that cannot write leaves no trace', async () => {
    probe.snapshot = fakeSnapshot({ cpu: { loadPercent: 150 } });
    await expect(cycle()).rejects.toThrow();
    expect(outbox.depth().total).toBe(0);
    probe.snapshot = fakeSnapshot({});
    expect((await cycle()).inventory).toBe('first');
  });

  it('counts silence toward the server from when delivery began', async () => {
    await cycle();
    const report = await runCycle({ probe, clock: new ManualClock(T0 + 2 * 3_600_000), db, outbox, memory, deliveringSinceMs: T0 });
    expect(report.transitions).toEqual([
      { check: 'agent_health', state: 'warning', message: 'nothing delivered for 2 h, 9 records waiting: check the network path to the server' },
    ]);
  });
});
