import type { DeviceCriteria } from './device-filter.ts';

/** The fleet filters as they appear in the address (?q=&site=&kind=&status=&health=&tag=), so a reload or a shared link keeps them. */
export const FILTER_PARAMS = ['site', 'kind', 'status', 'health', 'tag'] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];
export type FleetParams = Partial<Record<FilterParam | 'q', string | undefined>>;

export function criteriaOf(params: FleetParams, text: string): DeviceCriteria {
  return { text, siteId: params.site, kind: params.kind, status: params.status, health: params.health, tag: params.tag };
}

export const activeFilterCount = (params: FleetParams) => FILTER_PARAMS.filter((key) => params[key]).length;

// The last list this tab showed and how far down it was, so coming back from a device keeps both.
let lastSearch = '';
let lastScrollY = 0;
export const rememberFleetSearch = (search: string) => (lastSearch = search);
export const lastFleetHref = () => `/fleet${lastSearch}`;
export const rememberFleetScroll = (scrollY: number) => (lastScrollY = scrollY);
/** Where to scroll when the list opens again: only back to the same list. */
export const scrollToRestore = (search: string) => (search === lastSearch ? lastScrollY : 0);
