import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { HeartbeatRecord, InventoryRecord } from '../../shared/agent/protocol.ts';
import { fakeSnapshot } from '../testing/fake-probe.ts';
import { inventoryFingerprint } from './fingerprint.ts';
import { heartbeatRecord, inventoryRecord, reconcileBootTime } from './records.ts';

const ID_1 = '0190f3a0-0000-7000-8000-0000000000a1';
const ID_2 = '0190f3a0-0000-7000-8000-0000000000a2';
const T0 = Date.parse('2026-03-02T10:00:00.000Z');

describe('records from a snapshot', () => {
  it('makes a heartbeat the server accepts, with the fullest disk and memory pressure', () => {
    const snapshot = fakeSnapshot({
      disks: [
        { id: '/', totalBytes: 100e9, freeBytes: 40e9 },
        { id: '/data', totalBytes: 200e9, freeBytes: 10e9 },
      ],
      memory: { totalBytes: 16e9, availableBytes: 4e9 },
    });
    const heartbeat = heartbeatRecord(snapshot, T0, ID_1);
    expect(v.parse(HeartbeatRecord, heartbeat)).toEqual(heartbeat);
    expect(heartbeat).toMatchObject({ diskFreePercent: 5, memoryUsedPercent: 75, observedAt: '2026-03-02T10:00:00.000Z' });
  });

  it('makes an inventory the server accepts', () => {
    const record = inventoryRecord(fakeSnapshot({ pendingUpdates: 3 }), T0, ID_1, T0 - 3_600_000);
    expect(v.parse(InventoryRecord, record)).toEqual(record);
    expect(record.inventory).toMatchObject({ pendingUpdates: 3, lastBootAt: '2026-03-02T09:00:00.000Z', antivirus: 'on', firewall: 'on' });
  });

  it('fingerprints inventories alike when only times, uptime and free space moved', () => {
    const earlier = inventoryRecord(fakeSnapshot({ uptimeSeconds: 100 }), T0, ID_1, T0);
    const later = inventoryRecord(fakeSnapshot({ uptimeSeconds: 200, disks: [{ id: '/', totalBytes: 256e9, freeBytes: 1e9 }] }), T0 + 60_000, ID_2, T0);
    expect(inventoryFingerprint(later)).toBe(inventoryFingerprint(earlier));
  });

  it('fingerprints inventories apart when a fact changed', () => {
    const base = inventoryFingerprint(inventoryRecord(fakeSnapshot({}), T0, ID_1, T0));
    expect(inventoryFingerprint(inventoryRecord(fakeSnapshot({ network: { ips: ['10.0.0.99'], macs: [] } }), T0, ID_1, T0))).not.toBe(base);
    expect(inventoryFingerprint(inventoryRecord(fakeSnapshot({ pendingUpdates: 9 }), T0, ID_1, T0))).not.toBe(base);
    expect(inventoryFingerprint(inventoryRecord(fakeSnapshot({}), T0, ID_1, T0 + 86_400_000))).not.toBe(base);
  });

  it('keeps the remembered boot time through the wobble of uptime, and notices a reboot', () => {
    const boot = reconcileBootTime(undefined, T0, 3600);
    expect(boot).toBe(T0 - 3_600_000);
    expect(reconcileBootTime(boot, T0 + 60_400, 3661)).toBe(boot);
    expect(reconcileBootTime(boot, T0 + 7_200_000, 30)).toBe(T0 + 7_170_000);
  });
});
