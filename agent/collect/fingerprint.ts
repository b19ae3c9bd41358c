import { createHash } from 'node:crypto';
import type { InventoryRecord } from '../../shared/agent/protocol.ts';
import { canonicalJson } from '../../shared/merge/canonical.ts';

/**
 * What an inventory says, without what changes on every look: ids, observation times, uptime
 * and free space (heartbeats and the disk check carry those). Equal fingerprints mean nothing
 * a person would call an inventory change happened, so no new inventory is sent.
 */
export function inventoryFingerprint(record: InventoryRecord): string {
  const { id: _id, observedAt: _observedAt, inventory, ...device } = record;
  const { observedAt: _inventoryAt, uptimeSeconds: _uptime, disks, ...facts } = inventory;
  const stable = { ...device, inventory: { ...facts, disks: disks.map(({ id, totalBytes }) => ({ id, totalBytes })) } };
  return createHash('sha256').update(canonicalJson(stable)).digest('hex');
}
