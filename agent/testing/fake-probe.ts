import type { SystemProbe, SystemSnapshot } from '../collect/snapshot.ts';

/** A healthy workstation; tests change what they are about. */
export function fakeSnapshot(overrides: Partial<SystemSnapshot>): SystemSnapshot {
  return {
    hostname: 'pos-07',
    os: { name: 'Ubuntu', version: '24.04 LTS' },
    model: 'LENOVO ThinkCentre M70q',
    serial: 'PF2ABCDE',
    cpu: { model: 'Intel Core i5-10400T', cores: 6, loadPercent: 12.5 },
    memory: { totalBytes: 16e9, availableBytes: 8e9 },
    disks: [{ id: '/', totalBytes: 256e9, freeBytes: 128e9 }],
    network: { ips: ['10.0.0.12'], macs: ['3c:52:82:aa:bb:cc'] },
    uptimeSeconds: 3600,
    pendingUpdates: 0,
    antivirus: 'on',
    firewall: 'on',
    ...overrides,
  };
}

/** A machine whose state a test changes between cycles. */
export class FakeProbe implements SystemProbe {
  constructor(public snapshot: SystemSnapshot = fakeSnapshot({})) {}
  async collect(): Promise<SystemSnapshot> {
    return structuredClone(this.snapshot);
  }
}
