import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../agent/clock.ts';
import { deliverPending } from '../../agent/delivery/deliver.ts';
import { httpIngestClient, type IngestClient } from '../../agent/delivery/ingest-client.ts';
import { Outbox } from '../../agent/outbox/outbox.ts';
import { runLoop } from '../../agent/run/agent-loop.ts';
import { runCycle } from '../../agent/run/cycle.ts';
import { silentLogger } from '../../agent/run/logger.ts';
import { openAgentDatabase, type AgentDatabase } from '../../agent/state/database.ts';
import { AgentMemory } from '../../agent/state/memory.ts';
import { FakeProbe } from '../../agent/testing/fake-probe.ts';
import type { AgentRecord, CheckRecord, EnrollResponse, HeartbeatRecord, IngestBatch } from '../../shared/agent/protocol.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { delay } from './support/agent-cli.ts';
import { addSite, expectedAlertWrites, issueEnrollmentToken, pullAlerts, pullDevice, readAppliedState, watchAlertWrites } from './support/server-fixtures.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const OFFLINE_CYCLES = 1_440;
const TOTAL_BYTES = 100e9;
const hourOf = (record: AgentRecord) => Math.floor(Date.parse(record.observedAt) / HOUR) * HOUR;

describe('a day with the server down, then up', () => {
  let server: TestServer;
  let dir: string;
  let db: AgentDatabase;
  let alertWrites = new Map<string, number>();
  let stopWatching: () => void = () => undefined;

  beforeEach(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'outpost-agent-day-'));
    db = openAgentDatabase(join(dir, 'outbox.sqlite'));
    ({ writes: alertWrites, stop: stopWatching } = watchAlertWrites(server));
  });

  afterEach(async () => {
    stopWatching();
    db.close();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the outbox bounded offline, then delivers roll-ups and every transition once', async () => {
    const siteId = await addSite(server);
    const { token } = await issueEnrollmentToken(server, siteId);
    const enrollment = await fetch(`${server.url}/api/agent/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, hostname: 'nw-sto014-pos-07', deviceKind: 'pos', agentVersion: '0.1.0' }),
    });
    expect(enrollment.status).toBe(201);
    const { deviceId, deviceSecret } = (await enrollment.json()) as EnrollResponse;

    // The agent's day ends 20 minutes before the real now, so nothing it sends is from the future.
    const startMs = Math.floor(Date.now() / MINUTE) * MINUTE - DAY - 20 * MINUTE;
    const clock = new ManualClock(startMs);
    const probe = new FakeProbe();
    const outbox = new Outbox(db);
    const memory = new AgentMemory(db);

    // The clock the HTTP client measures skew with is the machine's, which agrees with the
    // server's; the manual clock only stands for the day passing.
    const credential = { deviceId, deviceSecret, clock: systemClock };
    const unreachable = httpIngestClient({ server: `http://127.0.0.1:${await closedPort()}`, ...credential });
    const live = httpIngestClient({ server: server.url, ...credential });
    let isServerUp = false;
    let offlineAttempts = 0;
    /** Every record the server received, by id, with how many times it arrived. */
    const received = new Map<string, AgentRecord>();
    const arrivals = new Map<string, number>();
    const client: IngestClient = {
      async send(body) {
        if (!isServerUp) {
          offlineAttempts += 1;
          return unreachable.send(body);
        }
        for (const record of (JSON.parse(body) as IngestBatch).records) {
          received.set(record.id, record);
          arrivals.set(record.id, (arrivals.get(record.id) ?? 0) + 1);
        }
        return live.send(body);
      },
    };

    // The day's story: the disk fills (warning, then critical) and is cleaned up; the firewall is off for an hour.
    const freePercentAt = (offsetMs: number) => (offsetMs < 4 * HOUR ? 50 : offsetMs < 6 * HOUR ? 12 : offsetMs < 9 * HOUR ? 3 : 50);
    const firewallAt = (offsetMs: number) => (offsetMs >= 15 * HOUR && offsetMs < 16 * HOUR ? 'off' : 'on');
    const lookAtMachine = () => {
      const offsetMs = clock.now() - startMs;
      probe.snapshot.disks = [{ id: '/', totalBytes: TOTAL_BYTES, freeBytes: (TOTAL_BYTES * freePercentAt(offsetMs)) / 100 }];
      probe.snapshot.firewall = firewallAt(offsetMs);
    };

    let cycles = 0;
    let offlineCycles = 0;
    let deepest = 0;
    let deepestHeartbeats = 0;
    const endMs = startMs + DAY + 15 * MINUTE;
    const controller = new AbortController();
    lookAtMachine();
    await runLoop({
      intervalMs: MINUTE,
      clock,
      cycle: (deliveringSinceMs) => {
        cycles += 1;
        if (!isServerUp) offlineCycles += 1;
        return runCycle({ probe, clock, db, outbox, memory, deliveringSinceMs });
      },
      deliver: (shouldStop) => deliverPending({ outbox, memory, client, clock, agentVersion: '0.1.0', shouldStop }),
      sleep: async (ms) => {
        if (!isServerUp) {
          const depth = outbox.depth();
          deepest = Math.max(deepest, depth.total);
          deepestHeartbeats = Math.max(deepestHeartbeats, depth.heartbeat);
        }
        clock.advance(ms);
        probe.snapshot.uptimeSeconds = (probe.snapshot.uptimeSeconds ?? 0) + ms / 1000;
        lookAtMachine();
        // The server comes back after a day: 1,440 cycles of 60 s. Silent for a whole day, the
        // agent calls its own health critical in the first cycle after, before it delivers.
        if (clock.now() >= startMs + DAY) isServerUp = true;
        if (clock.now() >= endMs) controller.abort();
      },
      signal: controller.signal,
      log: silentLogger,
      random: () => 0.5,
    });

    // Offline: the outbox stayed bounded (an hourly heartbeat, one inventory, the transitions),
    // and delivery backed off instead of trying every minute.
    expect(offlineCycles).toBe(OFFLINE_CYCLES);
    expect(cycles).toBeGreaterThan(OFFLINE_CYCLES);
    expect(received.size).toBeGreaterThan(0);
    expect(deepest).toBeLessThanOrEqual(50);
    expect(deepestHeartbeats).toBeLessThanOrEqual(26 + 5);
    expect(offlineAttempts).toBeGreaterThan(100);
    expect(offlineAttempts).toBeLessThan(OFFLINE_CYCLES);

    // Online: the outbox drained, and nothing arrived twice.
    expect(outbox.depth().total).toBe(0);
    expect([...arrivals.values()].every((n) => n === 1)).toBe(true);
    const records = [...received.values()];
    const heartbeats = records.filter((r): r is HeartbeatRecord => r.kind === 'heartbeat');
    // Every cycle's heartbeat is in what arrived, folded into hourly roll-ups while offline.
    expect(heartbeats.reduce((n, h) => n + (h.rolledUp?.count ?? 1), 0)).toBe(cycles);
    const offlineHours = new Set(heartbeats.filter((h) => Date.parse(h.observedAt) < startMs + DAY).map(hourOf));
    expect(heartbeats.filter((h) => h.rolledUp !== undefined).length).toBeGreaterThanOrEqual(offlineHours.size - 1);

    const history = (check: CheckRecord['check']) =>
      records.filter((r): r is CheckRecord => r.kind === 'check' && r.check === check).sort((a, b) => (a.observedAt < b.observedAt ? -1 : 1)).map((r) => r.state);
    expect(history('disk_space')).toEqual(['ok', 'warning', 'critical', 'ok']);
    expect(history('firewall')).toEqual(['ok', 'warning', 'ok']);
    expect(history('agent_health')).toEqual(['ok', 'warning', 'critical', 'ok']);
    expect(history('clock_skew')).toEqual(['unknown', 'ok']);

    // Heartbeat soft state is flushed within a second.
    await delay(1_500);
    const applied = await readAppliedState(server, deviceId);
    // Records that change documents are applied once, durably, under exactly the ids sent.
    expect(applied.recordIds).toEqual(records.filter((r) => r.kind !== 'heartbeat').map((r) => r.id).sort());
    // The open hour weighs each heartbeat of that hour once.
    const openHour = applied.telemetryState.hour;
    expect(openHour?.weight).toBe(heartbeats.filter((h) => hourOf(h) === openHour?.start).reduce((n, h) => n + (h.rolledUp?.count ?? 1), 0));

    // The device gained one trend point per closed hour, at the hour, with the day's averages.
    const device = await pullDevice(server, deviceId);
    const hours = [...new Set(heartbeats.map(hourOf))].sort((a, b) => a - b);
    expect(hours.length).toBeGreaterThanOrEqual(25);
    expect(device?.trend.map((point) => Date.parse(point.at))).toEqual(hours.slice(0, -1));
    expect(device?.trend.length).toBeGreaterThanOrEqual(23);
    expect(device?.trend.every((point) => point.cpuPercent === 12.5 && point.memoryUsedPercent === 50)).toBe(true);
    expect(device).toMatchObject({ health: 'ok', hostname: 'pos-07', status: 'online' });

    // Each transition made its alert write once: open on warning, update on critical, resolve on ok.
    const alerts = await pullAlerts(server, deviceId);
    const checks = records.filter((r): r is CheckRecord => r.kind === 'check');
    for (const check of new Set(checks.map((r) => r.check))) {
      const expected = expectedAlertWrites(checks.filter((r) => r.check === check));
      const forCheck = alerts.filter((a) => a.rule === `check.${check}`);
      expect(forCheck, `alerts for ${check}`).toHaveLength(expected.opened);
      expect(forCheck.reduce((n, a) => n + (alertWrites.get(a.id) ?? 0), 0), `alert writes for ${check}`).toBe(expected.writes);
    }
    const diskTransitions = checks.filter((r) => r.check === 'disk_space').sort((a, b) => (a.observedAt < b.observedAt ? -1 : 1));
    expect(alerts.filter((a) => a.rule === 'check.disk_space')).toEqual([
      expect.objectContaining({ severity: 'critical', status: 'resolved', openedAt: diskTransitions[1]?.observedAt, resolvedAt: diskTransitions[3]?.observedAt }),
    ]);
    expect(alerts.filter((a) => a.rule === 'check.firewall')).toEqual([expect.objectContaining({ severity: 'warning', status: 'resolved' })]);
    expect(alerts.filter((a) => a.rule === 'check.agent_health')).toEqual([expect.objectContaining({ severity: 'critical', status: 'resolved' })]);
    expect(alerts.every((a) => a.status === 'resolved')).toBe(true);
  });
});

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
