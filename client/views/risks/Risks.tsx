import { A, useSearchParams } from '@solidjs/router';
import { Show, createEffect, createMemo, createSignal, on, onCleanup } from 'solid-js';
import { useReplica } from '../../app/replica-context.tsx';
import { usePersonName } from '../../data/people.ts';
import { useDocuments, useLoadedDocuments } from '../../data/queries.ts';
import { downloadText } from '../../ui/download.ts';
import { RiskHeatMap } from '../../ui/RiskHeatMap.tsx';
import { riskWriterOrgIds } from './risk-access.ts';
import { risksToCsv, type CsvPerson } from './risk-csv.ts';
import { criteriaOf, filterRisks, nextSort, sortOf, sortRisks, summarize, type RegisterParams, type SortKey } from './risk-register.ts';
import { RiskFilters } from './RiskFilters.tsx';
import { RiskImport } from './RiskImport.tsx';
import { RiskSummary } from './RiskSummary.tsx';
import { RiskTable } from './RiskTable.tsx';
import './risks.css';

const CLEARED: RegisterParams = { status: undefined, category: undefined, treatment: undefined, q: undefined, likelihood: undefined, impact: undefined };

export default function Risks() {
  const replica = useReplica();
  const [params, setParams] = useSearchParams<RegisterParams>();
  const loaded = useLoadedDocuments('risks');
  const risks = () => loaded() ?? [];
  const users = useDocuments('users');
  const personName = usePersonName();
  const ownerName = (userId: string | undefined) => (userId ? personName(userId) : 'Unassigned');
  const writerOrgIds = riskWriterOrgIds(replica);
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 60_000);
  onCleanup(() => clearInterval(timer));

  // Typing filters at once; the address follows without adding history entries.
  const [text, setText] = createSignal(params.q ?? '');
  createEffect(on(() => params.q, (q) => (q ?? '') !== text() && setText(q ?? ''), { defer: true }));
  const onText = (value: string) => {
    setText(value);
    setParams({ q: value || undefined }, { replace: true });
  };
  const criteria = createMemo(() => ({ ...criteriaOf(params), text: text().trim().toLowerCase() }));
  const sort = createMemo(() => sortOf(params));
  const outsideCell = createMemo(() => filterRisks(risks(), criteria(), ownerName, false, now()));
  const rows = createMemo(() => sortRisks(filterRisks(outsideCell(), criteria(), ownerName, true, now()), sort(), ownerName, now()));
  const summary = createMemo(() => summarize(risks(), now()));
  const people = createMemo((): CsvPerson[] => users().map((u) => ({ userId: u.userId, orgId: u.orgId, email: u.email, name: u.name })));

  const [isImportOpen, setImportOpen] = createSignal(false);
  const exportCsv = () => downloadText(`risks-${new Date().toISOString().slice(0, 10)}.csv`, risksToCsv(rows(), people(), now()));
  const clearFilters = () => {
    setText('');
    setParams(CLEARED, { replace: true });
  };
  const onSort = (key: SortKey) => setParams(nextSort(sort(), key), { replace: true });
  const cellHref = (likelihood: number, impact: number) => {
    const next = new URLSearchParams(Object.entries({ ...params, likelihood: String(likelihood), impact: String(impact) }).filter((e): e is [string, string] => typeof e[1] === 'string'));
    return `/risks?${next.toString()}`;
  };

  return (
    <section class="page risks" aria-labelledby="risks-title">
      <header class="risks-head">
        <div>
          <h1 id="risks-title">Risk register</h1>
          <p class="muted risks-count" role="status">
            <Show when={loaded()} fallback={<span class="muted">Opening the register…</span>}>
              <span data-testid="risk-count">
                {rows().length} of {risks().length} risks
              </span>
            </Show>
          </p>
        </div>
        <div class="actions">
          <Show when={writerOrgIds.length > 0}>
            <A href="/risks/new" class="button primary">
              New risk
            </A>
          </Show>
          <button type="button" onClick={exportCsv} disabled={rows().length === 0}>
            Export CSV
          </button>
          <Show when={writerOrgIds.length > 0}>
            <button type="button" aria-expanded={isImportOpen()} onClick={() => setImportOpen(!isImportOpen())}>
              Import CSV
            </button>
          </Show>
        </div>
      </header>

      <Show when={isImportOpen()}>
        <RiskImport risks={risks()} people={people()} writerOrgIds={writerOrgIds} onClose={() => setImportOpen(false)} />
      </Show>

      <div class="risks-overview">
        <section class="card heat-card" aria-labelledby="heat-title">
          <h2 id="heat-title">Heat map</h2>
          <p class="muted heat-hint">Choose a cell to list its risks.</p>
          <RiskHeatMap risks={outsideCell()} hrefFor={cellHref} selected={criteria().cell} caption="Risks by likelihood (rows) and impact (columns); choose a number to list those risks" />
        </section>
        <div class="overview-side">
          <RiskSummary summary={summary()} />
          <section class="card filters-card" aria-label="Filters">
            <RiskFilters criteria={criteria()} text={text()} onText={onText} onChange={(next) => setParams(next, { replace: true })} onClear={clearFilters} />
          </section>
        </div>
      </div>

      <Show when={loaded()}>
        <Show
          when={rows().length > 0}
          fallback={
            <p class="card empty-state">{risks().length === 0 ? 'No risks on this device yet.' : 'No risk matches these filters.'}</p>
          }
        >
          <RiskTable risks={rows()} sort={sort()} onSort={onSort} ownerName={ownerName} now={now()} />
        </Show>
      </Show>
    </section>
  );
}
