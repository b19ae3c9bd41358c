import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { useReplica } from '../../app/replica-context.tsx';
import { useDocuments } from '../../data/queries.ts';
import { useNow } from '../../ui/now.ts';
import { ago } from '../../ui/relative-time.ts';

/** The user's unfinished runs, to pick up where they left off (the state is on this device). */
export function RunsInProgress() {
  const replica = useReplica();
  const now = useNow();
  const runs = useDocuments('runs', () => ({ selector: { startedBy: replica.user.id, finishedAt: { $exists: false } } }));
  const runbooks = useDocuments('runbooks', () => ({ selector: { id: { $in: [...new Set(runs().map((r) => r.runbookId))] } } }));
  const newestFirst = () => [...runs()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return (
    <Show when={runs().length > 0}>
      <section class="card runs-in-progress" aria-labelledby="runs-in-progress-title">
        <h2 id="runs-in-progress-title">Your runs in progress</h2>
        <ul>
          <For each={newestFirst()}>
            {(run) => (
              <li>
                <A href={`/runs/${run.id}`}>Resume {runbooks().find((r) => r.id === run.runbookId)?.title ?? 'run'}</A>
                <span class="muted">
                  {' '}
                  · {run.stepResults.length} result{run.stepResults.length === 1 ? '' : 's'} · started {ago(run.startedAt, now())}
                </span>
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}
