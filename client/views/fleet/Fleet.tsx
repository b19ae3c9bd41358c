import { useLocation } from '@solidjs/router';
import { Show, createEffect, createMemo, createSignal, onCleanup } from 'solid-js';
import { useDocuments } from '../../data/queries.ts';
import { useNow } from '../../ui/now.ts';
import { filterDevices } from './device-filter.ts';
import { FleetFilters } from './FleetFilters.tsx';
import { FleetList } from './FleetList.tsx';
import { activeFilterCount, criteriaOf, rememberFleetScroll, rememberFleetSearch, scrollToRestore } from './fleet-params.ts';
import { useFleetState } from './use-fleet-state.ts';
import { useDeviceIndex } from './use-device-index.ts';
import './fleet.css';

const countLabel = (count: number) => `${count.toLocaleString('en-US')} device${count === 1 ? '' : 's'}`;

export default function Fleet() {
  const index = useDeviceIndex();
  const sites = useDocuments('sites');
  const sortedSites = createMemo(() => [...sites()].sort((a, b) => a.name.localeCompare(b.name)));
  const now = useNow(60_000);
  const location = useLocation();
  const restoreY = scrollToRestore(location.search);
  createEffect(() => rememberFleetSearch(location.search));
  onCleanup(() => rememberFleetScroll(window.scrollY));

  const { state, setText, setFilter, clear } = useFleetState();

  const rows = createMemo(() => {
    const loaded = index();
    return loaded ? filterDevices(loaded, criteriaOf(state())) : [];
  });
  // Once the list has its rows (the replica answers after the router's own scroll to the top).
  let isRestored = restoreY === 0;
  createEffect(() => {
    if (isRestored || !index()) return;
    isRestored = true;
    requestAnimationFrame(() => window.scrollTo(0, restoreY));
  });
  const filterCount = () => activeFilterCount(state());
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
            value={state().q}
            onInput={(event) => setText(event.currentTarget.value)}
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
          params={state()}
          onChange={setFilter}
        >
          <Show when={filterCount() > 0 || state().q}>
            <button type="button" class="small clear-filters" onClick={clear}>
              Clear all
            </button>
          </Show>
        </FleetFilters>
      </div>
      <Show when={index() && rows().length === 0}>
        <div class="card empty">
          <p>No device matches {state().q ? <>“{state().q}”</> : 'these filters'}.</p>
          <button type="button" onClick={clear}>
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
