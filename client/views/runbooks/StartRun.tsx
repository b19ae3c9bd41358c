import { useNavigate } from '@solidjs/router';
import { For, Show, createEffect, createMemo, createSignal } from 'solid-js';
import { appliesToDevice, appliesToSite } from '../../../shared/runbook/applies-to.ts';
import type { Device } from '../../../shared/schema/device.ts';
import type { Run } from '../../../shared/schema/run.ts';
import type { Runbook } from '../../../shared/schema/runbook.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { newId } from '../../data/ids.ts';
import { mayWrite } from '../../data/may-write.ts';
import { useDocuments } from '../../data/queries.ts';
import { createDocument } from '../../data/write.ts';
import { Notice, createSaving } from '../../ui/Notice.tsx';
import { Options } from '../../ui/Options.tsx';

type Target = 'device' | 'site';

/** Start a run of this runbook on one device or for a whole site; it opens as a checklist. */
export function StartRun(props: { runbook: Runbook; deviceId: string | undefined }) {
  const replica = useReplica();
  const navigate = useNavigate();
  const sites = useDocuments('sites');
  const devices = useDocuments('devices', () => (props.runbook.appliesTo.deviceKinds.length > 0 ? { selector: { kind: { $in: props.runbook.appliesTo.deviceKinds } } } : {}));
  const [target, setTarget] = createSignal<Target>('device');
  const [deviceId, setDeviceId] = createSignal('');
  const [siteId, setSiteId] = createSignal('');
  const { isSaving, notice, save } = createSaving();

  const siteName = (id: string) => sites().find((s) => s.id === id)?.name ?? 'Unknown site';
  const applicable = createMemo(() => devices().filter((d) => appliesToDevice(props.runbook, d)));
  const bySite = createMemo(() => {
    const groups = new Map<string, Device[]>();
    for (const device of [...applicable()].sort((a, b) => a.hostname.localeCompare(b.hostname))) groups.set(device.siteId, [...(groups.get(device.siteId) ?? []), device]);
    return [...groups].sort(([a], [b]) => siteName(a).localeCompare(siteName(b)));
  });
  const runnableSites = createMemo(() => sites().filter((s) => appliesToSite(props.runbook, s.id)));

  // From a device's page (?deviceId=) the device is chosen; with one site, so is the site.
  createEffect(() => {
    if (props.deviceId && applicable().some((d) => d.id === props.deviceId)) setDeviceId(props.deviceId);
  });
  createEffect(() => {
    if (siteId() === '' && runnableSites().length === 1) setSiteId(runnableSites()[0]?.id ?? '');
  });

  const runOn = (site: string, device: Device | undefined): Run => {
    const now = new Date().toISOString();
    return {
      id: newId(),
      orgId: props.runbook.orgId,
      siteId: site,
      runbookId: props.runbook.id,
      runbookVersion: props.runbook.version,
      ...(device ? { deviceId: device.id } : {}),
      startedBy: replica.user.id,
      startedAt: now,
      stepResults: [],
      updatedAt: now,
    };
  };
  const draft = (): Run | undefined => {
    const device = target() === 'device' ? applicable().find((d) => d.id === deviceId()) : undefined;
    const site = device?.siteId ?? (target() === 'site' ? siteId() : '');
    return site ? runOn(site, device) : undefined;
  };
  const mayStart = () => {
    const site = runnableSites()[0];
    return props.runbook.status !== 'retired' && site !== undefined && mayWrite(replica, 'runs', undefined, runOn(site.id, undefined), props.runbook);
  };

  const start = async (event: SubmitEvent) => {
    event.preventDefault();
    const run = draft();
    if (!run) return;
    if (await save(() => createDocument(replica, 'runs', run), 'Run started.')) navigate(`/runs/${run.id}`);
  };

  return (
    <Show when={mayStart()} fallback={<p class="muted">{props.runbook.status === 'retired' ? 'This runbook is retired: it can no longer be run.' : 'You cannot start runs of this runbook.'}</p>}>
      <form class="start-run" onSubmit={(event) => void start(event)} aria-labelledby="start-run-title">
        <h2 id="start-run-title">Start a run</h2>
        <Show when={props.runbook.status !== 'approved'}>
          <p class="notice warn">This runbook is not approved yet: follow it with care.</p>
        </Show>
        <fieldset class="segmented">
          <legend>Run it on</legend>
          <label>
            <input type="radio" name="run-target" value="device" checked={target() === 'device'} onChange={() => setTarget('device')} /> One device
          </label>
          <label>
            <input type="radio" name="run-target" value="site" checked={target() === 'site'} onChange={() => setTarget('site')} /> A whole site
          </label>
        </fieldset>
        <Show
          when={target() === 'device'}
          fallback={
            <div class="field">
              <label for="run-site">Site</label>
              <select id="run-site" value={siteId()} onChange={(e) => setSiteId(e.currentTarget.value)}>
                <option value="">Choose a site…</option>
                <Options options={runnableSites().map((site) => ({ value: site.id, label: site.name }))} selected={siteId()} />
              </select>
            </div>
          }
        >
          <div class="field">
            <label for="run-device">Device</label>
            <select id="run-device" value={deviceId()} onChange={(e) => setDeviceId(e.currentTarget.value)}>
              <option value="">{applicable().length === 0 ? 'No device here fits this runbook' : 'Choose a device…'}</option>
              <For each={bySite()}>
                {([site, group]) => (
                  <optgroup label={siteName(site)}>
                    <Options options={group.map((device) => ({ value: device.id, label: device.hostname }))} selected={deviceId()} />
                  </optgroup>
                )}
              </For>
            </select>
          </div>
        </Show>
        <button type="submit" class="primary big" disabled={isSaving() || draft() === undefined}>
          Start run
        </button>
        <Notice message={notice()} />
      </form>
    </Show>
  );
}
