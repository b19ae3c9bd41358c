import type { CheckRecord, HeartbeatRecord, InventoryRecord } from '../../shared/agent/protocol.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';

export const heartbeatAt = (ms: number, overrides: Partial<HeartbeatRecord> = {}): HeartbeatRecord => ({
  kind: 'heartbeat',
  id: uuidv7(ms),
  observedAt: new Date(ms).toISOString(),
  cpuPercent: 10,
  memoryUsedPercent: 50,
  diskFreePercent: 40,
  uptimeSeconds: 1000,
  ...overrides,
});

export const inventoryAt = (ms: number, hostname = 'pos-07'): InventoryRecord => ({
  kind: 'inventory',
  id: uuidv7(ms),
  observedAt: new Date(ms).toISOString(),
  hostname,
  ips: ['10.0.0.12'],
  macs: ['3c:52:82:aa:bb:cc'],
  inventory: { disks: [{ id: '/', totalBytes: 100, freeBytes: 50 }], observedAt: new Date(ms).toISOString() },
});

export const checkAt = (ms: number, state: CheckRecord['state'], check: CheckRecord['check'] = 'disk_space'): CheckRecord => ({
  kind: 'check',
  id: uuidv7(ms),
  observedAt: new Date(ms).toISOString(),
  check,
  state,
  message: `${check} is ${state}`,
});
