import { For, Show } from 'solid-js';
import { ROLES, type Role } from '../../../shared/schema/user.ts';
import type { Org } from '../../../shared/schema/org.ts';
import type { Site } from '../../../shared/schema/site.ts';
import { Field, describedBy } from '../../ui/Field.tsx';
import { Options } from '../../ui/Options.tsx';
import { ROLE_LABELS, type MembershipDraft } from './memberships.ts';

const ROLE_OPTIONS = [{ value: '', label: 'No access' }, ...ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))];

/** Role and site limits in each organization the signed-in admin administers. */
export function MembershipEditor(props: { idPrefix: string; drafts: MembershipDraft[]; orgs: Org[]; sites: Site[]; error: string | undefined; onChange(index: number, draft: MembershipDraft): void }) {
  const orgName = (orgId: string) => props.orgs.find((o) => o.id === orgId)?.name ?? 'Organization';
  return (
    <div class="membership-editor">
      <For each={props.drafts}>
        {(draft, index) => {
          const id = `${props.idPrefix}-${draft.orgId}`;
          const orgSites = () => props.sites.filter((s) => s.orgId === draft.orgId).sort((a, b) => a.name.localeCompare(b.name));
          const set = (change: Partial<MembershipDraft>) => props.onChange(index(), { ...draft, ...change });
          return (
            <fieldset class="membership">
              <legend>{orgName(draft.orgId)}</legend>
              <Field id={`${id}-role`} label="Role" error={index() === 0 ? props.error : undefined}>
                <select id={`${id}-role`} value={draft.role} onChange={(e) => set({ role: e.currentTarget.value as Role | '' })} {...describedBy(`${id}-role`, index() === 0 ? props.error : undefined)}>
                  <Options options={ROLE_OPTIONS} selected={draft.role} />
                </select>
              </Field>
              <Show when={draft.role !== ''}>
                <div class="site-scope" role="radiogroup" aria-label={`Sites in ${orgName(draft.orgId)}`}>
                  <label class="choice">
                    <input type="radio" name={`${id}-scope`} checked={draft.siteIds === null} onChange={() => set({ siteIds: null })} />
                    All sites
                  </label>
                  <label class="choice">
                    <input type="radio" name={`${id}-scope`} checked={draft.siteIds !== null} onChange={() => set({ siteIds: draft.siteIds ?? [] })} />
                    Only some sites
                  </label>
                </div>
                <Show when={draft.siteIds}>
                  {(chosen) => (
                    <ul class="site-choices" aria-label={`Sites ${orgName(draft.orgId)} grants`}>
                      <For each={orgSites()}>
                        {(site) => (
                          <li>
                            <label class="choice">
                              <input
                                type="checkbox"
                                checked={chosen().includes(site.id)}
                                onChange={(e) => set({ siteIds: e.currentTarget.checked ? [...chosen(), site.id] : chosen().filter((s) => s !== site.id) })}
                              />
                              {site.name}
                            </label>
                          </li>
                        )}
                      </For>
                    </ul>
                  )}
                </Show>
              </Show>
            </fieldset>
          );
        }}
      </For>
    </div>
  );
}
