import { useNavigate, useSearchParams } from '@solidjs/router';
import { For, Show, createMemo, createSignal } from 'solid-js';
import { ALERT_SEVERITIES, ALERT_STATUSES, type Alert } from '../../../shared/schema/alert.ts';
import { incidentFromAlert } from '../../../shared/incident/from-alert.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { newId } from '../../data/ids.ts';
import { usePersonName } from '../../data/people.ts';
import { useDocuments, useLoadedDocuments } from '../../data/queries.ts';
import { updateDocument } from '../../data/write.ts';
import { FilterSelect } from '../../ui/FilterSelect.tsx';
import { Notice, createSaving } from '../../ui/Notice.tsx';
import { useNow } from '../../ui/now.ts';
import { openIncident } from '../incidents/incident-writes.ts';
import { AlertItem } from './AlertItem.tsx';
import { acknowledged, linkedToIncident, resolved } from './alert-changes.ts';
import '../../ui/lists.css';

type StatusFilter = Alert['status'] | 'all';
type SeverityFilter = Alert['severity'] | 'all';

const PAGE_SIZE = 50;
const SEVERITY_RANK: Record<Alert['severity'], number> = { critical: 0, warning: 1, info: 2 };
const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** Alerts of the user's sites: newest first, open ones by default; acknowledge, resolve, escalate. */
export default function Alerts() {
  const replica = useReplica();
  const navigate = useNavigate();
  const now = useNow();
  const personName = usePersonName();
  const [params, setParams] = useSearchParams<{ status?: string; severity?: string }>();
  const status = (): StatusFilter => (params.status && (ALERT_STATUSES as readonly string[]).includes(params.status) ? (params.status as Alert['status']) : params.status === 'all' ? 'all' : 'open');
  const severity = (): SeverityFilter => (params.severity && (ALERT_SEVERITIES as readonly string[]).includes(params.severity) ? (params.severity as Alert['severity']) : 'all');
  const [shown, setShown] = createSignal(PAGE_SIZE);
  const { isSaving, notice, save } = createSaving();

  const loaded = useLoadedDocuments('alerts', () => {
    const selector: Record<string, string> = {};
    if (status() !== 'all') selector['status'] = status();
    if (severity() !== 'all') selector['severity'] = severity();
    return { selector };
  });
  const alerts = () => loaded() ?? [];
  // Newest first; of alerts opened together, the most severe first.
  const sorted = createMemo(() =>
    [...alerts()].sort((a, b) => b.openedAt.localeCompare(a.openedAt) || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]),
  );
  const visible = createMemo(() => sorted().slice(0, shown()));
  const devices = useDocuments('devices', () => ({ selector: { id: { $in: [...new Set(visible().map((a) => a.deviceId))] } } }));
  const deviceById = createMemo(() => new Map(devices().map((d) => [d.id, d])));
  const sites = useDocuments('sites');
  const siteName = (siteId: string) => sites().find((s) => s.id === siteId)?.name ?? 'Unknown site';

  const stamp = () => new Date().toISOString();
  const actions = {
    acknowledge: (alert: Alert) =>
      void save(() => updateDocument(replica, 'alerts', alert.id, (current) => acknowledged(current, replica.user.id, stamp())), `Acknowledged: ${alert.message}`),
    resolve: (alert: Alert) => void save(() => updateDocument(replica, 'alerts', alert.id, (current) => resolved(current, replica.user.id, stamp())), `Resolved: ${alert.message}`),
    openIncident: (alert: Alert) => {
      const id = newId();
      const draft = incidentFromAlert(alert, { id, openedBy: replica.user.id, openedAt: stamp() });
      void save(
        async () => {
          const opened = await openIncident(replica, draft, `from the ${alert.severity} alert "${alert.message}"`);
          return opened.ok ? updateDocument(replica, 'alerts', alert.id, (current) => linkedToIncident(current, id)) : opened;
        },
        'Incident opened.',
      ).then((isOpened) => isOpened && navigate(`/incidents/${id}`));
    },
  };

  return (
    <section class="page" aria-labelledby="alerts-title">
      <div class="page-head">
        <h1 id="alerts-title">
          Alerts<span class="count" data-testid="alert-count">{sorted().length}</span>
        </h1>
      </div>
      <div class="filters" role="group" aria-label="Filter alerts">
        <FilterSelect
          id="alert-status"
          label="Status"
          value={status()}
          options={[...ALERT_STATUSES.map((s) => ({ value: s, label: capitalized(s) })), { value: 'all', label: 'Any status' }]}
          onChange={(value) => setParams({ status: value === 'open' ? undefined : value })}
        />
        <FilterSelect
          id="alert-severity"
          label="Severity"
          value={severity()}
          options={[{ value: 'all', label: 'Any severity' }, ...ALERT_SEVERITIES.map((s) => ({ value: s, label: capitalized(s) }))]}
          onChange={(value) => setParams({ severity: value === 'all' ? undefined : value })}
        />
      </div>
      <Notice message={notice()} />
      <Show
        when={sorted().length > 0}
        fallback={loaded() ? <p class="empty">No {status() === 'all' ? '' : `${status()} `}alerts{severity() === 'all' ? '' : ` of ${severity()} severity`}.</p> : <p class="muted empty">Opening…</p>}
      >
        <ul class="item-list" aria-label="Alerts">
          <For each={visible()}>
            {(alert) => (
              <AlertItem
                alert={alert}
                device={deviceById().get(alert.deviceId)}
                siteName={siteName(alert.siteId)}
                personName={personName}
                now={now()}
                isBusy={isSaving()}
                actions={actions}
              />
            )}
          </For>
        </ul>
        <Show when={sorted().length > shown()}>
          <div class="more-row">
            <button type="button" onClick={() => setShown((n) => n + PAGE_SIZE)}>
              Show {Math.min(PAGE_SIZE, sorted().length - shown())} more of {sorted().length - shown()}
            </button>
          </div>
        </Show>
      </Show>
    </section>
  );
}
