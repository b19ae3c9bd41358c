import { For } from 'solid-js';
import type { RegisterSummary } from './risk-register.ts';

/** The register at a glance: what a manager checks between meetings. */
export function RiskSummary(props: { summary: RegisterSummary }) {
  const tiles = () => [
    { label: 'Live risks', value: props.summary.live, tone: '' },
    { label: 'Critical', value: props.summary.critical, tone: props.summary.critical > 0 ? 'bad' : '' },
    { label: 'Reviews overdue', value: props.summary.reviewsOverdue, tone: props.summary.reviewsOverdue > 0 ? 'bad' : '' },
    { label: 'Actions overdue', value: props.summary.actionsOverdue, tone: props.summary.actionsOverdue > 0 ? 'warn' : '' },
  ];
  return (
    <dl class="risk-summary" aria-label="Register at a glance">
      <For each={tiles()}>
        {(tile) => (
          <div class={`summary-tile ${tile.tone}`}>
            <dt>{tile.label}</dt>
            <dd>{tile.value}</dd>
          </div>
        )}
      </For>
    </dl>
  );
}
