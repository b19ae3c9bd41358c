import { A } from '@solidjs/router';
import { For, Show, createMemo } from 'solid-js';
import { usePersonName } from '../../data/people.ts';
import { useDocuments } from '../../data/queries.ts';
import { useNow } from '../../ui/now.ts';
import { ago } from '../../ui/relative-time.ts';
import { OUTCOME_LABELS, OUTCOME_TONE } from './runbook-labels.ts';

const SHOWN = 8;

/** The latest times this runbook was followed at the user's sites. */
export function RecentRuns(props: { runbookId: string }) {
  const now = useNow();
  const personName = usePersonName();
  const runs = useDocuments('runs', () => ({ selector: { runbookId: props.runbookId } }));
  const latest = createMemo(() => [...runs()].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, SHOWN));
  const devices = useDocuments('devices', () => ({ selector: { id: { $in: latest().flatMap((r) => (r.deviceId ? [r.deviceId] : [])) } } }));
  return (
    <section class="card" aria-labelledby="recent-runs-title">
      <h2 id="recent-runs-title">Recent runs</h2>
      <Show when={latest().length > 0} fallback={<p class="muted">Not run yet at your sites.</p>}>
        <ul class="link-list">
          <For each={latest()}>
            {(run) => (
              <li>
                <A href={`/runs/${run.id}`}>{devices().find((d) => d.id === run.deviceId)?.hostname ?? 'Site run'}</A>
                <Show when={run.outcome} fallback={<span class="badge info">in progress</span>}>
                  {(outcome) => <span class={`badge ${OUTCOME_TONE[outcome()]}`}>{OUTCOME_LABELS[outcome()]}</span>}
                </Show>
                <span class="muted">
                  {personName(run.startedBy)}, {ago(run.startedAt, now())}
                </span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
