import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { effectiveRiskStatus, isAcceptanceExpired } from '../../../shared/risk/acceptance.ts';
import type { Risk } from '../../../shared/schema/risk.ts';
import { RISK_BAND_LABELS, riskBand } from '../../ui/risk-matrix.ts';
import { CATEGORY_LABELS, STATUS_LABELS, STATUS_TONES } from './risk-labels.ts';
import { isReviewOverdue, type OwnerName, type RegisterSort, type SortKey } from './risk-register.ts';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A column header that sorts: a real button, with aria-sort on the header cell. */
function SortHeader(props: { key: SortKey; label: string; sort: RegisterSort; onSort(key: SortKey): void; class?: string | undefined }) {
  const isSorted = () => props.sort.key === props.key;
  return (
    <th scope="col" class={props.class} aria-sort={isSorted() ? props.sort.direction : 'none'}>
      <button type="button" class="sort-button" onClick={() => props.onSort(props.key)}>
        {props.label}
        <span class="sort-arrow" aria-hidden="true">
          {isSorted() ? (props.sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

export function RiskTable(props: { risks: Risk[]; sort: RegisterSort; onSort(key: SortKey): void; ownerName: OwnerName; now: number }) {
  const header = (key: SortKey, label: string, cls?: string) => <SortHeader key={key} label={label} sort={props.sort} onSort={props.onSort} class={cls} />;
  return (
    <div class="risk-table-wrap">
      <table class="risk-table">
        <caption class="sr-only">Risks, sortable by each column</caption>
        <thead>
          <tr>
            {header('title', 'Risk', 'col-title')}
            {header('score', 'Score', 'col-score')}
            {header('status', 'Status', 'col-status')}
            {header('nextReviewAt', 'Next review', 'col-review')}
            {header('owner', 'Owner', 'col-owner')}
          </tr>
        </thead>
        <tbody>
          <For each={props.risks}>
            {(risk) => (
              <tr data-risk-id={risk.id}>
                <td class="col-title">
                  <A href={`/risks/${risk.id}`} class="risk-title">
                    {risk.title}
                  </A>
                  <span class="risk-meta muted">
                    {CATEGORY_LABELS[risk.category]}
                    <Show when={risk.mitigations.length > 0}>
                      {' · '}
                      {risk.mitigations.filter((m) => m.status === 'done').length}/{risk.mitigations.length} actions done
                    </Show>
                  </span>
                </td>
                <td class="col-score">
                  <span class={`score-chip band-${riskBand(risk.score)}`} title={`${RISK_BAND_LABELS[riskBand(risk.score)]}: likelihood ${risk.likelihood} × impact ${risk.impact}`}>
                    {risk.score}
                  </span>
                  <span class="sr-only">
                    {RISK_BAND_LABELS[riskBand(risk.score)]}, likelihood {risk.likelihood} × impact {risk.impact}
                  </span>
                </td>
                <td class="col-status">
                  <span class={`badge ${STATUS_TONES[effectiveRiskStatus(risk, props.now)]}`}>{STATUS_LABELS[effectiveRiskStatus(risk, props.now)]}</span>
                  <Show when={risk.status === 'accepted' && isAcceptanceExpired(risk, props.now)}>
                    <span class="risk-meta muted">acceptance expired</span>
                  </Show>
                </td>
                <td class="col-review">
                  <span classList={{ overdue: isReviewOverdue(risk, props.now) }}>{dateFormat.format(new Date(risk.nextReviewAt))}</span>
                  <Show when={isReviewOverdue(risk, props.now)}>
                    <span class="badge bad overdue-badge">overdue</span>
                  </Show>
                </td>
                <td class="col-owner">{props.ownerName(risk.ownerId)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
