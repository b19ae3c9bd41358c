import type { Device } from '../schema/device.ts';
import type { Runbook } from '../schema/runbook.ts';

/**
 * Whether a runbook is written for a device: each list of its applies-to narrows it (device
 * kinds, device tags — all of them —, sites); an empty list does not narrow.
 */
export function appliesToDevice(runbook: Pick<Runbook, 'appliesTo'>, device: Pick<Device, 'kind' | 'tags' | 'siteId'>): boolean {
  const { deviceKinds, tags, siteIds } = runbook.appliesTo;
  return (
    (deviceKinds.length === 0 || deviceKinds.includes(device.kind)) &&
    tags.every((tag) => device.tags.includes(tag)) &&
    (siteIds.length === 0 || siteIds.includes(device.siteId))
  );
}

/** Whether a runbook can be run for a whole site (one not limited to other sites). */
export function appliesToSite(runbook: Pick<Runbook, 'appliesTo'>, siteId: string): boolean {
  return runbook.appliesTo.siteIds.length === 0 || runbook.appliesTo.siteIds.includes(siteId);
}
