import type { Device } from '../../../shared/schema/device.ts';

/** The newest moment anything about the device was observed by its agent (or the server's status check). */
export function lastObservedAt(device: Pick<Device, 'statusObservedAt' | 'telemetry' | 'inventory'>): string | undefined {
  const moments = [device.statusObservedAt, device.telemetry?.observedAt, device.inventory?.observedAt].filter((m): m is string => m !== undefined);
  return moments.sort().at(-1);
}
