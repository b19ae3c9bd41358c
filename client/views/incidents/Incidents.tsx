import { A, useSearchParams } from '@solidjs/router';
import type { MangoQuerySelector } from 'rxdb';
import { For, Show, createMemo, createSignal } from 'solid-js';
import { INCIDENT_SEVERITIES, INCIDENT_STATUSES, type Incident } from '../../../shared/schema/incident.ts';
import { INCIDENT_STATUS_LABELS } from '../../../shared/incident/status.ts';
import { usePersonName } from '../../data/people.ts';
import { useDocuments, useLoadedDocuments } from '../../data/queries.ts';
import { FilterSelect } from '../../ui/FilterSelect.tsx';
import { useNow } from '../../ui/now.ts';
import { ago, formatDateTime } from '../../ui/relative-time.ts';
import { INCIDENT_SEVERITY_TONE } from '../../ui/tones.ts';
import { responseTimeText } from './response-time-text.ts';
import '../../ui/lists.css';
import './incidents.css';

type StatusFilter = Incident['status'] | 'active' | 'all';
type AgeFilter = 'any' | '1' | '7' | '30' | '90';

const PAGE_SIZE = 50;
const DAY_MS = 86_400_000;
const AGE_OPTIONS: { value: AgeFilter; label: string }[] = [
  { value: 'any', label: 'Any time' },
  { value: '1', label: 'Last 24 hours' },
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
];
const STATUS_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: 'active', label: 'Active (triage, contained)' },
  ...INCIDENT_STATUSES.map((s) => ({ value: s, label: INCIDENT_STATUS_LABELS[s] })),
  { value: 'all', label: 'Any status' },
];
const STATUS_TONE = { triage: 'bad', contained: 'warn', resolved: 'ok', closed: 'neutral' } as const;
const pick = <T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);

/** Incidents of the user's sites: active ones first by default, with their response times. */
export default function Incidents() {
  const now = useNow();
  const personName = usePersonName();
  const [params, setParams] = useSearchParams<{ status?: string; severity?: string; site?: string; age?: string }>();
  const status = () => pick(params.status, STATUS_OPTIONS.map((o) => o.value), 'active');
  const severity = () => pick<Incident['severity'] | 'all'>(params.severity, [...INCIDENT_SEVERITIES, 'all'], 'all');
  const age = () => pick(params.age, AGE_OPTIONS.map((o) => o.value), 'any');
  const sites = useDocuments('sites');
  const site = () => params.site ?? 'all';
  const [shown, setShown] = createSignal(PAGE_SIZE);

  const loaded = useLoadedDocuments('incidents', () => {
    const selector: MangoQuerySelector<Incident> = {};
    if (status() === 'active') selector['status'] = { $in: ['triage', 'contained'] };
    else if (status() !== 'all') selector['status'] = status() as Incident['status'];
    if (severity() !== 'all') selector['severity'] = severity() as Incident['severity'];
    if (site() !== 'all') selector['siteId'] = site();
    return { selector };
  });
  const incidents = () => loaded() ?? [];
  const filtered = createMemo(() => {
    const days = age() === 'any' ? undefined : Number(age());
    const since = days === undefined ? '' : new Date(now() - days * DAY_MS).toISOString();
    return incidents()
      .filter((i) => i.openedAt >= since)
      .sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  });
  const siteName = (siteId: string) => sites().find((s) => s.id === siteId)?.name ?? 'Unknown site';

  return (
    <section class="page" aria-labelledby="incidents-title">
      <div class="page-head">
        <h1 id="incidents-title">
          Incidents<span class="count" data-testid="incident-count">{filtered().length}</span>
        </h1>
        <A class="button primary" href="/incidents/new">
          Report an incident
        </A>
      </div>
      <div class="filters" role="group" aria-label="Filter incidents">
        <FilterSelect id="incident-status" label="Status" value={status()} options={STATUS_OPTIONS} onChange={(value) => setParams({ status: value === 'active' ? undefined : value })} />
        <FilterSelect
          id="incident-severity"
          label="Severity"
          value={severity()}
          options={[{ value: 'all', label: 'Any severity' }, ...INCIDENT_SEVERITIES.map((s) => ({ value: s, label: s.toUpperCase() }))]}
          onChange={(value) => setParams({ severity: value === 'all' ? undefined : value })}
        />
        <FilterSelect
          id="incident-site"
          label="Site"
          value={site()}
          options={[{ value: 'all', label: 'All my sites' }, ...sites().map((s) => ({ value: s.id, label: s.name }))]}
          onChange={(value) => setParams({ site: value === 'all' ? undefined : value })}
        />
        <FilterSelect id="incident-age" label="Opened" value={age()} options={AGE_OPTIONS} onChange={(value) => setParams({ age: value === 'any' ? undefined : value })} />
      </div>
      <Show when={filtered().length > 0} fallback={loaded() ? <p class="empty">No incidents match these filters.</p> : <p class="muted empty">Opening…</p>}>
        <ul class="item-list" aria-label="Incidents">
          <For each={filtered().slice(0, shown())}>
            {(incident) => {
              const times = () => responseTimeText(incident, now());
              return (
                <li class="item incident-row" data-tone={incident.status === 'resolved' || incident.status === 'closed' ? 'ok' : INCIDENT_SEVERITY_TONE[incident.severity]} data-testid="incident-item">
                  <div class="item-body">
                    <div class="badges">
                      <span class={`badge ${INCIDENT_SEVERITY_TONE[incident.severity]}`}>{incident.severity.toUpperCase()}</span>
                      <span class={`badge ${STATUS_TONE[incident.status]}`}>{INCIDENT_STATUS_LABELS[incident.status]}</span>
                    </div>
                    <h2 class="item-title">
                      <A href={`/incidents/${incident.id}`}>{incident.title}</A>
                    </h2>
                    <div class="item-meta">
                      <span>{siteName(incident.siteId)}</span>
                      <span title={formatDateTime(incident.openedAt)}>
                        opened {ago(incident.openedAt, now())} by {personName(incident.openedBy)}
                      </span>
                    </div>
                  </div>
                  <div class="item-meta response">
                    <span>{times().acknowledge.text}</span>
                    <span>{times().resolve.text}</span>
                  </div>
                </li>
              );
            }}
          </For>
        </ul>
        <Show when={filtered().length > shown()}>
          <div class="more-row">
            <button type="button" onClick={() => setShown((n) => n + PAGE_SIZE)}>
              Show more ({filtered().length - shown()} left)
            </button>
          </div>
        </Show>
      </Show>
    </section>
  );
}
