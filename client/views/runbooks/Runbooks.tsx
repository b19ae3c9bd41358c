import { A, useSearchParams } from '@solidjs/router';
import { For, Show, createMemo } from 'solid-js';
import { appliesToDevice } from '../../../shared/runbook/applies-to.ts';
import { RUNBOOK_STATUSES, type Runbook } from '../../../shared/schema/runbook.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { isStaff } from './staff.ts';
import { useDocument, useLoadedDocuments } from '../../data/queries.ts';
import { FilterSelect } from '../../ui/FilterSelect.tsx';
import { RunsInProgress } from './RunsInProgress.tsx';
import { RUNBOOK_STATUS_LABELS, RUNBOOK_STATUS_TONE } from './runbook-labels.ts';
import '../../ui/lists.css';
import './runbooks.css';

type StatusFilter = Runbook['status'] | 'active' | 'all';

const STATUS_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: 'active', label: 'All but retired' },
  ...RUNBOOK_STATUSES.map((s) => ({ value: s, label: RUNBOOK_STATUS_LABELS[s] })),
  { value: 'all', label: 'Any status' },
];

/** Every word of the search appears in the title, summary or tags. */
function matches(runbook: Runbook, words: readonly string[]): boolean {
  const haystack = `${runbook.title} ${runbook.summary} ${runbook.tags.join(' ')}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/** The procedures: search, filter by status; staff see only approved ones. From a device, the ones for it. */
export default function Runbooks() {
  const replica = useReplica();
  const [params, setParams] = useSearchParams<{ q?: string; status?: string; deviceId?: string }>();
  const status = (): StatusFilter => (isStaff(replica.user) ? 'approved' : STATUS_OPTIONS.some((o) => o.value === params.status) ? (params.status as StatusFilter) : 'active');
  const device = useDocument('devices', () => params.deviceId);
  const loaded = useLoadedDocuments('runbooks');
  const runbooks = () => loaded() ?? [];
  const filtered = createMemo(() => {
    const words = (params.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const wanted = status();
    const forDevice = device();
    return runbooks()
      .filter((r) => (wanted === 'all' ? true : wanted === 'active' ? r.status !== 'retired' : r.status === wanted))
      .filter((r) => forDevice === undefined || appliesToDevice(r, forDevice))
      .filter((r) => matches(r, words))
      .sort((a, b) => a.title.localeCompare(b.title));
  });
  const detailHref = (runbook: Runbook) => `/runbooks/${runbook.id}${params.deviceId ? `?deviceId=${encodeURIComponent(params.deviceId)}` : ''}`;

  return (
    <section class="page" aria-labelledby="runbooks-title">
      <div class="page-head">
        <h1 id="runbooks-title">
          Runbooks<span class="count" data-testid="runbook-count">{filtered().length}</span>
        </h1>
      </div>
      <RunsInProgress />
      <Show when={device()}>
        {(d) => (
          <p class="notice warn for-device">
            Runbooks for <strong>{d().hostname}</strong> ({d().kind}).{' '}
            <button type="button" class="small" onClick={() => setParams({ deviceId: undefined })}>
              Show all runbooks
            </button>
          </p>
        )}
      </Show>
      <div class="filters" role="search" aria-label="Find runbooks">
        <div class="filter wide">
          <label for="runbook-search">Search</label>
          <input id="runbook-search" type="search" placeholder="Title, summary or tag" value={params.q ?? ''} onInput={(e) => setParams({ q: e.currentTarget.value || undefined }, { replace: true })} />
        </div>
        <Show when={!isStaff(replica.user)} fallback={<p class="muted staff-note">Showing approved runbooks.</p>}>
          <FilterSelect id="runbook-status" label="Status" value={status()} options={STATUS_OPTIONS} onChange={(value) => setParams({ status: value === 'active' ? undefined : value })} />
        </Show>
      </div>
      <Show when={filtered().length > 0} fallback={loaded() ? <p class="empty">No runbooks match.</p> : <p class="muted empty">Opening…</p>}>
        <ul class="item-list runbook-list" aria-label="Runbooks">
          <For each={filtered()}>
            {(runbook) => (
              <li class="item" data-tone={runbook.status === 'approved' ? 'ok' : runbook.status === 'retired' ? 'warn' : 'info'} data-testid="runbook-item">
                <h2 class="item-title">
                  <A href={detailHref(runbook)}>{runbook.title}</A>
                </h2>
                <div class="badges">
                  <span class={`badge ${RUNBOOK_STATUS_TONE[runbook.status]}`}>{RUNBOOK_STATUS_LABELS[runbook.status]}</span>
                  <span class="muted">
                    v{runbook.version} · {runbook.steps.length} step{runbook.steps.length === 1 ? '' : 's'}
                  </span>
                </div>
                <p class="runbook-summary">{runbook.summary}</p>
                <Show when={runbook.tags.length > 0}>
                  <ul class="tags" aria-label="Tags">
                    <For each={runbook.tags}>{(tag) => <li>{tag}</li>}</For>
                  </ul>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
