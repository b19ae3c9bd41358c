import { For, Show, createEffect, createSignal } from 'solid-js';
import { suggestedOutcome, type RunProgress } from '../../../shared/runbook/run-progress.ts';
import { RUN_OUTCOMES, type Run } from '../../../shared/schema/run.ts';
import { OUTCOME_LABELS } from './runbook-labels.ts';

const OUTCOME_HINTS: Record<NonNullable<Run['outcome']>, string> = {
  succeeded: 'The problem is fixed or the procedure is complete.',
  failed: 'The procedure did not work; someone needs to follow up.',
  aborted: 'Stopped before the end, e.g. no access or wrong device.',
};

/** Finish with an outcome: the checklist suggests one; steps still open are pointed out. */
export function FinishRun(props: { progress: RunProgress; isSaving: boolean; onFinish(outcome: NonNullable<Run['outcome']>): void }) {
  const [outcome, setOutcome] = createSignal<NonNullable<Run['outcome']>>('succeeded');
  // Follows the checklist until the user picks an outcome themselves.
  const [isChosen, setChosen] = createSignal(false);
  createEffect(() => {
    if (!isChosen()) setOutcome(suggestedOutcome(props.progress));
  });
  return (
    <form
      class="card finish-run"
      aria-labelledby="finish-title"
      onSubmit={(event) => {
        event.preventDefault();
        props.onFinish(outcome());
      }}
    >
      <h2 id="finish-title">Finish the run</h2>
      <Show when={props.progress.remaining > 0}>
        <p class="notice warn">
          {props.progress.remaining} step{props.progress.remaining === 1 ? ' has' : 's have'} no result yet.
        </p>
      </Show>
      <fieldset class="outcomes">
        <legend>Outcome</legend>
        <For each={RUN_OUTCOMES}>
          {(value) => (
            <label class="outcome" data-outcome={value}>
              <input
                type="radio"
                name="run-outcome"
                value={value}
                checked={outcome() === value}
                onChange={() => {
                  setChosen(true);
                  setOutcome(value);
                }}
              />
              <span>
                <strong>{OUTCOME_LABELS[value]}</strong>
                <small class="muted">{OUTCOME_HINTS[value]}</small>
              </span>
            </label>
          )}
        </For>
      </fieldset>
      <button type="submit" class="primary big" disabled={props.isSaving}>
        Finish run
      </button>
    </form>
  );
}
