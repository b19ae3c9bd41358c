import { For, Show } from 'solid-js';
import type { Device } from '../../../shared/schema/device.ts';

/** Who and what the device is: the facts a technician checks against the label on the box. */
export function DeviceIdentity(props: { device: Device; siteName: string }) {
  const device = () => props.device;
  return (
    <section class="card" aria-labelledby="identity-title">
      <h2 id="identity-title">Identity</h2>
      <dl class="device-facts">
        <dt>Site</dt>
        <dd>{props.siteName}</dd>
        <dt>Kind</dt>
        <dd>{device().kind}</dd>
        <Show when={device().model}>
          <dt>Model</dt>
          <dd>{device().model}</dd>
        </Show>
        <Show when={device().serial}>
          <dt>Serial</dt>
          <dd class="mono">{device().serial}</dd>
        </Show>
        <Show when={device().ips.length > 0}>
          <dt>IP address{device().ips.length > 1 ? 'es' : ''}</dt>
          <dd class="mono">{device().ips.join(', ')}</dd>
        </Show>
        <Show when={device().macs.length > 0}>
          <dt>MAC address{device().macs.length > 1 ? 'es' : ''}</dt>
          <dd class="mono">{device().macs.join(', ')}</dd>
        </Show>
        <Show when={device().assignee}>
          <dt>Assignee</dt>
          <dd>{device().assignee}</dd>
        </Show>
        <Show when={device().tags.length > 0}>
          <dt>Tags</dt>
          <dd class="tags">
            <For each={device().tags}>{(tag) => <span class="badge">{tag}</span>}</For>
          </dd>
        </Show>
      </dl>
    </section>
  );
}
