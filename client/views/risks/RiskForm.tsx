import { useNavigate } from '@solidjs/router';
import { Show, createMemo, createSignal } from 'solid-js';
import { createStore } from 'solid-js/store';
import { isAcceptanceExpired } from '../../../shared/risk/acceptance.ts';
import { RISK_CATEGORIES, RISK_STATUSES, RISK_TREATMENTS, type Risk } from '../../../shared/schema/risk.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { mayWrite } from '../../data/may-write.ts';
import { useDocuments } from '../../data/queries.ts';
import { createDocument, updateDocument, type FieldErrors } from '../../data/write.ts';
import { ErrorText } from '../../ui/ErrorText.tsx';
import { Field, describedBy } from '../../ui/Field.tsx';
import { Options, optionsOf, type Option } from '../../ui/Options.tsx';
import { IMPACT_LABELS, LIKELIHOOD_LABELS, RISK_BAND_LABELS, RISK_LEVELS, riskBand } from '../../ui/risk-matrix.ts';
import { MitigationEditor } from './MitigationEditor.tsx';
import { CATEGORY_LABELS, STATUS_LABELS, TREATMENT_LABELS } from './risk-labels.ts';
import { applyFormEdits, dateToIso, isoToDate, plainDraft } from './risk-form.ts';

type Level = 1 | 2 | 3 | 4 | 5;

function LevelSelect(props: { id: string; label: string; value: number | undefined; names: readonly string[]; optional?: boolean; error: string | undefined; onChange(value: Level | undefined): void }) {
  return (
    <Field id={props.id} label={props.label} error={props.error}>
      <select id={props.id} value={props.value ?? ''} onChange={(e) => props.onChange(e.currentTarget.value ? (Number(e.currentTarget.value) as Level) : undefined)} {...describedBy(props.id, props.error)}>
        <Options options={[...(props.optional ? [{ value: '', label: 'Not assessed' }] : []), ...RISK_LEVELS.map((level) => ({ value: String(level), label: `${level} · ${props.names[level - 1]}` }))]} selected={props.value} />
      </select>
    </Field>
  );
}

function PicklistField<T extends string>(props: { id: string; label: string; value: T; values: readonly T[]; labels: Record<T, string>; error: string | undefined; onChange(value: T): void }) {
  return (
    <Field id={props.id} label={props.label} error={props.error}>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as T)} {...describedBy(props.id, props.error)}>
        <Options options={optionsOf(props.values, props.labels)} selected={props.value} />
      </select>
    </Field>
  );
}

function ScoreBadge(props: { likelihood: number | undefined; impact: number | undefined; label: string }) {
  const score = () => (props.likelihood && props.impact ? props.likelihood * props.impact : undefined);
  return (
    <div class="score-box">
      <span class="score-label">{props.label}</span>
      <Show when={score()} fallback={<span class="muted">—</span>}>
        {(value) => (
          <span class={`score-chip large band-${riskBand(value())}`} data-testid={`${props.label.toLowerCase().replace(/\s+/g, '-')}`}>
            {value()}
            <span class="score-band">{RISK_BAND_LABELS[riskBand(value())]}</span>
          </span>
        )}
      </Show>
    </div>
  );
}

/**
 * Create or edit one risk. `opened` is the state the person started from: a save applies their
 * edits to the latest state (see applyFormEdits), so changes synced meanwhile are kept.
 */
