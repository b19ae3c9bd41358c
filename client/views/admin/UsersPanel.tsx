import { For, Match, Show, Switch, createResource, createSignal } from 'solid-js';
import type { Org } from '../../../shared/schema/org.ts';
import type { Site } from '../../../shared/schema/site.ts';
import { ErrorText } from '../../ui/ErrorText.tsx';
import { AdminTable, LoadFailure } from './AdminTable.tsx';
import { adminApi, describeFailure, type AdminMembership, type AdminUser } from './admin-api.ts';
import { ROLE_LABELS } from './memberships.ts';
import { UserForm } from './UserForm.tsx';

/** Users of the organizations this admin runs: access at a glance, create, edit, disable. */
export function UsersPanel(props: { selfId: string; adminOrgIds: string[]; orgs: Org[]; sites: Site[]; reloadKey: number }) {
  const [users, { mutate, refetch }] = createResource(() => props.reloadKey, () => adminApi.listUsers());
  const [editing, setEditing] = createSignal<string | 'new'>();
  const [notice, setNotice] = createSignal<string>();
  const [rowError, setRowError] = createSignal<{ id: string; message: string }>();
  const orgName = (orgId: string) => props.orgs.find((o) => o.id === orgId)?.name ?? 'another organization';
  const siteNames = (ids: string[]) => ids.map((id) => props.sites.find((s) => s.id === id)?.name ?? 'a site you cannot see').join(', ');
  const describeAccess = (m: AdminMembership) => `${ROLE_LABELS[m.role]} · ${orgName(m.orgId)} · ${m.siteIds ? siteNames(m.siteIds) : 'all sites'}`;

  const saved = (user: AdminUser, verb: string) => {
    mutate((list) => {
      const others = (list ?? []).filter((u) => u.id !== user.id);
      return [...others, user].sort((a, b) => a.email.localeCompare(b.email));
    });
    setEditing(undefined);
    setNotice(`${user.name} ${verb}.`);
  };
  const toggleDisabled = async (user: AdminUser) => {
    setRowError(undefined);
    try {
      saved(await adminApi.updateUser(user.id, { isDisabled: !user.isDisabled }), user.isDisabled ? 'can sign in again' : 'is disabled and signed out everywhere');
    } catch (error) {
      setRowError({ id: user.id, message: describeFailure(error).message });
    }
  };

  return (
    <section class="card admin-panel" aria-labelledby="users-title">
      <div class="panel-head">
        <h2 id="users-title">Users and access</h2>
        <button type="button" class="primary" aria-expanded={editing() === 'new'} onClick={() => setEditing(editing() === 'new' ? undefined : 'new')}>
          New user
        </button>
      </div>
      <Show when={notice()}>
        <p class="notice ok" role="status">
          {notice()}
        </p>
      </Show>
      <Show when={editing() === 'new'}>
        <div class="inline-form">
          <h3>New user</h3>
          <UserForm adminOrgIds={props.adminOrgIds} orgs={props.orgs} sites={props.sites} onSaved={(user) => saved(user, 'can now sign in')} onCancel={() => setEditing(undefined)} />
        </div>
      </Show>
      <Switch>
        <Match when={users.error}>
          <LoadFailure what="Users" error={users.error} onRetry={() => void refetch()} />
        </Match>
        <Match when={users.loading && !users.latest}>
          <p class="muted">Loading users…</p>
        </Match>
        <Match when={users.latest}>
          {(list) => (
            <AdminTable caption="Users of your organizations" columns={['User', 'Access', 'Status']}>
              <For each={list()}>
                {(user) => (
                  <>
                    <tr data-user={user.email}>
                      <td>
                        <strong>{user.name}</strong>
                        <span class="muted cell-sub">{user.email}</span>
                      </td>
                      <td>
                        <For each={user.memberships}>{(m) => <span class="cell-line">{describeAccess(m)}</span>}</For>
                      </td>
                      <td>
                        <span class={`badge ${user.isDisabled ? 'bad' : 'ok'}`}>{user.isDisabled ? 'Disabled' : 'Active'}</span>
                      </td>
                      <td class="row-actions">
                        <button type="button" class="small" aria-expanded={editing() === user.id} aria-label={`Edit ${user.name}`} onClick={() => setEditing(editing() === user.id ? undefined : user.id)}>
                          Edit
                        </button>
                        <Show when={user.id !== props.selfId} fallback={<span class="muted">you</span>}>
                          <button type="button" class="small" aria-label={`${user.isDisabled ? 'Enable' : 'Disable'} ${user.name}`} onClick={() => void toggleDisabled(user)}>
                            {user.isDisabled ? 'Enable' : 'Disable'}
                          </button>
                        </Show>
                        <Show when={rowError()?.id === user.id}>
                          <ErrorText message={rowError()?.message} />
                        </Show>
                      </td>
                    </tr>
                    <Show when={editing() === user.id}>
                      <tr class="edit-row">
                        <td colSpan={4}>
                          <UserForm user={user} adminOrgIds={props.adminOrgIds} orgs={props.orgs} sites={props.sites} onSaved={(u) => saved(u, 'is updated')} onCancel={() => setEditing(undefined)} />
                        </td>
                      </tr>
                    </Show>
                  </>
                )}
              </For>
            </AdminTable>
          )}
        </Match>
      </Switch>
    </section>
  );
}
