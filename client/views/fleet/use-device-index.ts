import { createMemo, type Accessor } from 'solid-js';
import { map } from 'rxjs';
import type { Device } from '../../../shared/schema/device.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { useDocuments } from '../../data/queries.ts';
import { createRxSignal } from '../../ui/rx.ts';
import { buildDeviceIndex, type DeviceIndex } from './device-filter.ts';

/**
 * Every device on this device's replica, indexed for searching: one live query, rebuilt only
 * when devices or sites change. Undefined until the replica has answered, so a screen never
 * shows "0 devices" while it is still reading.
 */
export function useDeviceIndex(): Accessor<DeviceIndex | undefined> {
  const replica = useReplica();
  const devices = createRxSignal<Device[] | undefined>(
    () => replica.db.devices.find().$.pipe(map((documents) => documents.map((document) => document.toJSON() as unknown as Device))),
    undefined,
  );
  const sites = useDocuments('sites');
  return createMemo(() => {
    const list = devices();
    return list ? buildDeviceIndex(list, sites()) : undefined;
  });
}
