import type { SystemSnapshot } from '../collect/snapshot.ts';
import { formatBytes, formatPercent } from '../format.ts';
import { boundedMessage, type CheckResult, type CheckThresholds } from './check-result.ts';

/** The fullest disk decides; the message names every disk below a threshold, fullest first. */
export function checkDiskSpace(disks: SystemSnapshot['disks'], thresholds: CheckThresholds): CheckResult {
  const measured = disks
    .filter((disk) => disk.totalBytes > 0)
    .map((disk) => ({ ...disk, freePercent: (100 * disk.freeBytes) / disk.totalBytes }))
    .sort((a, b) => a.freePercent - b.freePercent);
  const fullest = measured[0];
  if (!fullest) return { check: 'disk_space', state: 'unknown', message: 'no disks reported' };
  const describe = (disk: (typeof measured)[number]) => `${disk.id} has ${formatBytes(disk.freeBytes)} free (${formatPercent(disk.freePercent)})`;
  const low = measured.filter((disk) => disk.freePercent < thresholds.diskFreeWarningPercent);
  if (low.length === 0) {
    return { check: 'disk_space', state: 'ok', message: `${describe(fullest)}; every disk has at least ${thresholds.diskFreeWarningPercent}% free` };
  }
  const state = fullest.freePercent < thresholds.diskFreeCriticalPercent ? 'critical' : 'warning';
  return { check: 'disk_space', state, message: boundedMessage(low.map(describe).join('; ')) };
}
