import { A } from '@solidjs/router';
import { HealthBadge, StatusBadge } from '../../ui/DeviceBadges.tsx';
import { ago } from '../../ui/relative-time.ts';
import type { IndexedDevice } from './device-filter.ts';
import { lastObservedAt } from './freshness.ts';

/** One line of the fleet: the whole row opens the device. */
export function DeviceRow(props: { entry: IndexedDevice; now: number }) {
  const device = () => props.entry.device;
  const observed = () => lastObservedAt(device());
  return (
    <A href={`/fleet/${device().id}`} class="device-row" data-health={device().health}>
      <span class="device-name">
        <strong>{device().hostname}</strong>
        <span class="muted device-model">{device().model ?? device().os?.name ?? ''}</span>
      </span>
      <span class="device-badges">
        <span class="device-status">
          <StatusBadge status={device().status} />
        </span>
        <span class="device-health">
          <HealthBadge health={device().health} />
        </span>
      </span>
      <span class="device-where">
        <span class="device-site">{props.entry.siteName}</span>
        <span class="device-kind">{device().kind}</span>
      </span>
      <span class="device-fresh">{observed() ? `as of ${ago(observed(), props.now)}` : 'no report yet'}</span>
    </A>
  );
}
