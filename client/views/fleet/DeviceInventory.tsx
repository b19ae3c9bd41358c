import { For, Show } from 'solid-js';
import type { Device } from '../../../shared/schema/device.ts';
import { formatBytes } from '../../ui/bytes.ts';
import { formatDuration } from '../../ui/duration.ts';
import { AsOf } from '../../ui/AsOf.tsx';
import { formatDateTime } from '../../ui/relative-time.ts';

type Inventory = NonNullable<Device['inventory']>;
type Disk = Inventory['disks'][number];
type Protection = Inventory['antivirus'];

const PROTECTION_TONE: Record<NonNullable<Protection>, string> = { on: 'ok', off: 'bad', unknown: '' };

function ProtectionBadge(props: { state: Protection }) {
  return (
    <Show when={props.state} fallback={<span class="muted">not reported</span>}>
      {(state) => <span class={`badge ${PROTECTION_TONE[state()]}`}>{state()}</span>}
    </Show>
  );
}

/** Free space as a bar people read at a glance; red under 5 %, amber under 15 % (the agent's check thresholds). */
function DiskUsage(props: { disk: Disk }) {
  const freePercent = () => (props.disk.totalBytes > 0 ? (props.disk.freeBytes / props.disk.totalBytes) * 100 : 0);
  const tone = () => (freePercent() < 5 ? 'bad' : freePercent() < 15 ? 'warn' : 'ok');
  return (
    <li class="disk">
      <div class="disk-text">
        <strong>{props.disk.id}</strong>
        <span>
          {formatBytes(props.disk.freeBytes)} free of {formatBytes(props.disk.totalBytes)} ({Math.round(freePercent())}%)
        </span>
      </div>
      <div class={`disk-bar tone-${tone()}`} aria-hidden="true">
        <span style={{ width: `${Math.min(100, 100 - freePercent())}%` }} />
      </div>
    </li>
  );
}

/** What the agent last reported about the machine, and when. */
export function DeviceInventory(props: { device: Device; now: number }) {
  return (
    <section class="card" aria-labelledby="inventory-title">
      <div class="card-head">
        <h2 id="inventory-title">Inventory</h2>
        <Show when={props.device.inventory}>{(inventory) => <AsOf at={inventory().observedAt} now={props.now} />}</Show>
      </div>
      <Show when={props.device.inventory} fallback={<p class="muted">No inventory reported: this device has no agent, or it has not reported yet.</p>}>
        {(inventory) => (
          <>
            <dl class="device-facts">
              <Show when={inventory().cpuModel}>
                <dt>Processor</dt>
                <dd>
                  {inventory().cpuModel}
                  {inventory().cpuCores ? `, ${inventory().cpuCores} cores` : ''}
                </dd>
              </Show>
              <Show when={inventory().memoryBytes !== undefined}>
                <dt>Memory</dt>
                <dd>{formatBytes(inventory().memoryBytes ?? 0, 'memory')}</dd>
              </Show>
              <Show when={props.device.os}>
                {(os) => (
                  <>
                    <dt>Operating system</dt>
                    <dd>
                      {os().name} {os().version ?? ''}
                    </dd>
                  </>
                )}
              </Show>
              <Show when={inventory().pendingUpdates !== undefined}>
                <dt>Pending updates</dt>
                <dd>
                  <span class={`badge ${(inventory().pendingUpdates ?? 0) >= 15 ? 'warn' : (inventory().pendingUpdates ?? 0) === 0 ? 'ok' : ''}`}>{inventory().pendingUpdates}</span>
                </dd>
              </Show>
              <dt>Antivirus</dt>
              <dd>
                <ProtectionBadge state={inventory().antivirus} />
              </dd>
              <dt>Firewall</dt>
              <dd>
                <ProtectionBadge state={inventory().firewall} />
              </dd>
              <Show when={inventory().uptimeSeconds !== undefined}>
                <dt>Uptime</dt>
                <dd title={inventory().lastBootAt ? `Booted ${formatDateTime(inventory().lastBootAt)}` : undefined}>{formatDuration((inventory().uptimeSeconds ?? 0) * 1000)}</dd>
              </Show>
              <Show when={inventory().installedSoftwareCount !== undefined}>
                <dt>Installed software</dt>
                <dd>{inventory().installedSoftwareCount?.toLocaleString('en-US')} packages</dd>
              </Show>
            </dl>
            <Show when={inventory().disks.length > 0}>
              <h3 class="disks-title">Disks</h3>
              <ul class="disks">
                <For each={inventory().disks}>{(disk) => <DiskUsage disk={disk} />}</For>
              </ul>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
