import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import type { Alert } from '../../../shared/schema/alert.ts';
import { ago, formatDateTime } from '../../ui/relative-time.ts';
import { DashCard } from './DashCard.tsx';
import type { AlertSummary } from './metrics.ts';

const SEVERITIES: { severity: Alert['severity']; color: string }[] = [
  { severity: 'critical', color: '#b91c1c' },
  { severity: 'warning', color: '#d97706' },
  { severity: 'info', color: '#0369a1' },
];

/** Alerts nobody has acknowledged yet, by severity; the largest bar is the full width. */
export function AlertsCard(props: { summary: AlertSummary; now: number }) {
  const widest = () => Math.max(1, ...SEVERITIES.map((s) => props.summary.open[s.severity]));
  return (
    <DashCard id="alerts-title" title="Open alerts" href="/alerts" linkLabel="Alerts">
      <A href="/alerts" class="headline" data-testid="open-alert-count">
        <span class="headline-number">{props.summary.openTotal}</span>
        <span class="headline-label">not acknowledged</span>
      </A>
      <ul class="bar-list">
        <For each={SEVERITIES}>
          {(s) => (
            <li>
              <span class="bar-label">{s.severity}</span>
              <span class="bar-track" aria-hidden="true">
                <span style={{ background: s.color, width: `${(props.summary.open[s.severity] / widest()) * 100}%` }} />
              </span>
              <strong class="bar-value" data-testid={`open-alerts-${s.severity}`}>
                {props.summary.open[s.severity]}
              </strong>
            </li>
          )}
        </For>
      </ul>
      <p class="muted dash-note">
        {props.summary.acknowledged} acknowledged, not resolved yet.
        <Show when={props.summary.oldestOpenAt}>
          {(oldest) => <span title={formatDateTime(oldest())}> Oldest unacknowledged opened {ago(oldest(), props.now)}.</span>}
        </Show>
      </p>
    </DashCard>
  );
}
