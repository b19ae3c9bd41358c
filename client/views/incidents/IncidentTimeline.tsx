import { For, Show, createMemo, createSignal } from 'solid-js';
import type { Incident } from '../../../shared/schema/incident.ts';
import type { TimelineEntry } from '../../../shared/schema/timeline.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { usePersonName } from '../../data/people.ts';
import { useDocuments } from '../../data/queries.ts';
import type { FieldErrors } from '../../data/write.ts';
import { Field, describedBy } from '../../ui/Field.tsx';
import { Notice, createSaving } from '../../ui/Notice.tsx';
import { ago, formatDateTime } from '../../ui/relative-time.ts';
import { appendTimeline } from './incident-writes.ts';

const KIND_LABELS: Record<TimelineEntry['kind'], string> = { note: 'Note', status: 'Status', severity: 'Severity', action: 'Action', link: 'Link' };

/** The incident's append-only story, newest first, and a note anyone on the site can add. */
export function IncidentTimeline(props: { incident: Incident; now: number }) {
  const replica = useReplica();
  const personName = usePersonName();
  const entries = useDocuments('timeline', () => ({ selector: { incidentId: props.incident.id } }));
  const newestFirst = createMemo(() => [...entries()].sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id)));
  const [note, setNote] = createSignal('');
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const { isSaving, notice, save } = createSaving();

  const addNote = async (event: SubmitEvent) => {
    event.preventDefault();
    setErrors({});
    const text = note().trim();
    // The schema refuses an empty entry; say so beside the field before writing anything.
    if (text === '') return setErrors({ text: 'Write the note first' });
    if (await save(() => appendTimeline(replica, props.incident, 'note', text), 'Note added.')) setNote('');
  };

  return (
    <section class="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <form onSubmit={(event) => void addNote(event)} novalidate>
        <Field id="timeline-note" label="Add a note" error={errors()['text']}>
          <textarea id="timeline-note" rows={3} value={note()} maxLength={8000} onInput={(e) => setNote(e.currentTarget.value)} {...describedBy('timeline-note', errors()['text'])} />
        </Field>
        <div class="actions">
          <button type="submit" class="primary" disabled={isSaving()}>
            Add note
          </button>
        </div>
      </form>
      <Notice message={notice()} />
      <ol class="timeline" aria-label="Timeline entries, newest first">
        <For each={newestFirst()} fallback={<li class="muted">Nothing recorded yet.</li>}>
          {(entry) => (
            <li class="timeline-entry" data-kind={entry.kind} data-testid="timeline-entry">
              <div class="timeline-head">
                <span class="badge">{KIND_LABELS[entry.kind]}</span>
                <strong>{personName(entry.by)}</strong>
                <time datetime={entry.at} title={formatDateTime(entry.at)} class="muted">
                  {ago(entry.at, props.now)}
                </time>
              </div>
              <p class="timeline-text">{entry.text}</p>
            </li>
          )}
        </For>
      </ol>
      <Show when={entries().length > 0}>
        <p class="muted small-print">Entries are never edited or removed: add a note to correct one.</p>
      </Show>
    </section>
  );
}
