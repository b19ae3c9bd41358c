import type { Risk } from '../../../shared/schema/risk.ts';
import { formatDuration } from '../../ui/duration.ts';
import { RecordLine } from '../../ui/RecordLine.tsx';
import { formatDateTime } from '../../ui/relative-time.ts';
import { RiskHeatMap } from '../../ui/RiskHeatMap.tsx';
import { RISK_BAND_TONE, riskBand } from '../../ui/risk-matrix.ts';
import { DashCard, ShortList } from './DashCard.tsx';

export function HeatMapCard(props: { openRisks: readonly Risk[] }) {
  const title = (
    <>
      Risk heat map <span class="muted count" data-testid="open-risk-count">{props.openRisks.length} open</span>
    </>
  );
  return (
    <DashCard id="heat-map-title" title={title} href="/risks" linkLabel="Register">
      <RiskHeatMap risks={props.openRisks} hrefFor={(likelihood, impact) => `/risks?likelihood=${likelihood}&impact=${impact}`} caption="Open risks by likelihood (rows) and impact (columns)" />
    </DashCard>
  );
}

export function OverdueReviewsCard(props: { overdue: readonly Risk[]; now: number }) {
  return (
    <DashCard id="overdue-title" title="Reviews overdue" href="/risks" linkLabel="Risks">
      <p class={`headline ${props.overdue.length > 0 ? 'tone-bad' : 'tone-ok'}`}>
        <span class="headline-number" data-testid="overdue-review-count">
          {props.overdue.length}
        </span>
        <span class="headline-label">risk{props.overdue.length === 1 ? '' : 's'} past the review date</span>
      </p>
      <ShortList items={props.overdue} empty="Every open risk has been reviewed on time." moreHref="/risks" moreLabel={`All ${props.overdue.length} overdue reviews`}>
        {(risk) => (
          <RecordLine
            badges={<span class={`badge ${RISK_BAND_TONE[riskBand(risk.score)]}`}>score {risk.score}</span>}
            title={risk.title}
            href={`/risks/${risk.id}`}
            meta={`overdue by ${formatDuration(props.now - Date.parse(risk.nextReviewAt))}`}
            metaTitle={`Review was due ${formatDateTime(risk.nextReviewAt)}`}
          />
        )}
      </ShortList>
    </DashCard>
  );
}
