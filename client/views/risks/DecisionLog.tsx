import { For, Show, createSignal } from 'solid-js';
import type { Risk } from '../../../shared/schema/risk.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { newId } from '../../data/ids.ts';
import { usePersonName } from '../../data/people.ts';
import { updateDocument, type FieldErrors } from '../../data/write.ts';
import { ErrorText } from '../../ui/ErrorText.tsx';
import { Field, describedBy } from '../../ui/Field.tsx';
import { formatDateTime } from '../../ui/relative-time.ts';

/**
 * The decisions taken on a risk, newest first. Append-only (the shared rules refuse edits to
 * earlier entries), so a decision is recorded at once rather than with the form's Save.
 */
export function DecisionLog(props: { risk: Risk; canRecord: boolean }) {
  const replica = useReplica();
  const personName = usePersonName();
  const [decision, setDecision] = createSignal('');
  const [rationale, setRationale] = createSignal('');
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const [message, setMessage] = createSignal<string>();
  const [isSaving, setSaving] = createSignal(false);
  const newestFirst = () => [...props.risk.decisions].reverse();
  const index = () => props.risk.decisions.length;
  const errorOf = (field: string) => {
    const all = errors();
    return all[`decisions.${index()}.${field}`] ?? (field === 'decision' ? all['decisions'] : undefined);
  };

  const record = async (event: SubmitEvent) => {
    event.preventDefault();
    setSaving(true);
    const entry = { id: newId(), at: new Date().toISOString(), by: replica.user.id, decision: decision().trim(), ...(rationale().trim() ? { rationale: rationale().trim() } : {}) };
    // Recorded against the latest risk: the entry's index is where the schema reports its errors.
    const result = await updateDocument(replica, 'risks', props.risk.id, (current) => ({ ...current, decisions: [...current.decisions, entry] }));
    setSaving(false);
    if (result.ok) {
      setDecision('');
      setRationale('');
      setErrors({});
      setMessage(undefined);
    } else {
      setErrors(result.errors);
      setMessage(result.message);
    }
  };

  return (
    <section class="card form-section" aria-labelledby="decisions-title">
      <h2 id="decisions-title">Decisions</h2>
      <Show when={props.risk.decisions.length > 0} fallback={<p class="muted">No decisions recorded yet.</p>}>
        <ol class="decision-list" reversed>
          <For each={newestFirst()}>
            {(entry) => (
              <li>
                <p class="decision-text">{entry.decision}</p>
                <Show when={entry.rationale}>
                  <p class="decision-rationale">{entry.rationale}</p>
                </Show>
                <p class="muted decision-meta">
                  {personName(entry.by)}, {formatDateTime(entry.at)}
                </p>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <Show when={props.canRecord}>
        <form class="decision-form" onSubmit={(e) => void record(e)} novalidate>
          <h3>Record a decision</h3>
          <Field id="decision-text" label="Decision" error={errorOf('decision')}>
            <input id="decision-text" value={decision()} onInput={(e) => setDecision(e.currentTarget.value)} {...describedBy('decision-text', errorOf('decision'))} />
          </Field>
          <Field id="decision-rationale" label="Rationale" error={errorOf('rationale')} hint="Why: what was weighed, what it costs, who agreed.">
            <textarea id="decision-rationale" value={rationale()} onInput={(e) => setRationale(e.currentTarget.value)} {...describedBy('decision-rationale', errorOf('rationale'))} />
          </Field>
          <ErrorText message={message()} />
          <button type="submit" disabled={isSaving()}>
            Record decision
          </button>
        </form>
      </Show>
    </section>
  );
}
