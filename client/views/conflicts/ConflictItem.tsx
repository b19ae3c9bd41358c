import { For, Show, createSignal } from 'solid-js';
import type { ConflictRecord, ConflictSide } from '../../../shared/schema/common.ts';
import { ErrorText } from '../../ui/ErrorText.tsx';
import { Field, describedBy } from '../../ui/Field.tsx';
import { ago, formatDateTime } from '../../ui/relative-time.ts';
import { authorshipOf } from './conflict-authorship.ts';
import { editableText, formatValue, parseMergedValue, type Resolution } from './conflict-resolution.ts';

/** Who wrote one value and when: "by Dana Kim · 2 h ago on their device · 2 h ago on the server". */
function Authorship(props: { side: ConflictSide | undefined; role: 'kept' | 'other'; viewerId: string | undefined; testId: string }) {
  const parts = () => authorshipOf(props.side, props.role, props.viewerId);
  return (
    <Show when={parts().length > 0}>
      <p class="conflict-authorship" data-testid={props.testId}>
        <For each={parts()}>
          {(part) =>
            'time' in part ? (
              <time datetime={part.time} title={formatDateTime(part.time)}>
                {ago(part.time)}
              </time>
            ) : (
              part.text
            )
          }
        </For>
      </p>
    </Show>
  );
}

/**
 * One conflict record: the value the document kept beside the one it did not, and the three
 * ways out. `onResolve` answers an error message, or undefined when the decision was saved.
 */
export function ConflictItem(props: {
  record: ConflictRecord;
  fieldName: string;
  /** The signed-in user, so their own writes read "by you". */
  viewerId?: string | undefined;
  canResolve: boolean;
  onResolve(resolution: Resolution): Promise<string | undefined>;
}) {
  const [isEditing, setEditing] = createSignal(false);
  const [merged, setMerged] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [mergeError, setMergeError] = createSignal<string>();
  const [isBusy, setBusy] = createSignal(false);
  const base = () => `conflict-${props.record.id}`;

  const decide = async (resolution: Resolution) => {
    setBusy(true);
    setError(await props.onResolve(resolution));
    setBusy(false);
  };
  const startEditing = () => {
    setMerged(editableText(props.record.keptValue));
    setMergeError(undefined);
    setEditing(true);
    queueMicrotask(() => document.getElementById(`${base()}-merged`)?.focus());
  };
  const saveMerged = async (event: SubmitEvent) => {
    event.preventDefault();
    const parsed = parseMergedValue(merged(), props.record);
    if (!parsed.ok) return setMergeError(parsed.reason);
    setMergeError(undefined);
    await decide({ kind: 'merged', value: parsed.document });
  };

  return (
    <li class="conflict-item" aria-labelledby={`${base()}-field`}>
      <div class="conflict-head">
        <h3 id={`${base()}-field`}>{props.fieldName}</h3>
        <span class="muted" title={formatDateTime(props.record.recordedAt)}>
          recorded {ago(props.record.recordedAt)}
        </span>
      </div>
      <div class="conflict-values">
        <div class="conflict-value kept">
          <span class="value-label">Kept: in the document now</span>
          <pre data-testid="kept-value">{formatValue(props.record.keptValue)}</pre>
          <Authorship side={props.record.kept} role="kept" viewerId={props.viewerId} testId="kept-authorship" />
        </div>
        <div class="conflict-value other">
          <span class="value-label">Other: not applied</span>
          <pre data-testid="other-value">{formatValue(props.record.otherValue)}</pre>
          <Authorship side={props.record.other} role="other" viewerId={props.viewerId} testId="other-authorship" />
        </div>
      </div>
      <Show when={props.canResolve} fallback={<p class="muted">Someone who may edit this record decides which value stays.</p>}>
        <Show
          when={isEditing()}
          fallback={
            <div class="actions">
              <button type="button" disabled={isBusy()} onClick={() => void decide({ kind: 'keep' })}>
                Keep current
              </button>
              <button type="button" disabled={isBusy()} onClick={() => void decide({ kind: 'other' })}>
                Take other
              </button>
              <button type="button" disabled={isBusy()} onClick={startEditing}>
                Edit merged value
              </button>
            </div>
          }
        >
          <form class="merge-form" onSubmit={(e) => void saveMerged(e)} novalidate>
            <Field id={`${base()}-merged`} label={`Merged value for ${props.fieldName}`} error={mergeError()}>
              <textarea id={`${base()}-merged`} rows="3" value={merged()} onInput={(e) => setMerged(e.currentTarget.value)} {...describedBy(`${base()}-merged`, mergeError())} />
            </Field>
            <div class="actions">
              <button type="submit" class="primary" disabled={isBusy()}>
                Save merged value
              </button>
              <button type="button" onClick={() => setEditing(false)}>
                Cancel
              </button>
            </div>
          </form>
        </Show>
      </Show>
      <ErrorText message={error()} />
    </li>
  );
}
