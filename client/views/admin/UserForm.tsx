import { Show, createSignal } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { Org } from '../../../shared/schema/org.ts';
import type { Site } from '../../../shared/schema/site.ts';
import { ErrorText } from '../../ui/ErrorText.tsx';
import { Field, describedBy } from '../../ui/Field.tsx';
import { adminApi, describeFailure, type AdminUser, type Failure } from './admin-api.ts';
import { MembershipEditor } from './MembershipEditor.tsx';
import { draftsFor, membershipsOf, type MembershipDraft } from './memberships.ts';

/**
 * Creates an account (name, email, first password, access) or changes one: a new password is
 * optional, and access is edited only in the organizations this admin administers.
 */
export function UserForm(props: { user?: AdminUser; adminOrgIds: string[]; orgs: Org[]; sites: Site[]; onSaved(user: AdminUser): void; onCancel(): void }) {
  const idPrefix = props.user ? `user-${props.user.id}` : 'new-user';
  const [name, setName] = createSignal(props.user?.name ?? '');
  const [email, setEmail] = createSignal(props.user?.email ?? '');
  const [password, setPassword] = createSignal('');
  const [drafts, setDrafts] = createStore<MembershipDraft[]>(draftsFor(props.adminOrgIds, props.user?.memberships ?? []));
  const [failure, setFailure] = createSignal<Failure>();
  const [isSaving, setSaving] = createSignal(false);
  const errorOf = (field: string) => (failure()?.field === field ? failure()?.message : undefined);
  const isShownAtField = () => ['name', 'email', 'password', 'memberships'].includes(failure()?.field ?? '');

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const memberships = membershipsOf(drafts);
    if (!props.user && memberships.length === 0) return setFailure({ field: 'memberships', message: 'give the user a role in at least one organization' });
    setSaving(true);
    setFailure(undefined);
    try {
      const saved = props.user
        ? await adminApi.updateUser(props.user.id, { name: name().trim(), email: email().trim(), memberships, ...(password() ? { password: password() } : {}) })
        : await adminApi.createUser({ name: name().trim(), email: email().trim(), password: password(), memberships });
      props.onSaved(saved);
    } catch (error) {
      setFailure(describeFailure(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="user-form" onSubmit={(e) => void submit(e)} novalidate aria-label={props.user ? `Edit ${props.user.name}` : 'New user'}>
      <div class="form-grid">
        <Field id={`${idPrefix}-name`} label="Name" error={errorOf('name')}>
          <input id={`${idPrefix}-name`} autocomplete="off" value={name()} onInput={(e) => setName(e.currentTarget.value)} {...describedBy(`${idPrefix}-name`, errorOf('name'))} />
        </Field>
        <Field id={`${idPrefix}-email`} label="Email" error={errorOf('email')}>
          <input id={`${idPrefix}-email`} type="email" autocomplete="off" value={email()} onInput={(e) => setEmail(e.currentTarget.value)} {...describedBy(`${idPrefix}-email`, errorOf('email'))} />
        </Field>
        <Field
          id={`${idPrefix}-password`}
          label={props.user ? 'New password' : 'First password'}
          error={errorOf('password')}
          hint={props.user ? 'Leave empty to keep the current one. A new password signs the user out everywhere.' : 'At least 8 characters; 15 or more is better. Tell it to the user privately.'}
        >
          <input id={`${idPrefix}-password`} type="password" autocomplete="new-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} {...describedBy(`${idPrefix}-password`, errorOf('password'))} />
        </Field>
      </div>
      <MembershipEditor idPrefix={idPrefix} drafts={drafts} orgs={props.orgs} sites={props.sites} error={errorOf('memberships')} onChange={(index, draft) => setDrafts(index, draft)} />
      <Show when={!isShownAtField()}>
        <ErrorText message={failure()?.message} />
      </Show>
      <div class="actions">
        <button type="submit" class="primary" disabled={isSaving()}>
          {props.user ? 'Save user' : 'Create user'}
        </button>
        <button type="button" onClick={() => props.onCancel()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
