import { A, useParams } from '@solidjs/router';
import { For, Match, Show, Switch, createMemo } from 'solid-js';
import { map } from 'rxjs';
import { canRead } from '../../../shared/auth/permissions.ts';
import type { Device } from '../../../shared/schema/device.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { highestRole } from '../../app/session.ts';
import { useDocuments } from '../../data/queries.ts';
import { HealthBadge, StatusBadge } from '../../ui/DeviceBadges.tsx';
import { useNow } from '../../ui/now.ts';
import { ago, formatDateTime } from '../../ui/relative-time.ts';
import { createRxSignal } from '../../ui/rx.ts';
import { DeviceIdentity } from './DeviceIdentity.tsx';
import { DeviceInventory } from './DeviceInventory.tsx';
import { DeviceAlerts, DeviceIncidents, DeviceRisks, DeviceRuns } from './DeviceLinks.tsx';
import { DeviceNotesForm } from './DeviceNotesForm.tsx';
import { DeviceTrend } from './DeviceTrend.tsx';
import { lastFleetHref } from './fleet-params.ts';
import { lastObservedAt } from './freshness.ts';
import './device-detail.css';

export default function DeviceDetail() {
  const params = useParams<{ id: string }>();
  const replica = useReplica();
  const now = useNow();
  // undefined while the replica is being read, null when the device is not on it.
  const device = createRxSignal<Device | null | undefined>(
    () => replica.db.devices.findOne(params.id).$.pipe(map((document) => (document ? (document.toJSON() as unknown as Device) : null))),
    undefined,
  );
  const sites = useDocuments('sites');
  const siteName = () => sites().find((site) => site.id === device()?.siteId)?.name ?? 'Unknown site';
  const alerts = useDocuments('alerts', () => ({ selector: { deviceId: params.id } }));
  const runs = useDocuments('runs', () => ({ selector: { deviceId: params.id } }));
  const runbooks = useDocuments('runbooks');
  const runbookTitle = (id: string) => runbooks().find((runbook) => runbook.id === id)?.title ?? 'A runbook not on this device';
  const incidents = useDocuments('incidents');
  const risks = useDocuments('risks');
  const canReadRisks = () => canRead(highestRole(replica.user), 'risks');
  const linkedIncidents = createMemo(() => incidents().filter((incident) => incident.deviceIds.includes(params.id)));
  const linkedRisks = createMemo(() => risks().filter((risk) => risk.links.deviceIds.includes(params.id)));
  const isInMaintenance = () => {
    const until = device()?.maintenanceUntil;
    return until !== undefined && Date.parse(until) > now();
  };

  return (
    <section class="page device-detail" aria-labelledby="device-title">
      <A class="back-link" href={lastFleetHref()}>
        <span aria-hidden="true">←</span> Fleet
      </A>
      <Switch>
        <Match when={device() === undefined}>
          <p class="muted">Reading the device…</p>
        </Match>
        <Match when={device() === null}>
          <h1 id="device-title">Device not found</h1>
          <p>This device is not on this device's replica: it may have been removed, or it belongs to a site you cannot see.</p>
        </Match>
        <Match when={device()}>
          {(current) => (
            <>
              <header class="device-head">
                <div class="device-head-main">
                  <h1 id="device-title">{current().hostname}</h1>
                  <p class="device-head-meta">
                    <StatusBadge status={current().status} />
                    <HealthBadge health={current().health} />
                    <Show when={isInMaintenance()}>
                      <span class="badge info" title={formatDateTime(current().maintenanceUntil)}>
                        maintenance until {formatDateTime(current().maintenanceUntil)}
                      </span>
                    </Show>
                    <span class="muted">
                      {siteName()} · {current().kind}
                    </span>
                  </p>
                  <p class="muted device-freshness" title={formatDateTime(lastObservedAt(current()))}>
                    {lastObservedAt(current()) ? `Last report as of ${ago(lastObservedAt(current()), now())}` : 'No report from this device yet'}
                  </p>
                </div>
                <A class="button primary" href={`/runbooks?deviceId=${current().id}`}>
                  Start a runbook
                </A>
              </header>
              <Show when={current().healthReasons.length > 0}>
                <section class={`card health-reasons tone-${current().health}`} aria-labelledby="reasons-title">
                  <h2 id="reasons-title">Why it is {current().health}</h2>
                  <ul>
                    <For each={current().healthReasons}>{(reason) => <li>{reason}</li>}</For>
                  </ul>
                </section>
              </Show>
              <div class="device-columns">
                <div class="device-column">
                  <DeviceTrend device={current()} now={now()} />
                  <DeviceInventory device={current()} now={now()} />
                  <DeviceIdentity device={current()} siteName={siteName()} />
                </div>
                <div class="device-column">
                  <DeviceAlerts alerts={alerts()} now={now()} />
                  <DeviceIncidents incidents={linkedIncidents()} now={now()} />
                  <Show when={canReadRisks()}>
                    <DeviceRisks risks={linkedRisks()} now={now()} />
                  </Show>
                  <DeviceRuns runs={runs()} runbookTitle={runbookTitle} now={now()} />
                  <DeviceNotesForm device={current()} />
                </div>
              </div>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}
