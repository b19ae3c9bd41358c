import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRecord, CheckRecord, HeartbeatRecord } from '../../shared/agent/protocol.ts';
import { ManualClock } from '../clock.ts';
import { deliverPending } from '../delivery/deliver.ts';
import { Outbox } from '../outbox/outbox.ts';
import { openAgentDatabase, type AgentDatabase } from '../state/database.ts';
import { AgentMemory } from '../state/memory.ts';
import { FakeIngest } from '../testing/fake-ingest.ts';
import { FakeProbe } from '../testing/fake-probe.ts';
import { runLoop } from './agent-loop.ts';
import { runCycle } from './cycle.ts';
import { silentLogger } from './logger.ts';

const T0 = Date.parse('2026-03-02T10:17:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('the run loop', () => {
  let dir: string;
  let db: AgentDatabase;
  let outbox: Outbox;
  let memory: AgentMemory;
  let probe: FakeProbe;
  let clock: ManualClock;
  let ingest: FakeIngest;
  let cycles: number;

  beforeEach(() => {
    cycles = 0;
    dir = mkdtempSync(join(tmpdir(), 'outpost-agent-loop-'));
    db = openAgentDatabase(join(dir, 'outbox.sqlite'));
    outbox = new Outbox(db);
    memory = new AgentMemory(db);
    probe = new FakeProbe();
    clock = new ManualClock(T0);
    ingest = new FakeIngest();
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the real loop on the manual clock; `onTick` sees the time after every sleep. */
  async function simulate(untilMs: number, onTick: (nowMs: number) => void = () => undefined): Promise<void> {
    const controller = new AbortController();
    await runLoop({
      intervalMs: MINUTE,
      clock,
      cycle: (deliveringSinceMs) => {
        cycles += 1;
        return runCycle({ probe, clock, db, outbox, memory, deliveringSinceMs });
      },
      deliver: (shouldStop) => deliverPending({ outbox, memory, client: ingest, clock, agentVersion: '0.1.0', shouldStop }),
      sleep: async (ms) => {
        clock.advance(ms);
        probe.snapshot.uptimeSeconds = (probe.snapshot.uptimeSeconds ?? 0) + ms / 1000;
        onTick(clock.now());
        if (clock.now() >= untilMs) controller.abort();
      },
      signal: controller.signal,
      log: silentLogger,
      random: () => 0.5,
    });
  }

  it('delivers after every collection while the server is up', async () => {
    await simulate(T0 + 10 * MINUTE);
    expect(outbox.depth().total).toBe(0);
    const heartbeats = [...ingest.stored.values()].filter((r) => r.kind === 'heartbeat');
    expect(heartbeats).toHaveLength(10);
    expect(heartbeats.every((h) => h.rolledUp === undefined)).toBe(true);
  });

  it('survives a day with the server down: bounded outbox, roll-ups delivered, every transition, nothing twice', async () => {
    ingest.isOnline = false;
    let deepest = 0;
    await simulate(T0 + DAY + 10 * MINUTE, (now) => {
      if (now >= T0 + 5 * HOUR && now < T0 + 9 * HOUR) probe.snapshot.firewall = 'off';
      else probe.snapshot.firewall = 'on';
      probe.snapshot.disks = [{ id: '/', totalBytes: 100e9, freeBytes: now >= T0 + 12 * HOUR && now < T0 + 13 * HOUR ? 10e9 : 50e9 }];
      if (now >= T0 + DAY) ingest.isOnline = true;
      else deepest = Math.max(deepest, outbox.depth().total);
    });

    const stored = [...ingest.stored.values()];
    // Bounded while offline: one heartbeat per hour, one inventory, the transitions.
    expect(deepest).toBeLessThanOrEqual(25 + 1 + 20);
    expect(outbox.depth().total).toBe(0);
    // Nothing twice: each record id arrived once.
    expect([...ingest.arrivals.values()].every((n) => n === 1)).toBe(true);

    const heartbeats = stored.filter((r): r is HeartbeatRecord => r.kind === 'heartbeat');
    expect(heartbeats.reduce((n, h) => n + (h.rolledUp?.count ?? 1), 0)).toBe(cycles);
    expect(heartbeats.filter((h) => h.rolledUp).length).toBeLessThanOrEqual(25);

    // Only the newest inventory of the offline day was worth sending.
    expect(stored.filter((r) => r.kind === 'inventory')).toHaveLength(1);

    const history = (check: CheckRecord['check']) =>
      stored.filter((r): r is CheckRecord => r.kind === 'check' && r.check === check).sort(byTime).map((r) => r.state);
    expect(history('firewall')).toEqual(['ok', 'warning', 'ok']);
    expect(history('disk_space')).toEqual(['ok', 'warning', 'ok']);
    expect(history('agent_health')).toEqual(['ok', 'warning', 'critical', 'ok']);
    expect(history('clock_skew')).toEqual(['unknown', 'ok']);
  });

  it('backs off while the server is down instead of retrying every minute', async () => {
    ingest.isOnline = false;
    await simulate(T0 + 6 * HOUR);
    // With a 5-minute cap and half-window draws, about one attempt per 2.5 minutes after the ramp.
    expect(ingest.attempts).toBeGreaterThan(100);
    expect(ingest.attempts).toBeLessThan(6 * 60);
  });

  it('does not call a night of sleep a delivery failure', async () => {
    await simulate(T0 + 5 * MINUTE, (now) => {
      // The machine sleeps for 8 hours between two cycles.
      if (now === T0 + 2 * MINUTE) clock.advance(8 * HOUR);
    });
    const health = [...ingest.stored.values()].filter((r): r is CheckRecord => r.kind === 'check' && r.check === 'agent_health');
    expect(health.map((r) => r.state)).toEqual(['ok']);
  });
});

const byTime = (a: AgentRecord, b: AgentRecord) => Date.parse(a.observedAt) - Date.parse(b.observedAt);
