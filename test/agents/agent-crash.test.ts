import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckRecord, HeartbeatRecord, InventoryRecord } from '../../shared/agent/protocol.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { AgentProcesses, delay, statusField, type AgentChild } from './support/agent-cli.ts';
import { restartTestServer } from './support/restart-server.ts';
import { IngestProxy, type HeldRequest, type HoldMode } from './support/ingest-proxy.ts';
import {
  addSite,
  byObservedThenId,
  expectedAlertWrites,
  issueEnrollmentToken,
  pullAlerts,
  pullDevice,
  readAppliedState,
  watchAlertWrites,
} from './support/server-fixtures.ts';

const HOUR_MS = 3_600_000;
/** Far enough for the agent's clock-skew check to call it critical. */
const SKEW_MS = 15 * 60_000;
/** The smallest interval `run` accepts; the loop collects and delivers at once on start anyway. */
const INTERVAL_SECONDS = '10';

describe('kill -9 in the middle of a delivery', () => {
  let server: TestServer;
  let proxy: IngestProxy;
  let stateDir: string;
  const agents = new AgentProcesses();
  /** Every committed write to an alert document, by alert id. */
  let alertWrites = new Map<string, number>();
  let stopWatching: () => void = () => undefined;

  beforeEach(async () => {
    server = await startTestServer();
    proxy = await IngestProxy.start(server.url);
    stateDir = mkdtempSync(join(tmpdir(), 'outpost-agent-crash-'));
    ({ writes: alertWrites, stop: stopWatching } = watchAlertWrites(server));
  });

  afterEach(async () => {
    stopWatching();
    await agents.killAll();
    await proxy.close();
    await server.dispose();
    rmSync(stateDir, { recursive: true, force: true });
  });

  /** Starts `run`, waits until the proxy holds its delivery as `mode` says, then SIGKILLs it. */
  async function killDuringDelivery(mode: HoldMode): Promise<HeldRequest> {
    const held = proxy.holdNext(mode);
    const child = agents.start(['run', '--interval', INTERVAL_SECONDS, '--state-dir', stateDir]);
    const holding = await within(15_000, `a delivery to hold (${mode})`, held, child);
    const exit = await agents.kill(child, 'SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    if (mode !== 'before-forward') expect(holding.upstreamStatus).toBe(200);
    return holding;
  }

  const runOnce = async () => {
    const result = await agents.run(['run', '--once', '--state-dir', stateDir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return result;
  };

  it('delivers every record exactly once across five kills at every point of a delivery', async () => {
    const siteId = await addSite(server);
    const { token } = await issueEnrollmentToken(server, siteId);
    const enrolled = await agents.run(['enroll', '--server', proxy.url, '--token', token, '--state-dir', stateDir]);
    expect(enrolled.code).toBe(0);
    const { deviceId } = JSON.parse(readFileSync(join(stateDir, 'credentials.json'), 'utf8')) as { deviceId: string };

    // 1. The server applies the first batch (inventory, every check); the agent dies before the answer.
    const first = await killDuringDelivery('after-forward');
    expect(first.recordIds.length).toBeGreaterThan(2);

    // The server's clock now looks 15 minutes ahead: the next answer makes the agent's skew check fail.
    proxy.dateOffsetMs = SKEW_MS;
    expect((await runOnce()).stdout).toMatch(/0 waiting in the outbox/);
    proxy.dateOffsetMs = 0;

    // 2. The agent records clock_skew critical; that batch is held before it reaches the server.
    const second = await killDuringDelivery('before-forward');
    expect(checksIn(second.recordIds).map((r) => `${r.check}:${r.state}`)).toContain('clock_skew:critical');

    // 3. The held batch reaches the server (the alert opens); the answer never reaches the agent.
    const third = await killDuringDelivery('after-forward');
    expect(third.recordIds).toEqual(expect.arrayContaining(second.recordIds));

    // A clean delivery with the true Date: the agent re-sends, and now measures no skew.
    await runOnce();

    // 4. clock_skew ok is applied (the alert resolves); the agent dies halfway through the answer.
    const fourth = await killDuringDelivery('mid-response');
    expect(checksIn(fourth.recordIds).map((r) => `${r.check}:${r.state}`)).toContain('clock_skew:ok');

    // 5. The same batch again, applied-but-unanswered once more.
    const fifth = await killDuringDelivery('after-forward');
    expect(fifth.recordIds).toEqual(expect.arrayContaining(fourth.recordIds));

    // Finally a clean run through a transparent proxy drains the outbox.
    expect((await runOnce()).stdout).toMatch(/0 waiting in the outbox/);
    const status = await agents.run(['status', '--state-dir', stateDir]);
    expect(statusField(status.stdout, 'outbox')).toBe('0 records waiting');
    expect(statusField(status.stdout, 'device')).toBe(deviceId);

    // The kills did force re-sends, and the server answered every batch it received with 200.
    expect(proxy.resentIds().length).toBeGreaterThan(0);
    expect(proxy.upstreamStatuses.every((s) => s === 200)).toBe(true);
    // Every record the agent ever sent reached the server in the end.
    expect([...proxy.seen.keys()].filter((id) => !proxy.forwardCounts.has(id))).toEqual([]);

    // Heartbeat soft state is flushed within a second.
    await delay(1_500);
    const applied = await readAppliedState(server, deviceId);
    const records = [...proxy.seen.values()];

    // Records that change documents are applied once, durably, under their own ids: no id missing, none extra.
    const documentRecordIds = records.filter((r) => r.kind !== 'heartbeat').map((r) => r.id).sort();
    expect(applied.recordIds).toEqual(documentRecordIds);
    expect(new Set(applied.recordIds).size).toBe(applied.recordIds.length);

    // Heartbeats are de-duplicated by the server's watermark: the open hour weighs each one once.
    const hourStart = applied.telemetryState.hour?.start;
    expect(hourStart).toBeDefined();
    const heartbeatsThisHour = records.filter((r): r is HeartbeatRecord => r.kind === 'heartbeat' && Math.floor(Date.parse(r.observedAt) / HOUR_MS) * HOUR_MS === hourStart);
    expect(applied.telemetryState.hour?.weight).toBe(heartbeatsThisHour.reduce((n, h) => n + (h.rolledUp?.count ?? 1), 0));

    // Alert rules ran once per transition: one alert per problem episode, one write per open/update/resolve.
    const alerts = await pullAlerts(server, deviceId);
    const checks = records.filter((r): r is CheckRecord => r.kind === 'check');
    for (const check of new Set(checks.map((r) => r.check))) {
      const expected = expectedAlertWrites(checks.filter((r) => r.check === check));
      const forCheck = alerts.filter((a) => a.rule === `check.${check}`);
      expect(forCheck, `alerts for ${check}`).toHaveLength(expected.opened);
      expect(forCheck.reduce((n, a) => n + (alertWrites.get(a.id) ?? 0), 0), `alert writes for ${check}`).toBe(expected.writes);
    }
    const skewAlerts = alerts.filter((a) => a.rule === 'check.clock_skew');
    expect(skewAlerts).toEqual([expect.objectContaining({ severity: 'critical', status: 'resolved' })]);
    expect(alertWrites.get(skewAlerts[0]?.id ?? '')).toBe(2);

    // The device shows the newest inventory the agent sent.
    const newestInventory = records.filter((r): r is InventoryRecord => r.kind === 'inventory').sort(byObservedThenId).at(-1);
    const device = await pullDevice(server, deviceId);
    expect(device).toMatchObject({ hostname: newestInventory?.hostname, ips: newestInventory?.ips, macs: newestInventory?.macs });
    expect(device?.inventory?.disks.map((d) => d.id)).toEqual(newestInventory?.inventory.disks.map((d) => d.id));
    expect(device?.health).toBe(healthOf(checks));

    function checksIn(ids: readonly string[]): CheckRecord[] {
      return ids.map((id) => proxy.seen.get(id)).filter((r): r is CheckRecord => r?.kind === 'check');
    }
  });

  it('counts a heartbeat once when the agent re-sends it to a restarted server', async () => {
    const siteId = await addSite(server);
    const { token } = await issueEnrollmentToken(server, siteId);
    expect((await agents.run(['enroll', '--server', proxy.url, '--token', token, '--state-dir', stateDir])).code).toBe(0);
    const { deviceId } = JSON.parse(readFileSync(join(stateDir, 'credentials.json'), 'utf8')) as { deviceId: string };

    // The server applies the first batch, heartbeat included, and the agent dies before the answer.
    const first = await killDuringDelivery('after-forward');
    const firstHeartbeat = first.recordIds.map((id) => proxy.seen.get(id)).find((r) => r?.kind === 'heartbeat');
    expect(firstHeartbeat).toBeDefined();
    // Past the one-second flush, the server restarts (an upgrade, a reboot) on the same data.
    await delay(1_500);
    server = await restartTestServer(server);
    proxy.upstream = server.url;

    // The agent re-sends what it never saw acknowledged: the same heartbeat, under the same id.
    await runOnce();
    expect(proxy.forwardCounts.get(firstHeartbeat?.id ?? '')).toBe(2);
    await delay(1_500);

    const applied = await readAppliedState(server, deviceId);
    const hourStart = applied.telemetryState.hour?.start;
    const heartbeats = [...proxy.seen.values()].filter((r): r is HeartbeatRecord => r.kind === 'heartbeat' && Math.floor(Date.parse(r.observedAt) / HOUR_MS) * HOUR_MS === hourStart);
    expect(applied.telemetryState.hour?.weight, 'the open hour\'s weight: each heartbeat once').toBe(heartbeats.reduce((n, h) => n + (h.rolledUp?.count ?? 1), 0));
  });
});

/** The device's health as the server derives it: the worst last state of any check. */
function healthOf(checks: readonly CheckRecord[]): 'ok' | 'warning' | 'critical' {
  const last = new Map<string, CheckRecord['state']>();
  for (const record of [...checks].sort(byObservedThenId)) last.set(record.check, record.state);
  const states = [...last.values()];
  return states.includes('critical') ? 'critical' : states.includes('warning') ? 'warning' : 'ok';
}

/** `promise`, or a failure naming what never happened (with the agent's stderr) after `ms`. */
async function within<T>(ms: number, what: string, promise: Promise<T>, child: AgentChild): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms; agent stderr: ${child.stderr()}`)), ms);
  });
  const exited = child.exited.then((exit) => {
    throw new Error(`the agent exited (${exit.code ?? exit.signal}) before ${what}: ${exit.stderr}`);
  });
  try {
    return await Promise.race([promise, timeout, exited]);
  } finally {
    clearTimeout(timer);
  }
}
