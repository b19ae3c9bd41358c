import { For, Show, createSignal } from 'solid-js';
import type { StepState } from '../../../shared/runbook/run-progress.ts';
import type { StepResult } from '../../../shared/schema/run.ts';
import { Field, describedBy } from '../../ui/Field.tsx';
import { ago, formatDateTime } from '../../ui/relative-time.ts';
import { StepDetails } from './StepDetails.tsx';

const RESULT_LABELS: Record<StepResult['result'], string> = { done: 'Done', skipped: 'Skipped', failed: 'Failed' };
const RESULT_ICONS: Record<StepResult['result'], string> = { done: '✓', skipped: '↷', failed: '✕' };

/** How one recorded result reads: what, by whom, when, and the note. */
function ResultLine(props: { result: StepResult; personName(id: string): string; now: number; isSuperseded?: boolean }) {
  return (
    <p class="result-line" classList={{ superseded: props.isSuperseded === true }} data-result={props.result.result}>
      <strong>{RESULT_LABELS[props.result.result]}</strong> by {props.personName(props.result.by)}{' '}
      <time datetime={props.result.at} title={formatDateTime(props.result.at)}>
        {ago(props.result.at, props.now)}
      </time>
      <Show when={props.result.note}>{(note) => <span class="result-note">“{note()}”</span>}</Show>
    </p>
  );
}

/**
 * One step of the checklist. Until it has a result (or when the user changes it) it offers
 * three large buttons; a failed step needs a note saying what went wrong.
 */
export function RunStep(props: {
  state: StepState;
  number: number;
  isNext: boolean;
  isReadOnly: boolean;
  isSaving: boolean;
  now: number;
  personName(id: string): string;
  onRecord(result: StepResult['result'], note: string): Promise<boolean>;
}) {
  const [isChanging, setChanging] = createSignal(false);
  const [note, setNote] = createSignal('');
  const [noteError, setNoteError] = createSignal<string>();
  const noteId = () => `note-${props.state.step.id}`;
  const headingId = () => `step-${props.state.step.id}`;
  const showsControls = () => !props.isReadOnly && (props.state.current === undefined || isChanging());

  const record = async (result: StepResult['result']) => {
    if (result === 'failed' && note().trim() === '') {
      setNoteError('Say what went wrong: a failed step needs a note');
      document.getElementById(noteId())?.focus();
      return;
    }
    setNoteError(undefined);
    if (await props.onRecord(result, note().trim())) {
      setNote('');
      setChanging(false);
    }
  };

  return (
    <li
      class="run-step card"
      classList={{ next: props.isNext }}
      data-result={props.state.current?.result ?? 'pending'}
      aria-labelledby={headingId()}
      data-testid="run-step"
      id={`run-step-${props.state.step.id}`}
    >
      <div class="run-step-head">
        <span class="step-badge" aria-hidden="true">
          {props.state.current ? RESULT_ICONS[props.state.current.result] : props.number}
        </span>
        <h3 id={headingId()}>
          Step {props.number}
          <span class="sr-only">: {props.state.current ? RESULT_LABELS[props.state.current.result] : 'no result yet'}</span>
        </h3>
      </div>
      <StepDetails step={props.state.step} />
      <Show when={props.state.current}>{(current) => <ResultLine result={current()} personName={props.personName} now={props.now} />}</Show>
      <Show when={props.state.earlier.length > 0}>
        <details class="earlier">
          <summary>
            {props.state.earlier.length} earlier result{props.state.earlier.length === 1 ? '' : 's'}
          </summary>
          <For each={[...props.state.earlier].reverse()}>{(result) => <ResultLine result={result} personName={props.personName} now={props.now} isSuperseded />}</For>
        </details>
      </Show>
      <Show when={showsControls()}>
        <div class="record" role="group" aria-labelledby={headingId()}>
          <Field id={noteId()} label="Note" error={noteError()} hint="Optional; required when the step failed.">
            <textarea id={noteId()} rows={2} value={note()} maxLength={4000} onInput={(e) => setNote(e.currentTarget.value)} {...describedBy(noteId(), noteError())} />
          </Field>
          <div class="result-buttons">
            <button type="button" class="result done" disabled={props.isSaving} onClick={() => void record('done')}>
              <span aria-hidden="true">✓</span> Done
            </button>
            <button type="button" class="result skipped" disabled={props.isSaving} onClick={() => void record('skipped')}>
              <span aria-hidden="true">↷</span> Skip
            </button>
            <button type="button" class="result failed" disabled={props.isSaving} onClick={() => void record('failed')}>
              <span aria-hidden="true">✕</span> Failed
            </button>
          </div>
          <Show when={isChanging()}>
            <button type="button" class="link-button" onClick={() => setChanging(false)}>
              Keep the current result
            </button>
          </Show>
        </div>
      </Show>
      <Show when={!props.isReadOnly && props.state.current && !isChanging()}>
        <button type="button" class="small change-result" onClick={() => setChanging(true)}>
          Change result
        </button>
      </Show>
    </li>
  );
}
