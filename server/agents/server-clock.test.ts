import { describe, expect, it } from 'vitest';
import type { HeartbeatRecord, InventoryRecord } from '../../shared/agent/protocol.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { makeDevice } from '../../test/support/documents.ts';
import { MAX_OBSERVED_AHEAD_MS, boundToServerClock, withoutFutureWatermark } from './server-clock.ts';
import { applyRecords, type TelemetryState } from './telemetry-pipeline.ts';

const NOW = Date.parse('2026-03-02T10:30:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const heartbeat = (observedAt: string, cpuPercent = 20): HeartbeatRecord => ({ kind: 'heartbeat', id: uuidv7(), observedAt, cpuPercent, memoryUsedPercent: 40 });

describe('boundToServerClock', () => {
  it('takes an observation dated far ahead of the server as made when the server received it', () => {
    const [bounded] = boundToServerClock([heartbeat('2099-01-01T00:00:00.000Z')], NOW);
    expect(bounded?.observedAt).toBe(iso(NOW));
  });

  it('believes a clock a little ahead, and normalizes offsets to UTC', () => {
    const slightlyAhead = iso(NOW + MAX_OBSERVED_AHEAD_MS - 1000);
    expect(boundToServerClock([heartbeat(slightlyAhead)], NOW)[0]?.observedAt).toBe(slightlyAhead);
    expect(boundToServerClock([heartbeat('2026-03-02T11:00:00.000+01:00')], NOW)[0]?.observedAt).toBe('2026-03-02T10:00:00.000Z');
  });

  it("bounds an inventory's own observation and boot times too", () => {
    const inventory: InventoryRecord = {
      kind: 'inventory', id: uuidv7(), observedAt: '2099-01-01T00:00:00.000Z', hostname: 'pos-07', ips: [], macs: [],
      inventory: { disks: [], observedAt: '2099-01-01T00:00:00.000Z', lastBootAt: '2098-12-31T00:00:00.000Z' },
    };
    const [bounded] = boundToServerClock([inventory], NOW);
    expect(bounded).toMatchObject({ observedAt: iso(NOW), inventory: { observedAt: iso(NOW), lastBootAt: iso(NOW) } });
  });

  it('keeps one heartbeat dated 2099 from freezing the watermark: the next real one counts', () => {
    const device = makeDevice(uuidv7(), uuidv7());
    let state: TelemetryState = { checks: {} };
    state = applyRecords({ state, device, records: boundToServerClock([heartbeat('2099-01-01T00:00:00.000Z', 99)], NOW) }).state;
    const next = heartbeat(iso(NOW + 60_000), 10);
    state = applyRecords({ state, device, records: boundToServerClock([next], NOW + 60_000) }).state;
    expect(state.lastHeartbeat?.observedAt).toBe(next.observedAt);
    expect(state.hour).toMatchObject({ weight: 2, cpuSum: 109 });
  });
});

describe('withoutFutureWatermark', () => {
  it('drops a watermark and an open hour left in the future by an earlier bogus heartbeat', () => {
    const frozen: TelemetryState = {
      checks: { disk_space: { state: 'ok', message: 'fine' } },
      lastHeartbeat: { observedAt: '2099-01-01T00:00:00.000Z', cpuPercent: 99 },
      hour: { start: Date.parse('2099-01-01T00:00:00.000Z'), weight: 1, cpuSum: 99, cpuWeight: 1, memorySum: 0, memoryWeight: 0 },
    };
    expect(withoutFutureWatermark(frozen, NOW)).toEqual({ checks: frozen.checks });
  });

  it('leaves a sound state as it is', () => {
    const sound: TelemetryState = { checks: {}, lastHeartbeat: { observedAt: iso(NOW - 1000) }, hour: { start: Date.parse('2026-03-02T10:00:00.000Z'), weight: 1, cpuSum: 0, cpuWeight: 0, memorySum: 0, memoryWeight: 0 } };
    expect(withoutFutureWatermark(sound, NOW)).toBe(sound);
  });
});
