import { Show, createEffect, createSignal, on } from 'solid-js';
import type { Device } from '../../../shared/schema/device.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { mayWrite } from '../../data/may-write.ts';
import { updateDocument, type FieldErrors } from '../../data/write.ts';
import { Field, describedBy } from '../../ui/Field.tsx';
import { formatDateTime } from '../../ui/relative-time.ts';

/** "2026-11-23T14:05" in the browser's zone, what a datetime-local input shows. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/**
 * Notes and maintenance window, saved on this device first and synced later. While someone
 * types, a change arriving by sync does not replace their draft; the save applies to the
 * latest state, so the other fields it brought are kept.
 */
export function DeviceNotesForm(props: { device: Device }) {
  const replica = useReplica();
  const [notes, setNotes] = createSignal(props.device.notes ?? '');
  const [maintenance, setMaintenance] = createSignal(toLocalInput(props.device.maintenanceUntil));
  const [isDirty, setDirty] = createSignal(false);
  const [isSaving, setSaving] = createSignal(false);
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const [message, setMessage] = createSignal<string>();
  const [savedAt, setSavedAt] = createSignal<string>();
  const canEdit = () => mayWrite(replica, 'devices', props.device, props.device);
  // This device's own state, not the whole replica's: other documents may be waiting, or none.
  const isOnServer = () => {
    replica.status.pendingCount();
    return !replica.pending.has('devices', props.device.id);
  };

  createEffect(
    on(
      () => [props.device.notes, props.device.maintenanceUntil] as const,
      ([storedNotes, storedUntil]) => {
        if (isDirty()) return;
        setNotes(storedNotes ?? '');
        setMaintenance(toLocalInput(storedUntil));
      },
    ),
  );

  const edit = (apply: () => void) => {
    apply();
    setDirty(true);
    setSavedAt(undefined);
  };

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setSaving(true);
    setErrors({});
    setMessage(undefined);
    const text = notes().trim();
    const until = fromLocalInput(maintenance());
    const result = await updateDocument(replica, 'devices', props.device.id, (current) => {
      const next: Device = { ...current };
      if (text) next.notes = text;
      else delete next.notes;
      if (until) next.maintenanceUntil = until;
      else delete next.maintenanceUntil;
      return next;
    });
    setSaving(false);
    if (result.ok) {
      setDirty(false);
      setSavedAt(new Date().toISOString());
    } else {
      setErrors(result.errors);
      setMessage(result.message);
    }
  };

  return (
    <section class="card" aria-labelledby="notes-title">
      <h2 id="notes-title">Notes and maintenance</h2>
      <Show
        when={canEdit()}
        fallback={
          <>
            <p class="device-notes-text">{props.device.notes || <span class="muted">No notes.</span>}</p>
            <p class="muted">
              {props.device.maintenanceUntil ? `Maintenance until ${formatDateTime(props.device.maintenanceUntil)}.` : ''} Your role can read devices but not edit them.
            </p>
          </>
        }
      >
        <form onSubmit={save} novalidate>
          <Field id="device-notes" label="Notes" error={errors()['notes']} hint="Seen by everyone who can see this device: never write passwords here.">
            <textarea
              id="device-notes"
              value={notes()}
              rows={5}
              maxLength={5000}
              onInput={(event) => edit(() => setNotes(event.currentTarget.value))}
              {...describedBy('device-notes', errors()['notes'])}
            />
          </Field>
          <Field id="device-maintenance" label="In maintenance until" error={errors()['maintenanceUntil']} hint="Alerts from this device are silenced until then. Leave empty for none.">
            <input
              id="device-maintenance"
              type="datetime-local"
              value={maintenance()}
              onInput={(event) => edit(() => setMaintenance(event.currentTarget.value))}
              {...describedBy('device-maintenance', errors()['maintenanceUntil'])}
            />
          </Field>
          <Show when={message()}>
            <p class="field-error" role="alert">
              {message()}
            </p>
          </Show>
          <div class="actions">
            <button type="submit" class="primary" disabled={!isDirty() || isSaving()}>
              {isSaving() ? 'Saving…' : 'Save notes'}
            </button>
            <Show when={isDirty() && !isSaving()}>
              <span class="muted">Unsaved changes</span>
            </Show>
            <p class="muted save-state" role="status">
              {savedAt() ? (isOnServer() ? 'Saved on this device and synced.' : 'Saved on this device; it syncs when the server is reachable.') : ''}
            </p>
          </div>
        </form>
      </Show>
    </section>
  );
}
