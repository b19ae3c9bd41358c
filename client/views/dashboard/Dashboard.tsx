import { Show, createMemo } from 'solid-js';
import { map } from 'rxjs';
import { canRead } from '../../../shared/auth/permissions.ts';
import type { Device } from '../../../shared/schema/device.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { highestRole } from '../../app/session.ts';
import { useLoadedDocuments } from '../../data/queries.ts';
import { useNow } from '../../ui/now.ts';
import { ago } from '../../ui/relative-time.ts';
import { createRxSignal } from '../../ui/rx.ts';
import { AlertsCard } from './AlertsCard.tsx';
import { FleetHealthCard } from './FleetHealthCard.tsx';
import { IncidentsCard } from './IncidentsCard.tsx';
import { KeyFigures, type KeyFigure } from './KeyFigures.tsx';
import { alertSummaryOf, fleetHealthOf, isOpenIncident, isOpenRisk, overdueReviewsOf, responseStatsOf } from './metrics.ts';
import { HeatMapCard, OverdueReviewsCard } from './RiskCards.tsx';
import './dashboard.css';

/** A manager's glance, computed from this device's replica: it works the same with no network. */
export default function Dashboard() {
  const replica = useReplica();
  const now = useNow(60_000);
  // Only the two fields the counts need: with 10,000 devices, whole documents would be wasted copies.
  const loadedDeviceStates = createRxSignal<Pick<Device, 'status' | 'health'>[] | undefined>(
    () => replica.db.devices.find().$.pipe(map((documents) => documents.map((document) => ({ status: document.status, health: document.health })))),
    undefined,
  );
  const loadedAlerts = useLoadedDocuments('alerts');
  const loadedIncidents = useLoadedDocuments('incidents');
  const loadedRisks = useLoadedDocuments('risks');
  // Figures only once every query has answered: a 0 shown while the replica opens would be false.
  const isLoaded = () => [loadedDeviceStates(), loadedAlerts(), loadedIncidents(), loadedRisks()].every((list) => list !== undefined);
  const deviceStates = () => loadedDeviceStates() ?? [];
  const alerts = () => loadedAlerts() ?? [];
  const incidents = () => loadedIncidents() ?? [];
  const risks = () => loadedRisks() ?? [];
  const canSeeRisks = () => canRead(highestRole(replica.user), 'risks');

  const fleet = createMemo(() => fleetHealthOf(deviceStates()));
  const alertSummary = createMemo(() => alertSummaryOf(alerts()));
  const openIncidents = createMemo(() => incidents().filter(isOpenIncident));
  const responseStats = createMemo(() => responseStatsOf(incidents(), now()));
  const openRisks = createMemo(() => risks().filter(isOpenRisk));
  const overdue = createMemo(() => overdueReviewsOf(risks(), now()));
  const keyFigures = (): KeyFigure[] => [
    { label: 'critical devices', value: fleet().health.critical, href: '/fleet?health=critical', isAlarming: true },
    { label: 'open alerts', value: alertSummary().openTotal, href: '/alerts', isAlarming: true },
    { label: 'open incidents', value: openIncidents().length, href: '/incidents', isAlarming: true },
    ...(canSeeRisks() ? [{ label: 'reviews overdue', value: overdue().length, href: '/risks', isAlarming: true }] : []),
  ];

  return (
    <section class="page dashboard" aria-labelledby="dashboard-title">
      <div class="dash-heading">
        <h1 id="dashboard-title">Dashboard</h1>
        <p class="muted">From this device's data, synced {ago(replica.status.lastSyncedAt(), now())}</p>
      </div>
      <Show when={isLoaded()} fallback={<p class="muted" role="status">Opening this device's data…</p>}>
        <KeyFigures figures={keyFigures()} />
        <div class="dash-grid">
          <FleetHealthCard summary={fleet()} />
          <AlertsCard summary={alertSummary()} now={now()} />
          <IncidentsCard open={openIncidents()} stats={responseStats()} now={now()} />
          <Show when={canSeeRisks()}>
            <HeatMapCard openRisks={openRisks()} />
            <OverdueReviewsCard overdue={overdue()} now={now()} />
          </Show>
        </div>
      </Show>
    </section>
  );
}
