import { A, useParams } from '@solidjs/router';
import { For, Show, createMemo } from 'solid-js';
import { INCIDENT_STATUS_LABELS } from '../../../shared/incident/status.ts';
import type { Incident } from '../../../shared/schema/incident.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { mayWrite } from '../../data/may-write.ts';
import { usePersonName } from '../../data/people.ts';
import { useDocument, useDocuments } from '../../data/queries.ts';
import { NotOnDevice } from '../../ui/NotOnDevice.tsx';
import { useNow } from '../../ui/now.ts';
import { ago, formatDateTime } from '../../ui/relative-time.ts';
import { ALERT_SEVERITY_TONE, INCIDENT_SEVERITY_LABELS, INCIDENT_SEVERITY_TONE } from '../../ui/tones.ts';
import { CollabTextSection } from '../collab/CollabTextSection.tsx';
import { IncidentStatusPanel } from './IncidentStatusPanel.tsx';
import { IncidentTimeline } from './IncidentTimeline.tsx';
import { LinkedDevices } from './LinkedDevices.tsx';
import { LinkedRuns } from './LinkedRuns.tsx';
import { NewIncident } from './NewIncident.tsx';
import { responseTimeText } from './response-time-text.ts';
import '../../ui/lists.css';
import './incidents.css';

const STATUS_TONE = { triage: 'bad', contained: 'warn', resolved: 'ok', closed: 'neutral' } as const;

/** /incidents/new reports one; /incidents/:id shows one. */
export default function IncidentDetail() {
  const params = useParams<{ id: string }>();
  return (
    <Show when={params.id !== 'new'} fallback={<NewIncident />}>
      <IncidentPage id={params.id} />
    </Show>
  );
}

function IncidentPage(props: { id: string }) {
  const incident = useDocument('incidents', () => props.id);
  return (
    <Show when={incident()} fallback={<NotOnDevice title="Incident not found" backHref="/incidents" backLabel="Incidents" />}>
      {(current) => <IncidentView incident={current()} />}
    </Show>
  );
}

function IncidentView(props: { incident: Incident }) {
  const replica = useReplica();
  const now = useNow();
  const personName = usePersonName();
  const site = useDocument('sites', () => props.incident.siteId);
  const alerts = useDocuments('alerts', () => ({ selector: { id: { $in: props.incident.alertIds } } }));
  // "May edit it" is an edit that changes nothing: the role and site rules alone decide.
  const canUpdate = createMemo(() => mayWrite(replica, 'incidents', props.incident, props.incident));
  const times = () => responseTimeText(props.incident, now());

  return (
    <article class="page incident" aria-labelledby="incident-title">
      <A class="back" href="/incidents">
        ← Incidents
      </A>
      <header class="incident-head">
        <div class="badges">
          <span class={`badge ${INCIDENT_SEVERITY_TONE[props.incident.severity]}`}>{INCIDENT_SEVERITY_LABELS[props.incident.severity]}</span>
          <span class={`badge ${STATUS_TONE[props.incident.status]}`} data-testid="incident-status">
            {INCIDENT_STATUS_LABELS[props.incident.status]}
          </span>
        </div>
        <h1 id="incident-title">{props.incident.title}</h1>
        <p class="muted">
          {site()?.name ?? 'Unknown site'} · opened <time datetime={props.incident.openedAt} title={formatDateTime(props.incident.openedAt)}>{ago(props.incident.openedAt, now())}</time> by{' '}
          {personName(props.incident.openedBy)}
          <Show when={props.incident.closedAt}>{(closedAt) => <> · closed {formatDateTime(closedAt())}</>}</Show>
        </p>
        <p class="response-line">
          <span data-testid="time-to-acknowledge" classList={{ running: times().acknowledge.isRunning }}>
            {times().acknowledge.text}
          </span>
          <span data-testid="time-to-resolve" classList={{ running: times().resolve.isRunning }}>
            {times().resolve.text}
          </span>
        </p>
      </header>
      <div class="incident-layout">
        <div class="incident-main">
          <Show when={props.incident.summary}>
            <section class="card" aria-labelledby="incident-summary-title">
              <h2 id="incident-summary-title">Summary</h2>
              <p class="prewrap">{props.incident.summary}</p>
            </section>
          </Show>
          <Show when={canUpdate()}>
            <IncidentStatusPanel incident={props.incident} />
          </Show>
          <IncidentTimeline incident={props.incident} now={now()} />
          <CollabTextSection target={{ collection: 'incidents', id: props.incident.id }} title="Post-incident review" canEdit={canUpdate()} emptyText="No review written yet." />
        </div>
        <aside class="incident-side" aria-label="Incident facts and links">
          <LinkedDevices incident={props.incident} canUpdate={canUpdate()} />
          <LinkedRuns incident={props.incident} canUpdate={canUpdate()} now={now()} />
          <Show when={alerts().length > 0}>
            <section class="card" aria-labelledby="incident-alerts-title">
              <h2 id="incident-alerts-title">Alerts</h2>
              <ul class="link-list">
                <For each={alerts()}>
                  {(alert) => (
                    <li>
                      <span class={`badge ${ALERT_SEVERITY_TONE[alert.severity]}`}>{alert.severity}</span>
                      <span>{alert.message}</span>
                      <span class="muted">{alert.status}</span>
                    </li>
                  )}
                </For>
              </ul>
            </section>
          </Show>
        </aside>
      </div>
    </article>
  );
}