export function RiskForm(props: { opened: Risk; isNew: boolean; latest: Risk | undefined; writerOrgIds: string[] }) {
  const replica = useReplica();
  const navigate = useNavigate();
  const [draft, setDraft] = createStore<Risk>(structuredClone(props.opened));
  const [base, setBase] = createSignal(props.opened);
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const [message, setMessage] = createSignal<string>();
  const [savedAt, setSavedAt] = createSignal<string>();
  const [isSaving, setSaving] = createSignal(false);
  const orgs = useDocuments('orgs');
  const users = useDocuments('users');
  const people = createMemo(() => users().filter((u) => u.orgId === draft.orgId && !u.disabled).sort((a, b) => a.name.localeCompare(b.name)));
  const ownerOptions = createMemo((): Option[] => [
    { value: '', label: 'Unassigned' },
    ...people().map((p) => ({ value: p.userId, label: `${p.name} (${p.role})` })),
    // Someone who has left keeps their risks until a new owner is chosen.
    ...(draft.ownerId && !people().some((p) => p.userId === draft.ownerId) ? [{ value: draft.ownerId, label: 'A former member' }] : []),
  ]);
  const canEdit = createMemo(() => (props.isNew ? props.writerOrgIds.includes(draft.orgId) : mayWrite(replica, 'risks', props.opened, props.opened)));
  const changedElsewhere = () => !props.isNew && props.latest !== undefined && props.latest.updatedAt !== base().updatedAt && props.latest.updatedAt !== savedAt();
  const error = (path: string) => errors()[path];

  const setLevel = (field: 'likelihood' | 'impact', value: Level | undefined) => {
    if (value === undefined) return;
    setDraft(field, value);
    setDraft('score', draft.likelihood * draft.impact);
  };
  const setResidual = (field: 'residualLikelihood' | 'residualImpact', value: Level | undefined) => setDraft(field, value);

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setSaving(true);
    setSavedAt(undefined);
    const submitted = plainDraft(draft);
    const { updatedAt: _stamp, ...fields } = submitted;
    const result = props.isNew
      ? await createDocument(replica, 'risks', fields)
      : await updateDocument(replica, 'risks', submitted.id, (latest) => applyFormEdits(base(), submitted, latest));
    setSaving(false);
    if (!result.ok) {
      setErrors(result.errors);
      setMessage(result.message);
      queueMicrotask(() => document.querySelector<HTMLElement>('.risk-form [aria-invalid="true"]')?.focus());
      return;
    }
    setErrors({});
    setMessage(undefined);
    if (props.isNew) {
      navigate(`/risks/${submitted.id}`, { replace: true, state: { created: true } });
      return;
    }
    setBase(submitted);
    setSavedAt(new Date().toISOString());
  };

  return (
    <form class="risk-form" onSubmit={(e) => void save(e)} novalidate aria-describedby={message() ? 'risk-form-message' : undefined}>
      <Show when={!canEdit()}>
        <p class="notice" role="note">
          You can read this risk; only managers and admins edit the risk register.
        </p>
      </Show>
      <Show when={changedElsewhere()}>
        <p class="notice" role="status">
          Someone changed this risk since you opened it. Saving keeps their changes to fields you did not edit.
        </p>
      </Show>
      <fieldset class="form-body" disabled={!canEdit()}>
        <legend class="sr-only">Risk details</legend>
        <section class="card form-section" aria-labelledby="risk-section-what">
          <h2 id="risk-section-what">The risk</h2>
          <Show when={props.isNew && props.writerOrgIds.length > 1}>
            <Field id="risk-org" label="Organization" error={error('orgId')}>
              <select id="risk-org" value={draft.orgId} onChange={(e) => setDraft({ orgId: e.currentTarget.value, ownerId: undefined })}>
                <Options options={orgs().filter((o) => props.writerOrgIds.includes(o.id)).map((o) => ({ value: o.id, label: o.name }))} selected={draft.orgId} />
              </select>
            </Field>
          </Show>
          <Field id="risk-title" label="Title" error={error('title')}>
            <input id="risk-title" value={draft.title} onInput={(e) => setDraft('title', e.currentTarget.value)} {...describedBy('risk-title', error('title'))} />
          </Field>
          <Field id="risk-description" label="Description" error={error('description')}>
            <textarea id="risk-description" rows="4" value={draft.description} onInput={(e) => setDraft('description', e.currentTarget.value)} {...describedBy('risk-description', error('description'))} />
          </Field>
          <div class="form-row">
            <PicklistField id="risk-category" label="Category" value={draft.category} values={RISK_CATEGORIES} labels={CATEGORY_LABELS} error={error('category')} onChange={(v) => setDraft('category', v)} />
            <Field id="risk-owner" label="Owner" error={error('ownerId')}>
              <select id="risk-owner" value={draft.ownerId ?? ''} onChange={(e) => setDraft('ownerId', e.currentTarget.value || undefined)} {...describedBy('risk-owner', error('ownerId'))}>
                <Options options={ownerOptions()} selected={draft.ownerId} />
              </select>
            </Field>
          </div>
        </section>

        <section class="card form-section" aria-labelledby="risk-section-assessment">
          <h2 id="risk-section-assessment">Assessment</h2>
          <div class="assessment">
            <div class="form-row">
              <LevelSelect id="risk-likelihood" label="Likelihood" value={draft.likelihood} names={LIKELIHOOD_LABELS} error={error('likelihood')} onChange={(v) => setLevel('likelihood', v)} />
              <LevelSelect id="risk-impact" label="Impact" value={draft.impact} names={IMPACT_LABELS} error={error('impact')} onChange={(v) => setLevel('impact', v)} />
            </div>
            <ScoreBadge likelihood={draft.likelihood} impact={draft.impact} label="Score" />
          </div>
          <ErrorText message={error('') ?? error('score')} />
          <div class="assessment">
            <div class="form-row">
              <LevelSelect id="risk-residual-likelihood" label="Residual likelihood" optional value={draft.residualLikelihood} names={LIKELIHOOD_LABELS} error={error('residualLikelihood')} onChange={(v) => setResidual('residualLikelihood', v)} />
              <LevelSelect id="risk-residual-impact" label="Residual impact" optional value={draft.residualImpact} names={IMPACT_LABELS} error={error('residualImpact')} onChange={(v) => setResidual('residualImpact', v)} />
            </div>
            <ScoreBadge likelihood={draft.residualLikelihood} impact={draft.residualImpact} label="Residual score" />
          </div>
        </section>

        <section class="card form-section" aria-labelledby="risk-section-treatment">
          <h2 id="risk-section-treatment">Treatment and review</h2>
          <div class="form-row three">
            <PicklistField id="risk-treatment" label="Treatment" value={draft.treatment} values={RISK_TREATMENTS} labels={TREATMENT_LABELS} error={error('treatment')} onChange={(v) => setDraft('treatment', v)} />
            <PicklistField id="risk-status" label="Status" value={draft.status} values={RISK_STATUSES} labels={STATUS_LABELS} error={error('status')} onChange={(v) => setDraft('status', v)} />
            <Field id="risk-review" label="Next review" error={error('nextReviewAt')}>
              <input id="risk-review" type="date" value={isoToDate(draft.nextReviewAt)} onChange={(e) => setDraft('nextReviewAt', dateToIso(e.currentTarget.value))} {...describedBy('risk-review', error('nextReviewAt'))} />
            </Field>
          </div>
          <Show when={draft.status === 'accepted' && draft.acceptance !== undefined && isAcceptanceExpired(draft, Date.now()) ? draft.acceptance : undefined}>
            {(lapsed) => (
              <p class="notice" role="status">
                The acceptance ended on {isoToDate(lapsed().until)}: this risk is open again. Review it, and choose another status or record a new acceptance.
              </p>
            )}
          </Show>
        </section>

        <MitigationEditor draft={draft} setDraft={setDraft} people={people()} errors={errors()} canEdit={canEdit()} />
      </fieldset>

      <Show when={canEdit()}>
        <div class="form-actions">
          <ErrorText id="risk-form-message" message={message() && `Not saved: ${message()}`} />
          <Show when={savedAt()} fallback={<Show when={!message()}><p class="muted save-hint">Saved on this device first; it syncs whenever there is a connection.</p></Show>}>
            <p class="saved" role="status">
              Saved on this device{replica.status.isOnline() ? '' : '; it syncs when you are back online'}.
            </p>
          </Show>
          <button type="submit" class="primary" disabled={isSaving()}>
            {props.isNew ? 'Create risk' : 'Save changes'}
          </button>
        </div>
      </Show>
    </form>
  );
}
