import type { DeviceCriteria } from './device-filter.ts';

/** The fleet filters as they appear in the address (?q=&site=&kind=&status=&health=&tag=), so a reload or a shared link keeps them. */
export const FILTER_PARAMS = ['site', 'kind', 'status', 'health', 'tag'] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];
export type FleetParams = Partial<Record<FilterParam | 'q', string | undefined>>;
/** Every key present; an empty string means "not filtered". */
export type FleetState = Record<FilterParam | 'q', string>;

const KEYS = ['q', ...FILTER_PARAMS] as const;

export const stateOf = (params: FleetParams): FleetState => Object.fromEntries(KEYS.map((key) => [key, params[key] ?? ''])) as FleetState;
/** What goes into the address: empty values leave it. */
export const paramsOf = (state: FleetState): FleetParams => Object.fromEntries(KEYS.map((key) => [key, state[key] || undefined]));
export const keyOf = (state: FleetState) => KEYS.map((key) => state[key]).join('\u0000');
export const EMPTY_STATE: FleetState = stateOf({});

export function criteriaOf(state: FleetState): DeviceCriteria {
  return { text: state.q, siteId: state.site, kind: state.kind, status: state.status, health: state.health, tag: state.tag };
}

export const activeFilterCount = (state: FleetState) => FILTER_PARAMS.filter((key) => state[key]).length;

// The last list this tab showed and how far down it was, so coming back from a device keeps both.
let lastSearch = '';
let lastScrollY = 0;
export const rememberFleetSearch = (search: string) => (lastSearch = search);
export const lastFleetHref = () => `/fleet${lastSearch}`;
export const rememberFleetScroll = (scrollY: number) => (lastScrollY = scrollY);
/** Where to scroll when the list opens again: only back to the same list. */
export const scrollToRestore = (search: string) => (search === lastSearch ? lastScrollY : 0);
