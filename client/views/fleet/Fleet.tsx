import { useLocation, useSearchParams } from '@solidjs/router';
import { Show, createEffect, createMemo, createSignal, on, onCleanup } from 'solid-js';
import { useDocuments } from '../../data/queries.ts';
import { useNow } from '../../ui/now.ts';
import { filterDevices } from './device-filter.ts';
import { FleetFilters } from './FleetFilters.tsx';
import { FleetList } from './FleetList.tsx';
import { FILTER_PARAMS, activeFilterCount, criteriaOf, rememberFleetScroll, rememberFleetSearch, scrollToRestore, type FilterParam, type FleetParams } from './fleet-params.ts';
import { useDeviceIndex } from './use-device-index.ts';
import './fleet.css';

const countLabel = (count: number) => `${count.toLocaleString('en-US')} device${count === 1 ? '' : 's'}`;

export default function Fleet() {
  const [searchParams, setSearchParams] = useSearchParams<FleetParams>();
  const index = useDeviceIndex();
  const sites = useDocuments('sites');
  const sortedSites = createMemo(() => [...sites()].sort((a, b) => a.name.localeCompare(b.name)));
  const now = useNow(60_000);
  const location = useLocation();
  const restoreY = scrollToRestore(location.search);
  createEffect(() => rememberFleetSearch(location.search));
  onCleanup(() => rememberFleetScroll(window.scrollY));

  // Typing filters from this signal at once; the address follows a moment later (writing history
  // on every key costs more than the filter) and is replaced, so Back leaves the fleet.
  const [text, setText] = createSignal(searchParams.q ?? '');
  let urlTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(urlTimer));
  let written: string | undefined = searchParams.q;
  // The address changed by navigation (a link to /fleet, Back): the box follows it.
  createEffect(
    on(
      () => searchParams.q,
      (q) => {
        if (q !== written) setText(q ?? '');
        written = q;
      },
      { defer: true },
    ),
  );
  const onType = (value: string) => {
    setText(value);
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => {
      written = value || undefined;
      setSearchParams({ q: written }, { replace: true });
    }, 250);
  };
  const setFilter = (param: FilterParam, value: string) => setSearchParams({ [param]: value || undefined }, { replace: true });
  const clearAll = () => {
    clearTimeout(urlTimer);
    written = undefined;
    setText('');
    setSearchParams(Object.fromEntries([...FILTER_PARAMS, 'q'].map((key) => [key, undefined])), { replace: true });
  };

  const rows = createMemo(() => {
    const loaded = index();
    return loaded ? filterDevices(loaded, criteriaOf(searchParams, text())) : [];
  });
  // Once the list has its rows (the replica answers after the router's own scroll to the top).
  let isRestored = restoreY === 0;
  createEffect(() => {
    if (isRestored || !index()) return;
    isRestored = true;
    requestAnimationFrame(() => window.scrollTo(0, restoreY));
  });
  const filterCount = () => activeFilterCount(searchParams);
  const [isFiltersOpen, setFiltersOpen] = createSignal(filterCount() > 0);

  return (
    <section class="page fleet" aria-labelledby="fleet-title">
      <div class="fleet-controls">
        <div class="fleet-heading">
          <h1 id="fleet-title">Fleet</h1>
          <Show when={index()} fallback={<p class="muted">Reading devices on this device…</p>}>
            {(loaded) => (
              <p class="fleet-count" role="status">
                <span data-testid="device-count">{countLabel(rows().length)}</span>
                <Show when={rows().length !== loaded().entries.length}>
                  <span class="muted"> of {loaded().entries.length.toLocaleString('en-US')}</span>
                </Show>
              </p>
            )}
          </Show>
        </div>
        <div class="fleet-search">
          <label for="fleet-search" class="sr-only">
            Search devices
          </label>
          <input
            id="fleet-search"
            type="search"
            placeholder="Hostname, IP, serial, assignee, tag…"
            autocomplete="off"
            spellcheck={false}
            value={text()}
            onInput={(event) => onType(event.currentTarget.value)}
          />
          <button type="button" class="filters-toggle" aria-expanded={isFiltersOpen()} aria-controls="fleet-filters" onClick={() => setFiltersOpen(!isFiltersOpen())}>
            Filters
            <Show when={filterCount() > 0}>
              <span class="badge">{filterCount()}</span>
            </Show>
          </button>
        </div>
        <FleetFilters
          id="fleet-filters"
          isOpen={isFiltersOpen()}
          sites={sortedSites()}
          kinds={index()?.kinds ?? []}
          tags={index()?.tags ?? []}
          params={searchParams}
          onChange={setFilter}
        >
          <Show when={filterCount() > 0 || text()}>
            <button type="button" class="small clear-filters" onClick={clearAll}>
              Clear all
            </button>
          </Show>
        </FleetFilters>
      </div>
      <Show when={index() && rows().length === 0}>
        <div class="card empty">
          <p>No device matches {text() ? <>“{text()}”</> : 'these filters'}.</p>
          <button type="button" onClick={clearAll}>
            Show all devices
          </button>
        </div>
      </Show>
      <div class="fleet-header" aria-hidden="true">
        <span>Device</span>
        <span>Site</span>
        <span>Kind</span>
        <span>Status</span>
        <span>Health</span>
        <span>Last report</span>
      </div>
      <FleetList rows={rows()} now={now()} />
    </section>
  );
}
