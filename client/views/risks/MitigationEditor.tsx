import { For, Show } from 'solid-js';
import type { SetStoreFunction } from 'solid-js/store';
import type { Risk } from '../../../shared/schema/risk.ts';
import type { UserEntry } from '../../../shared/schema/user.ts';
import { newId } from '../../data/ids.ts';
import { Field, describedBy } from '../../ui/Field.tsx';
import { Options } from '../../ui/Options.tsx';
import { dateToIso, isoToDate } from './risk-form.ts';

type Errors = Record<string, string>;

/**
 * Mitigation actions of the draft: text, owner, due date and done, added and removed in place.
 * Errors arrive keyed by index ("mitigations.2.action"), as the schema reports them.
 */
export function MitigationEditor(props: { draft: Risk; setDraft: SetStoreFunction<Risk>; people: UserEntry[]; errors: Errors; canEdit: boolean }) {
  const add = () => {
    const id = newId();
    props.setDraft('mitigations', (list) => [...list, { id, action: '', status: 'open' }]);
    queueMicrotask(() => document.getElementById(`mitigation-${id}-action`)?.focus());
  };
  const remove = (id: string) => props.setDraft('mitigations', (list) => list.filter((m) => m.id !== id));
  const update = (index: number, change: Partial<Risk['mitigations'][number]>) =>
    props.setDraft('mitigations', index, (m) => {
      const next: Record<string, unknown> = { ...m, ...change };
      for (const key of Object.keys(change)) if (next[key] === undefined || next[key] === '') delete next[key];
      return next as Risk['mitigations'][number];
    });

  return (
    <section class="card form-section" aria-labelledby="mitigations-title">
      <div class="section-head">
        <h2 id="mitigations-title">Mitigation actions</h2>
        <span class="muted">
          {props.draft.mitigations.filter((m) => m.status === 'done').length} of {props.draft.mitigations.length} done
        </span>
      </div>
      <Show when={props.errors['mitigations']}>{(message) => <p class="field-error" role="alert">Mitigations {message()}</p>}</Show>
      <ol class="mitigation-list">
        <For each={props.draft.mitigations}>
          {(mitigation, index) => {
            const base = `mitigation-${mitigation.id}`;
            const error = (field: string) => props.errors[`mitigations.${index()}.${field}`];
            const isOverdue = () => mitigation.status === 'open' && mitigation.dueAt !== undefined && Date.parse(mitigation.dueAt) < Date.now();
            return (
              <li class="mitigation" classList={{ done: mitigation.status === 'done', 'is-overdue': isOverdue() }}>
                <Show when={isOverdue()}>
                  <span class="badge bad mitigation-overdue">Overdue</span>
                </Show>
                <Field id={`${base}-action`} label={`Action ${index() + 1}`} error={error('action')}>
                  <input
                    id={`${base}-action`}
                    value={mitigation.action}
                    onInput={(e) => props.setDraft('mitigations', index(), 'action', e.currentTarget.value)}
                    {...describedBy(`${base}-action`, error('action'))}
                  />
                </Field>
                <div class="mitigation-details">
                  <Field id={`${base}-owner`} label="Owner" error={error('ownerId')}>
                    <select id={`${base}-owner`} value={mitigation.ownerId ?? ''} onChange={(e) => update(index(), { ownerId: e.currentTarget.value || undefined })} {...describedBy(`${base}-owner`, error('ownerId'))}>
                      <Options options={[{ value: '', label: 'Unassigned' }, ...props.people.map((p) => ({ value: p.userId, label: p.name }))]} selected={mitigation.ownerId} />
                    </select>
                  </Field>
                  <Field id={`${base}-due`} label="Due" error={error('dueAt')}>
                    <input id={`${base}-due`} type="date" value={isoToDate(mitigation.dueAt)} onChange={(e) => update(index(), { dueAt: dateToIso(e.currentTarget.value) || undefined })} {...describedBy(`${base}-due`, error('dueAt'))} />
                  </Field>
                  <div class="mitigation-done">
                    <input id={`${base}-done`} type="checkbox" checked={mitigation.status === 'done'} onChange={(e) => update(index(), { status: e.currentTarget.checked ? 'done' : 'open' })} />
                    <label for={`${base}-done`}>Done</label>
                  </div>
                  <Show when={props.canEdit}>
                    <button type="button" class="small remove" aria-label={`Remove action ${index() + 1}${mitigation.action ? `: ${mitigation.action}` : ''}`} onClick={() => remove(mitigation.id)}>
                      Remove
                    </button>
                  </Show>
                </div>
              </li>
            );
          }}
        </For>
      </ol>
      <Show when={props.draft.mitigations.length === 0}>
        <p class="muted">No actions yet. Add what will bring the likelihood or impact down, with an owner and a date.</p>
      </Show>
      <Show when={props.canEdit}>
        <button type="button" onClick={add}>
          + Add action
        </button>
      </Show>
    </section>
  );
}
