import type { Incident } from '../../../shared/schema/incident.ts';
import { formatDuration } from '../../ui/duration.ts';
import { RecordLine } from '../../ui/RecordLine.tsx';
import { formatDateTime } from '../../ui/relative-time.ts';
import { INCIDENT_SEVERITY_TONE } from '../../ui/tones.ts';
import { DashCard, ShortList } from './DashCard.tsx';
import { RESPONSE_WINDOW_DAYS, type Spread, type responseStatsOf } from './metrics.ts';

const spreadText = (spread: Spread | undefined, pick: 'medianMs' | 'averageMs') => (spread ? formatDuration(spread[pick]) : '—');

function ResponseFigure(props: { label: string; spread: Spread | undefined }) {
  return (
    <div class="response-figure">
      <dt>{props.label}</dt>
      <dd>
        <span class="figure-main">{spreadText(props.spread, 'medianMs')}</span>
        <span class="muted"> median</span>
        <br />
        <span class="muted">
          {spreadText(props.spread, 'averageMs')} average · {props.spread?.count ?? 0} incident{props.spread?.count === 1 ? '' : 's'}
        </span>
      </dd>
    </div>
  );
}

/** Open incidents, most severe and oldest first, with their age; and how fast the team responds. */
export function IncidentsCard(props: { open: readonly Incident[]; stats: ReturnType<typeof responseStatsOf>; now: number }) {
  const sorted = () => [...props.open].sort((a, b) => a.severity.localeCompare(b.severity) || a.openedAt.localeCompare(b.openedAt));
  const ageOf = (incident: Incident) =>
    `${incident.status} · open ${formatDuration(props.now - Date.parse(incident.openedAt))}${incident.acknowledgedAt ? '' : ' · not acknowledged'}`;
  return (
    <DashCard id="incidents-title" title="Incidents" href="/incidents" linkLabel="Incidents">
      <dl class="response-figures">
        <ResponseFigure label="Time to acknowledge" spread={props.stats.toAcknowledge} />
        <ResponseFigure label="Time to resolve" spread={props.stats.toResolve} />
      </dl>
      <p class="muted dash-note">Over the {props.stats.incidentCount} incidents opened in the last {RESPONSE_WINDOW_DAYS} days.</p>
      <h3 class="dash-subhead">
        Open <span class="muted" data-testid="open-incident-count">{props.open.length}</span>
      </h3>
      <ShortList items={sorted()} empty="No open incident." moreHref="/incidents" moreLabel={`All ${props.open.length} open incidents`}>
        {(incident) => (
          <RecordLine
            badges={<span class={`badge ${INCIDENT_SEVERITY_TONE[incident.severity]}`}>{incident.severity}</span>}
            title={incident.title}
            href={`/incidents/${incident.id}`}
            meta={ageOf(incident)}
            metaTitle={`Opened ${formatDateTime(incident.openedAt)}`}
          />
        )}
      </ShortList>
    </DashCard>
  );
}
