import type { Alert } from '../../shared/schema/alert.ts';
import type { Device } from '../../shared/schema/device.ts';
import type { Principal } from '../auth/principal.ts';
import type { RejectedRow, RowAuthorizer, Store, StoredDocument } from '../store/store.ts';
import type { AlertWrite } from './telemetry-pipeline.ts';

const MAX_ATTEMPTS = 5;

/**
 * The store refused a write the server computed from an agent's records. The ingest route
 * answers 422 device_write_refused: the agent sets the records that cause it aside instead of
 * sending them again forever.
 */
export class AgentWriteRefused extends Error {
  constructor(readonly reason: string) {
    super(`the server refused this device's update: ${reason}`);
    this.name = 'AgentWriteRefused';
  }
}

/** Device write contention that outlasted the retries: worth sending again shortly. */
export class DeviceWriteBusy extends Error {
  constructor(deviceId: string) {
    super(`device ${deviceId} kept changing while telemetry was applied`);
    this.name = 'DeviceWriteBusy';
  }
}

/**
 * What an agent may write: its own device document and that device's alerts, in its
 * organization, at whatever site the device is now.
 *
 * The device's current site governs, not the site the agent enrolled at. A technician may move
 * a device to another site (the document records where it is); the agent reports about its
 * device wherever it was moved, so its writes follow the document. Re-homing the agent's
 * credential on every move instead would make each move write agent state too, and still leave
 * a window in which the two disagree and every batch fails. The organization never changes:
 * no document moves between organizations.
 */
const belongsToDevice =
  (deviceId: string, orgId: string) =>
  (document: StoredDocument): boolean =>
    document.orgId === orgId && (document['deviceId'] ?? document.id) === deviceId;

/**
 * Server-computed writes still pass a guard: an agent's changes stay on its own device, and
 * keep the site of the state they were computed from (`siteId`). A device moved meanwhile shows
 * as a conflict (its master changed), decided again on the new site, never as a move.
 */
function ownDeviceOnly(deviceId: string, orgId: string, siteId: string | undefined): RowAuthorizer {
  const isOwn = belongsToDevice(deviceId, orgId);
  return (before, after) => {
    if (!isOwn(after) || (before && !isOwn(before))) return { reason: 'an agent writes only its own device' };
    if (after.siteId !== siteId) return { reason: 'an agent cannot move its device or its alerts to another site' };
    return undefined;
  };
}

/**
 * Applies a field patch to the device's current master, re-reading and re-applying when a person
 * edited the device at the same moment, so neither side's change is lost.
 */
export async function patchDevice(store: Store, principal: Principal, deviceId: string, patch: Partial<Device>): Promise<Device | undefined> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [master] = await store.getMany('devices', [deviceId]);
    if (!master || master._deleted) return undefined;
    const next = { ...master, ...patch, _deleted: false } as StoredDocument;
    const result = await store.push(principal, 'devices', [{ newDocumentState: next, assumedMasterState: master }], {
      authorize: ownDeviceOnly(deviceId, master.orgId, master.siteId),
      isVisible: belongsToDevice(deviceId, master.orgId),
    });
    const refusal = result.rejected[0];
    if (refusal) throw new AgentWriteRefused(refusal.reason);
    if (result.conflicts.length === 0) return next as unknown as Device;
  }
  throw new DeviceWriteBusy(deviceId);
}

export async function writeAlerts(store: Store, principal: Principal, device: Device, writes: readonly AlertWrite[]): Promise<void> {
  const isVisible = belongsToDevice(device.id, device.orgId);
  for (const write of writes) {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (write.kind === 'open') {
        // A deterministic id: re-applying the same transition finds the alert already there.
        const result = await store.push(principal, 'alerts', [{ newDocumentState: { ...write.alert, _deleted: false } as StoredDocument }], {
          authorize: ownDeviceOnly(device.id, device.orgId, device.siteId),
          isVisible,
        });
        throwIfRefused(result.rejected);
        if (result.conflicts.length === 0 || result.conflicts[0]?.['rule'] === write.alert.rule) break;
        continue;
      }
      const [master] = await store.getMany('alerts', [write.id]);
      if (!master || master._deleted || master['status'] === 'resolved') break;
      const alert = master as unknown as Alert;
      const next: Alert =
        write.kind === 'resolve'
          ? { ...alert, status: 'resolved', resolvedAt: write.at, updatedAt: write.at }
          : { ...alert, severity: write.severity, message: write.message, updatedAt: write.at };
      // An alert keeps the site it was opened at, also after its device moved.
      const result = await store.push(principal, 'alerts', [{ newDocumentState: { ...next, _deleted: false } as StoredDocument, assumedMasterState: master }], {
        authorize: ownDeviceOnly(device.id, device.orgId, master.siteId),
        isVisible,
      });
      throwIfRefused(result.rejected);
      if (result.conflicts.length === 0) break;
    }
  }
}

function throwIfRefused(rejected: readonly RejectedRow[]): void {
  const refusal = rejected[0];
  if (refusal) throw new AgentWriteRefused(refusal.reason);
}
