import { A } from '@solidjs/router';
import { For, Show, createMemo } from 'solid-js';
import type { Incident } from '../../../shared/schema/incident.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { useDocuments } from '../../data/queries.ts';
import { Notice, createSaving } from '../../ui/Notice.tsx';
import { changeIncident } from './incident-writes.ts';
import { LinkPicker } from './LinkPicker.tsx';

const HEALTH_TONE = { ok: 'ok', warning: 'warn', critical: 'bad' } as const;

/** The devices an incident concerns; more can be linked from the incident's site. */
export function LinkedDevices(props: { incident: Incident; canUpdate: boolean }) {
  const replica = useReplica();
  const linked = useDocuments('devices', () => ({ selector: { id: { $in: props.incident.deviceIds } } }));
  const atSite = useDocuments('devices', () => ({ selector: { siteId: props.incident.siteId } }));
  const candidates = createMemo(() =>
    atSite()
      .filter((d) => !props.incident.deviceIds.includes(d.id))
      .sort((a, b) => a.hostname.localeCompare(b.hostname))
      .map((d) => ({ value: d.id, label: `${d.hostname} (${d.kind})` })),
  );
  const { isSaving, notice, save } = createSaving();
  const hostname = (id: string) => atSite().find((d) => d.id === id)?.hostname ?? linked().find((d) => d.id === id)?.hostname ?? 'a device';

  const link = (deviceId: string) =>
    void save(
      () => changeIncident(replica, props.incident, (current) => ({ ...current, deviceIds: [...new Set([...current.deviceIds, deviceId])] }), { kind: 'link', text: `Linked device ${hostname(deviceId)}.` }),
      `Linked ${hostname(deviceId)}.`,
    );
  const unlink = (deviceId: string) =>
    void save(
      () => changeIncident(replica, props.incident, (current) => ({ ...current, deviceIds: current.deviceIds.filter((id) => id !== deviceId) }), { kind: 'link', text: `Unlinked device ${hostname(deviceId)}.` }),
      `Unlinked ${hostname(deviceId)}.`,
    );

  return (
    <section class="card" aria-labelledby="incident-devices-title">
      <h2 id="incident-devices-title">Devices</h2>
      <ul class="link-list">
        <For each={linked()} fallback={<li class="muted">No devices linked.</li>}>
          {(device) => (
            <li>
              <A href={`/fleet/${device.id}`}>{device.hostname}</A>
              <span class={`badge ${HEALTH_TONE[device.health]}`}>{device.health}</span>
              <span class="muted">{device.kind}</span>
              <Show when={props.canUpdate}>
                <button type="button" class="small" disabled={isSaving()} aria-label={`Unlink ${device.hostname}`} onClick={() => unlink(device.id)}>
                  Unlink
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={props.canUpdate}>
        <LinkPicker id="link-device" label="Link a device at this site" candidates={candidates()} emptyText="Every device of this site is linked." isBusy={isSaving()} onLink={link} />
      </Show>
      <Notice message={notice()} />
    </section>
  );
}
