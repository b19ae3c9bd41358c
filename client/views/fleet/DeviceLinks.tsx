import { A } from '@solidjs/router';
import { For, Show, createMemo, type JSX } from 'solid-js';
import type { Alert } from '../../../shared/schema/alert.ts';
import type { Incident } from '../../../shared/schema/incident.ts';
import type { Risk } from '../../../shared/schema/risk.ts';
import type { Run } from '../../../shared/schema/run.ts';
import { formatDuration } from '../../ui/duration.ts';
import { RecordLine } from '../../ui/RecordLine.tsx';
import { ago, formatDateTime } from '../../ui/relative-time.ts';
import { RISK_BAND_TONE, riskBand } from '../../ui/risk-matrix.ts';
import { ALERT_SEVERITY_TONE, INCIDENT_SEVERITY_TONE } from '../../ui/tones.ts';

const newestFirst = <T,>(items: readonly T[], at: (item: T) => string) => [...items].sort((a, b) => at(b).localeCompare(at(a)));
const ALERT_STATUS_TONE = { open: 'bad', acknowledged: 'warn', resolved: 'ok' } as const;
const ALERT_ORDER = { open: 0, acknowledged: 1, resolved: 2 } as const;

/** A titled list of linked records with a sentence for when there are none. */
function LinkedSection<T>(props: { id: string; title: string; items: readonly T[]; empty: string; more?: JSX.Element; children: (item: T) => JSX.Element }) {
  return (
    <section class="card" aria-labelledby={props.id}>
      <div class="card-head">
        <h2 id={props.id}>
          {props.title} <span class="muted count">{props.items.length}</span>
        </h2>
        {props.more}
      </div>
      <Show when={props.items.length > 0} fallback={<p class="muted">{props.empty}</p>}>
        <ul class="linked-list">
          <For each={props.items}>{(item) => <li>{props.children(item)}</li>}</For>
        </ul>
      </Show>
    </section>
  );
}

const opened = (at: string, now: number) => ({ meta: `opened ${ago(at, now)}`, metaTitle: formatDateTime(at) });

export function DeviceAlerts(props: { alerts: readonly Alert[]; now: number }) {
  // Open first, then acknowledged, then resolved; newest first within each.
  const sorted = createMemo(() => newestFirst(props.alerts, (a) => a.openedAt).sort((a, b) => ALERT_ORDER[a.status] - ALERT_ORDER[b.status]));
  return (
    <LinkedSection id="device-alerts" title="Alerts" items={sorted()} empty="No alerts for this device." more={<A href="/alerts">All alerts</A>}>
      {(alert) => (
        <RecordLine
          badges={
            <>
              <span class={`badge ${ALERT_SEVERITY_TONE[alert.severity]}`}>{alert.severity}</span>
              <span class={`badge ${ALERT_STATUS_TONE[alert.status]}`}>{alert.status}</span>
            </>
          }
          title={alert.message}
          {...opened(alert.openedAt, props.now)}
        />
      )}
    </LinkedSection>
  );
}

export function DeviceIncidents(props: { incidents: readonly Incident[]; now: number }) {
  const sorted = createMemo(() => newestFirst(props.incidents, (i) => i.openedAt));
  return (
    <LinkedSection id="device-incidents" title="Incidents" items={sorted()} empty="No incident involves this device.">
      {(incident) => (
        <RecordLine
          badges={
            <>
              <span class={`badge ${INCIDENT_SEVERITY_TONE[incident.severity]}`}>{incident.severity}</span>
              <span class="badge">{incident.status}</span>
            </>
          }
          title={incident.title}
          href={`/incidents/${incident.id}`}
          {...opened(incident.openedAt, props.now)}
        />
      )}
    </LinkedSection>
  );
}

export function DeviceRisks(props: { risks: readonly Risk[]; now: number }) {
  const sorted = createMemo(() => [...props.risks].sort((a, b) => b.score - a.score));
  const review = (risk: Risk) => {
    const due = Date.parse(risk.nextReviewAt);
    return due < props.now ? `review overdue by ${formatDuration(props.now - due)}` : `review due ${formatDateTime(risk.nextReviewAt)}`;
  };
  return (
    <LinkedSection id="device-risks" title="Linked risks" items={sorted()} empty="No risk in the register names this device.">
      {(risk) => (
        <RecordLine
          badges={
            <>
              <span class={`badge ${RISK_BAND_TONE[riskBand(risk.score)]}`}>score {risk.score}</span>
              <span class="badge">{risk.status}</span>
            </>
          }
          title={risk.title}
          href={`/risks/${risk.id}`}
          meta={review(risk)}
          metaTitle={formatDateTime(risk.nextReviewAt)}
        />
      )}
    </LinkedSection>
  );
}

export function DeviceRuns(props: { runs: readonly Run[]; runbookTitle(id: string): string; now: number }) {
  const sorted = createMemo(() => newestFirst(props.runs, (r) => r.startedAt));
  return (
    <LinkedSection id="device-runs" title="Runbook runs" items={sorted()} empty="No runbook has been run on this device.">
      {(run) => (
        <RecordLine
          badges={<span class={`badge ${run.outcome === 'succeeded' ? 'ok' : run.outcome === undefined ? '' : 'bad'}`}>{run.outcome ?? 'in progress'}</span>}
          title={props.runbookTitle(run.runbookId)}
          href={`/runs/${run.id}`}
          meta={`started ${ago(run.startedAt, props.now)}`}
          metaTitle={formatDateTime(run.startedAt)}
        />
      )}
    </LinkedSection>
  );
}
