import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { Show, createEffect, createSignal } from 'solid-js';
import { INCIDENT_SEVERITIES, type Incident } from '../../../shared/schema/incident.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { newId } from '../../data/ids.ts';
import { useDocument, useDocuments } from '../../data/queries.ts';
import type { FieldErrors } from '../../data/write.ts';
import { Field, describedBy } from '../../ui/Field.tsx';
import { Notice, type NoticeMessage } from '../../ui/Notice.tsx';
import { Options, optionsOf } from '../../ui/Options.tsx';
import { INCIDENT_SEVERITY_LABELS } from '../../ui/tones.ts';
import { openIncident } from './incident-writes.ts';

/** The schema says what is wrong; for a site not chosen yet, say what to do instead. */
function inPlainWords(errors: FieldErrors, siteId: string): FieldErrors {
  return siteId === '' && errors['siteId'] ? { ...errors, siteId: 'Choose the site where it happens' } : errors;
}

/** Report an incident: validated with the shared schema, errors beside the fields. */
export function NewIncident() {
  const replica = useReplica();
  const navigate = useNavigate();
  const [params] = useSearchParams<{ deviceId?: string }>();
  const device = useDocument('devices', () => params.deviceId);
  const sites = useDocuments('sites');
  const [title, setTitle] = createSignal('');
  const [siteId, setSiteId] = createSignal('');
  const [severity, setSeverity] = createSignal<Incident['severity']>('sev3');
  const [summary, setSummary] = createSignal('');
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const [failure, setFailure] = createSignal<NoticeMessage>();
  const [isSaving, setSaving] = createSignal(false);

  // Reported from a device: its site. With a single site there is nothing to choose.
  createEffect(() => {
    if (siteId() !== '') return;
    const only = sites().length === 1 ? sites()[0]?.id : undefined;
    const preset = device()?.siteId ?? only;
    if (preset) setSiteId(preset);
  });

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setSaving(true);
    setFailure(undefined);
    const membership = replica.user.memberships[0];
    const orgId = sites().find((s) => s.id === siteId())?.orgId ?? membership?.orgId ?? '';
    const id = newId();
    const draft: Omit<Incident, 'updatedAt'> = {
      id,
      orgId,
      siteId: siteId(),
      title: title().trim(),
      summary: summary().trim(),
      severity: severity(),
      status: 'triage',
      deviceIds: device() ? [device()!.id] : [],
      alertIds: [],
      runIds: [],
      openedBy: replica.user.id,
      openedAt: new Date().toISOString(),
    };
    const result = await openIncident(replica, draft, draft.summary || draft.title);
    setSaving(false);
    if (result.ok) {
      navigate(`/incidents/${id}`, { replace: true });
      return;
    }
    setErrors(inPlainWords(result.errors, siteId()));
    if (Object.keys(result.errors).length === 0) setFailure({ isError: true, text: result.message });
    else document.querySelector<HTMLElement>('.field.invalid input, .field.invalid select, .field.invalid textarea')?.focus();
  };

  return (
    <section class="page narrow" aria-labelledby="new-incident-title">
      <A class="back" href="/incidents">
        ← Incidents
      </A>
      <h1 id="new-incident-title">Report an incident</h1>
      <form class="card" onSubmit={(event) => void submit(event)} novalidate>
        <Field id="incident-title" label="What is wrong" error={errors()['title']} hint="A short title others will recognise, e.g. “Lane 3 POS won't boot”.">
          <input id="incident-title" value={title()} maxLength={200} onInput={(e) => setTitle(e.currentTarget.value)} {...describedBy('incident-title', errors()['title'])} />
        </Field>
        <Field id="incident-site" label="Site" error={errors()['siteId']}>
          <select id="incident-site" value={siteId()} onChange={(e) => setSiteId(e.currentTarget.value)} {...describedBy('incident-site', errors()['siteId'])}>
            <option value="">Choose a site…</option>
            <Options options={sites().map((site) => ({ value: site.id, label: site.name }))} selected={siteId()} />
          </select>
        </Field>
        <Field id="incident-severity" label="Severity" error={errors()['severity']}>
          <select id="incident-severity" value={severity()} onChange={(e) => setSeverity(e.currentTarget.value as Incident['severity'])}>
            <Options options={optionsOf(INCIDENT_SEVERITIES, INCIDENT_SEVERITY_LABELS)} selected={severity()} />
          </select>
        </Field>
        <Field id="incident-summary" label="What happened" error={errors()['summary']} hint="Impact, what you saw, what you tried. Optional.">
          <textarea id="incident-summary" value={summary()} maxLength={4000} onInput={(e) => setSummary(e.currentTarget.value)} {...describedBy('incident-summary', errors()['summary'])} />
        </Field>
        <Show when={device()}>{(d) => <p class="muted">About the device {d().hostname}.</p>}</Show>
        <Notice message={failure()} />
        <div class="actions">
          <button type="submit" class="primary" disabled={isSaving()}>
            {isSaving() ? 'Saving…' : 'Report incident'}
          </button>
          <A class="button" href="/incidents">
            Cancel
          </A>
        </div>
      </form>
    </section>
  );
}
