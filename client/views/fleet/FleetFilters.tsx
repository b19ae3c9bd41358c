import type { JSX } from 'solid-js';
import { DEVICE_STATUSES, HEALTH_LEVELS } from '../../../shared/schema/device.ts';
import { FilterSelect, type FilterOption } from '../../ui/FilterSelect.tsx';
import type { FilterParam, FleetState } from './fleet-params.ts';

/** "Any …" first (the empty value clears the filter), then the values as they are named. */
const choices = (anyLabel: string, values: readonly string[], labelOf: (value: string) => string = (value) => value): FilterOption<string>[] => [
  { value: '', label: anyLabel },
  ...values.map((value) => ({ value, label: labelOf(value) })),
];

/** Site, kind, status, health and tag; the choices are what occurs in this fleet. */
export function FleetFilters(props: {
  id: string;
  isOpen: boolean;
  sites: { id: string; name: string }[];
  kinds: readonly string[];
  tags: readonly string[];
  params: FleetState;
  onChange(param: FilterParam, value: string): void;
  children?: JSX.Element;
}) {
  const select = (param: FilterParam, label: string, options: FilterOption<string>[]) => (
    <FilterSelect id={`fleet-filter-${param}`} label={label} value={props.params[param]} options={options} onChange={(value) => props.onChange(param, value)} />
  );
  const siteNames = () => new Map(props.sites.map((site) => [site.id, site.name]));
  return (
    <div id={props.id} class="fleet-filters" data-open={props.isOpen ? 'true' : 'false'}>
      {select('site', 'Site', choices('All sites', props.sites.map((site) => site.id), (id) => siteNames().get(id) ?? id))}
      {select('kind', 'Kind', choices('All kinds', props.kinds))}
      {select('status', 'Status', choices('Any status', DEVICE_STATUSES))}
      {select('health', 'Health', choices('Any health', HEALTH_LEVELS))}
      {select('tag', 'Tag', choices('Any tag', props.tags))}
      {props.children}
    </div>
  );
}
