import type { Alert } from '../../shared/schema/alert.ts';
import type { Device } from '../../shared/schema/device.ts';
import type { Principal } from '../auth/principal.ts';
import type { RowAuthorizer, Store, StoredDocument } from '../store/store.ts';
import type { AlertWrite } from './telemetry-pipeline.ts';

const MAX_ATTEMPTS = 5;

/** Server-computed writes still pass a guard: an agent's changes stay on its own device and site. */
function ownDeviceOnly(device: Pick<Device, 'id' | 'orgId' | 'siteId'>): RowAuthorizer {
  return (before, after) => {
    const owner = after['deviceId'] ?? after.id;
    if (owner !== device.id || after.orgId !== device.orgId || after.siteId !== device.siteId) return { reason: 'an agent writes only its own device' };
    if (before && (before.orgId !== after.orgId || before.siteId !== after.siteId)) return { reason: 'an agent cannot move its device' };
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
      authorize: ownDeviceOnly(master as unknown as Device),
    });
    if (result.rejected.length > 0) throw new Error(result.rejected[0]?.reason ?? 'device write refused');
    if (result.conflicts.length === 0) return next as unknown as Device;
  }
  throw new Error(`device ${deviceId} kept changing while telemetry was applied`);
}

export async function writeAlerts(store: Store, principal: Principal, device: Device, writes: readonly AlertWrite[]): Promise<void> {
  const guard = ownDeviceOnly(device);
  for (const write of writes) {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (write.kind === 'open') {
        // A deterministic id: re-applying the same transition finds the alert already there.
        const result = await store.push(principal, 'alerts', [{ newDocumentState: { ...write.alert, _deleted: false } as StoredDocument }], { authorize: guard });
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
      const result = await store.push(principal, 'alerts', [{ newDocumentState: { ...next, _deleted: false } as StoredDocument, assumedMasterState: master }], { authorize: guard });
      if (result.conflicts.length === 0) break;
    }
  }
}
