import type { PROTECTION_STATES } from '../../shared/schema/device.ts';

export type ProtectionState = (typeof PROTECTION_STATES)[number];

/**
 * What one look at the machine found. Fields the OS did not tell us are absent, never
 * guessed; timestamps are added by the cycle from its clock, not by the probe.
 */
export interface SystemSnapshot {
  hostname: string;
  os?: { name: string; version?: string };
  model?: string;
  serial?: string;
  cpu?: { model?: string; cores?: number; loadPercent?: number };
  memory?: { totalBytes: number; availableBytes: number };
  disks: Array<{ id: string; totalBytes: number; freeBytes: number }>;
  network: { ips: string[]; macs: string[] };
  uptimeSeconds?: number;
  /** Updates the package manager knows about and has not installed. */
  pendingUpdates?: number;
  antivirus: ProtectionState;
  firewall: ProtectionState;
}

/** Where snapshots come from: the real machine, or a fake in tests. */
export interface SystemProbe {
  collect(): Promise<SystemSnapshot>;
}
