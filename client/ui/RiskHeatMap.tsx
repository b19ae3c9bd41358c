import { A } from '@solidjs/router';
import { For, Match, Switch, createMemo } from 'solid-js';
import type { Risk } from '../../shared/schema/risk.ts';
import { IMPACT_LABELS, LIKELIHOOD_LABELS, RISK_BAND_LABELS, RISK_LEVELS, countRisksByCell, riskBand, type RiskBand } from './risk-matrix.ts';
import './risk-heat-map.css';

export interface RiskHeatMapProps {
  /** The risks to place; the caller decides which (open ones on the dashboard, the filtered register…). */
  risks: readonly Pick<Risk, 'likelihood' | 'impact'>[];
  onSelect?(likelihood: number, impact: number): void;
  /** A cell with risks becomes a link to this address. */
  hrefFor?(likelihood: number, impact: number): string;
  /** Highlights the cell the caller is filtering by. */
  selected?: { likelihood: number; impact: number } | undefined;
  caption?: string;
}

const BANDS: RiskBand[] = ['low', 'medium', 'high', 'critical'];
const plural = (count: number) => `${count} risk${count === 1 ? '' : 's'}`;

/**
 * The 5×5 matrix as a table (likelihood rows, highest first; impact columns), so a screen reader
 * announces each cell with its two headers. A cell's colour is its score band; cells holding
 * risks are filled and, when the caller allows it, drill down.
 */
export function RiskHeatMap(props: RiskHeatMapProps) {
  const counts = createMemo(() => countRisksByCell(props.risks));
  const isSelected = (likelihood: number, impact: number) => props.selected?.likelihood === likelihood && props.selected.impact === impact;

  const cell = (likelihood: number, impact: number) => {
    const count = () => counts()[likelihood - 1]?.[impact - 1] ?? 0;
    const label = () => `${plural(count())} with likelihood ${likelihood} and impact ${impact}`;
    return (
      <td
        class={`heat-cell band-${riskBand(likelihood * impact)}`}
        classList={{ filled: count() > 0, selected: isSelected(likelihood, impact) }}
        data-likelihood={likelihood}
        data-impact={impact}
      >
        <Switch fallback={count() > 0 ? count() : <span class="sr-only">0</span>}>
          <Match when={count() > 0 && props.hrefFor}>
            {(hrefFor) => (
              <A href={hrefFor()(likelihood, impact)} aria-label={label()} onClick={() => props.onSelect?.(likelihood, impact)}>
                {count()}
              </A>
            )}
          </Match>
          <Match when={props.onSelect}>
            {(onSelect) => (
              <button type="button" aria-label={label()} aria-pressed={isSelected(likelihood, impact)} onClick={() => onSelect()(likelihood, impact)}>
                {count() || ''}
              </button>
            )}
          </Match>
        </Switch>
      </td>
    );
  };

  return (
    <figure class="risk-heat-map">
      <table>
        <caption class="sr-only">{props.caption ?? 'Risks by likelihood (rows) and impact (columns)'}</caption>
        <thead>
          <tr>
            <td class="axis-corner" aria-hidden="true">
              <span>Likelihood ↑</span>
            </td>
            <For each={RISK_LEVELS}>
              {(impact) => (
                <th scope="col">
                  <span aria-hidden="true">{impact}</span>
                  <span class="sr-only">Impact {impact}, {IMPACT_LABELS[impact - 1]}</span>
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          <For each={[...RISK_LEVELS].reverse()}>
            {(likelihood) => (
              <tr>
                <th scope="row">
                  <span aria-hidden="true">
                    {likelihood} <span class="level-name">{LIKELIHOOD_LABELS[likelihood - 1]}</span>
                  </span>
                  <span class="sr-only">Likelihood {likelihood}, {LIKELIHOOD_LABELS[likelihood - 1]}</span>
                </th>
                <For each={RISK_LEVELS}>{(impact) => cell(likelihood, impact)}</For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <figcaption>
        <span class="axis-x" aria-hidden="true">
          Impact →
        </span>
        <ul class="heat-legend" aria-label="Score bands">
          <For each={BANDS}>
            {(band) => (
              <li>
                <span class={`swatch band-${band}`} aria-hidden="true" />
                {RISK_BAND_LABELS[band]}
              </li>
            )}
          </For>
        </ul>
      </figcaption>
    </figure>
  );
}
