import { describe, expect, it } from 'vitest';
import type { AgentRecord, CheckRecord, HeartbeatRecord } from '../../shared/agent/protocol.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import type { Device } from '../../shared/schema/device.ts';
import { makeDevice } from '../../test/support/documents.ts';
import { applyRecords, type TelemetryState } from './telemetry-pipeline.ts';

const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const heartbeat = (ms: number, cpuPercent = 20, memoryUsedPercent = 40): HeartbeatRecord => ({ kind: 'heartbeat', id: uuidv7(), observedAt: at(ms), cpuPercent, memoryUsedPercent });
const check = (ms: number, state: CheckRecord['state'], message = 'C: has 3.1 GB free (4%)'): CheckRecord => ({ kind: 'check', id: uuidv7(), observedAt: at(ms), check: 'disk_space', state, message });

function run(records: AgentRecord[], device: Device = makeDevice(uuidv7(), uuidv7()), state: TelemetryState = { checks: {} }) {
  return applyRecords({ state, device, records });
}

describe('applyRecords', () => {
  it('turns 1,000 heartbeats within an hour into no document change', () => {
    const result = run(Array.from({ length: 1000 }, (_, i) => heartbeat(i * 3000)));
    expect(result.devicePatch).toBeUndefined();
    expect(result.alerts).toEqual([]);
    expect(result.state.hour?.weight).toBe(1000);
  });

  it('rolls heartbeats up once per hour into the trend and the telemetry snapshot', () => {
    let device = makeDevice(uuidv7(), uuidv7());
    let state: TelemetryState = { checks: {} };
    let changes = 0;
    // 1,000 heartbeats a minute apart: 16 full hours close.
    for (let i = 0; i < 1000; i++) {
      const result = run([heartbeat(i * 60_000, i % 2 === 0 ? 10 : 30)], device, state);
      state = result.state;
      if (result.devicePatch) {
        changes++;
        device = { ...device, ...result.devicePatch };
      }
    }
    expect(changes).toBe(16);
    expect(device.trend).toHaveLength(16);
    expect(device.trend[0]).toEqual({ at: at(0), cpuPercent: 20, memoryUsedPercent: 40 });
    expect(device.telemetry?.observedAt).toBe(at(16 * 3_600_000 - 60_000));
  });

  it('keeps one trend point per hour when an hour is rolled up again', () => {
    const first = run([heartbeat(0, 10), heartbeat(3_600_000)]);
    const device = { ...makeDevice(uuidv7(), uuidv7()), ...first.devicePatch };
    const again = run([heartbeat(60_000, 30), heartbeat(3_600_000)], device);
    expect(again.devicePatch?.trend).toEqual([{ at: at(0), cpuPercent: 30, memoryUsedPercent: 40 }]);
  });

  it('weighs a rolled-up heartbeat by the number it stands for', () => {
    const folded: HeartbeatRecord = { ...heartbeat(0, 50), rolledUp: { count: 59, since: at(-3_540_000) } };
    const result = run([heartbeat(1000, 10), folded, heartbeat(3_600_000)]);
    expect(result.devicePatch?.trend?.[0]?.cpuPercent).toBe(49.3);
  });

  it('opens one alert on a problem, updates it on escalation and resolves it on recovery', () => {
    const device = makeDevice(uuidv7(), uuidv7());
    const warning = run([check(0, 'warning', 'C: has 12% free')], device);
    expect(warning.alerts).toHaveLength(1);
    expect(warning.alerts[0]).toMatchObject({ kind: 'open', alert: { rule: 'check.disk_space', severity: 'warning', deviceId: device.id, siteId: device.siteId, status: 'open' } });
    expect(warning.devicePatch).toMatchObject({ health: 'warning', healthReasons: ['C: has 12% free'] });
    const openId = warning.alerts[0]?.kind === 'open' ? warning.alerts[0].alert.id : '';

    const critical = run([check(60_000, 'critical')], { ...device, ...warning.devicePatch }, warning.state);
    expect(critical.alerts).toEqual([{ kind: 'update', id: openId, severity: 'critical', message: 'C: has 3.1 GB free (4%)', at: at(60_000) }]);

    const same = run([check(120_000, 'critical')], { ...device, ...warning.devicePatch, ...critical.devicePatch }, critical.state);
    expect(same.alerts).toEqual([]);
    expect(same.devicePatch).toBeUndefined();

    const ok = run([check(180_000, 'ok', 'C: has 40% free')], { ...device, ...warning.devicePatch, ...critical.devicePatch }, critical.state);
    expect(ok.alerts).toEqual([{ kind: 'resolve', id: openId, at: at(180_000) }]);
    expect(ok.devicePatch).toMatchObject({ health: 'ok', healthReasons: [] });
  });

  it('derives the same alert from the same record, so a re-applied batch writes nothing new', () => {
    const device = makeDevice(uuidv7(), uuidv7());
    const record = check(0, 'critical');
    expect(run([record], device).alerts).toEqual(run([record], device).alerts);
  });

  it('opens no alert while the device is in maintenance, but still reports its health', () => {
    const device = makeDevice(uuidv7(), uuidv7(), { maintenanceUntil: at(3_600_000) });
    const result = run([check(0, 'critical')], device);
    expect(result.alerts).toEqual([]);
    expect(result.devicePatch?.health).toBe('critical');
  });

  it('changes the document for new inventory only when its content changed', () => {
    const device = makeDevice(uuidv7(), uuidv7(), { hostname: 'nw-sto014-ws-01', ips: ['10.0.0.5'], macs: ['00:1a:2b:3c:4d:5e'] });
    const inventory = { kind: 'inventory' as const, id: uuidv7(), observedAt: at(0), hostname: 'nw-sto014-ws-01', ips: ['10.0.0.5'], macs: ['00:1a:2b:3c:4d:5e'], os: { name: 'Windows 11 Pro', version: '23H2' }, inventory: { disks: [{ id: 'C:', totalBytes: 500e9, freeBytes: 200e9 }], memoryBytes: 16e9, observedAt: at(0) } };
    const first = run([inventory], device);
    expect(first.devicePatch).toMatchObject({ os: { name: 'Windows 11 Pro', version: '23H2' }, inventory: { memoryBytes: 16e9 } });
    const updated = { ...device, ...first.devicePatch };
    expect(run([{ ...inventory, id: uuidv7(), observedAt: at(86_400_000), inventory: { ...inventory.inventory, observedAt: at(86_400_000) } }], updated).devicePatch).toBeUndefined();
    expect(run([{ ...inventory, id: uuidv7(), ips: ['10.0.0.9'] }], updated).devicePatch).toMatchObject({ ips: ['10.0.0.9'] });
  });

  it('brings an offline device back online on its next heartbeat', () => {
    const result = run([heartbeat(0)], makeDevice(uuidv7(), uuidv7(), { status: 'offline' }));
    expect(result.devicePatch).toMatchObject({ status: 'online', statusObservedAt: at(0) });
  });
});

describe('heartbeat de-duplication', () => {
  it('counts a re-sent or older heartbeat once, yet still brings the device online', () => {
    const device = makeDevice(uuidv7(), uuidv7());
    const first = run([heartbeat(60_000), heartbeat(120_000)], device);
    expect(first.state.hour?.weight).toBe(2);
    const again = run([heartbeat(120_000), heartbeat(30_000)], { ...device, status: 'offline' }, first.state);
    expect(again.state.hour?.weight).toBe(2);
    expect(again.devicePatch).toMatchObject({ status: 'online' });
    expect(run([heartbeat(180_000)], device, first.state).state.hour?.weight).toBe(3);
  });
});
