import { Show } from 'solid-js';
import { RISK_CATEGORIES, RISK_STATUSES, RISK_TREATMENTS } from '../../../shared/schema/risk.ts';
import { Options, optionsOf } from '../../ui/Options.tsx';
import { IMPACT_LABELS, LIKELIHOOD_LABELS } from '../../ui/risk-matrix.ts';
import { CATEGORY_LABELS, STATUS_LABELS, TREATMENT_LABELS } from './risk-labels.ts';
import type { RegisterParams, RiskCriteria } from './risk-register.ts';

type FilterKey = 'status' | 'category' | 'treatment';

function FilterSelect<T extends string>(props: { id: FilterKey; label: string; value: string | undefined; values: readonly T[]; labels: Record<T, string>; onChange(key: FilterKey, value: string): void }) {
  return (
    <div class="field">
      <label for={`risk-filter-${props.id}`}>{props.label}</label>
      <select id={`risk-filter-${props.id}`} value={props.value ?? ''} onChange={(e) => props.onChange(props.id, e.currentTarget.value)}>
        <Options options={[{ value: '', label: 'Any' }, ...optionsOf(props.values, props.labels)]} selected={props.value} />
      </select>
    </div>
  );
}

/** Text search, the three picklists, and the heat-map cell when one is chosen. */
export function RiskFilters(props: { criteria: RiskCriteria; text: string; onText(value: string): void; onChange(params: RegisterParams): void; onClear(): void }) {
  const set = (key: FilterKey, value: string) => props.onChange({ [key]: value || undefined });
  const isFiltered = () => Boolean(props.criteria.status || props.criteria.category || props.criteria.treatment || props.criteria.text || props.criteria.cell);
  return (
    <div class="risk-filters" role="search" aria-label="Filter risks">
      <div class="field risk-search">
        <label for="risk-search">Search</label>
        <input id="risk-search" type="search" placeholder="Title, description, owner" autocomplete="off" value={props.text} onInput={(e) => props.onText(e.currentTarget.value)} />
      </div>
      <FilterSelect id="status" label="Status" value={props.criteria.status} values={RISK_STATUSES} labels={STATUS_LABELS} onChange={set} />
      <FilterSelect id="category" label="Category" value={props.criteria.category} values={RISK_CATEGORIES} labels={CATEGORY_LABELS} onChange={set} />
      <FilterSelect id="treatment" label="Treatment" value={props.criteria.treatment} values={RISK_TREATMENTS} labels={TREATMENT_LABELS} onChange={set} />
      <div class="filter-footer">
        <Show when={props.criteria.cell}>
          {(cell) => (
            <span class="cell-chip">
              Likelihood {cell().likelihood} ({LIKELIHOOD_LABELS[cell().likelihood - 1]}) × impact {cell().impact} ({IMPACT_LABELS[cell().impact - 1]})
              <button type="button" class="small" aria-label="Show every cell of the heat map" onClick={() => props.onChange({ likelihood: undefined, impact: undefined })}>
                ✕
              </button>
            </span>
          )}
        </Show>
        <Show when={isFiltered()}>
          <button type="button" class="small" onClick={() => props.onClear()}>
            Clear filters
          </button>
        </Show>
      </div>
    </div>
  );
}
