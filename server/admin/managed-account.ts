import type { Membership } from '../../shared/auth/permissions.ts';
import { isDeepEqual } from '../../shared/merge/canonical.ts';
import { publicUser, type PublicUser } from '../auth/public-user.ts';
import { ApiError } from '../http/errors.ts';
import type { UserRecord } from '../store/accounts.ts';
import { normalizeEmail } from '../store/rows.ts';

/*
 * One account can belong to several organizations, each with its own administrators. What is the
 * account's as a whole (its sign-in email, password, name, disabled flag and sessions) is in the
 * hands of all of them at once: only an administrator of every one of its organizations may change
 * it, or else an admin of org A could take over an account that administers org B. An admin of
 * some of them manages the memberships in theirs, and sees only those.
 */

export type AccountWideField = 'email' | 'name' | 'password' | 'isDisabled';

export function administersEveryOrganizationOf(administered: ReadonlySet<string>, user: UserRecord): boolean {
  return user.memberships.every((m) => administered.has(m.orgId));
}

/**
 * The account-wide fields a patch really changes. The admin form sends the name and email back
 * unchanged with every membership edit: an unchanged value is no change.
 */
export function accountWideChanges(
  before: UserRecord,
  patch: { email?: string | undefined; name?: string | undefined; password?: string | undefined; isDisabled?: boolean | undefined },
): AccountWideField[] {
  const changed: AccountWideField[] = [];
  if (patch.email !== undefined && normalizeEmail(patch.email) !== normalizeEmail(before.email)) changed.push('email');
  if (patch.name !== undefined && patch.name !== before.name) changed.push('name');
  if (patch.password !== undefined) changed.push('password');
  if (patch.isDisabled !== undefined && patch.isDisabled !== before.isDisabled) changed.push('isDisabled');
  return changed;
}

const FIELD_WORDS: Record<AccountWideField, string> = { email: 'the email', name: 'the name', password: 'the password', isDisabled: 'whether it is disabled' };

/** How a refusal names the change: "change the email or the password". */
export const describeAccountWideChanges = (fields: readonly AccountWideField[]): string => `change ${fields.map((f) => FIELD_WORDS[f]).join(' or ')}`;

/** 403 unless the caller administers every organization of the account. `what` names the action ("end the sessions"). */
export function requireAuthorityOverAccount(administered: ReadonlySet<string>, user: UserRecord, what: string, field?: string): void {
  if (administersEveryOrganizationOf(administered, user)) return;
  throw new ApiError(
    403,
    'account_in_other_organizations',
    `you cannot ${what} of this account: it also belongs to an organization you do not administer, and only an administrator of all its organizations can (you can change its role and sites in yours; the person can change their own password)`,
    field,
  );
}

const byOrg = (memberships: readonly Membership[]) => [...memberships].sort((a, b) => (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : 0));

/**
 * Whether a membership edit changes anything. The admin form sends the memberships back with
 * every edit; one that changes nothing must not sign the account out of every organization.
 */
export const isMembershipChange = (before: readonly Membership[], after: readonly Membership[]): boolean => !isDeepEqual(byOrg(before), byOrg(after));

/** What an administrator is told about an account: its memberships in the organizations they administer, no others. */
export function managedUserView(user: UserRecord, administered: ReadonlySet<string>): PublicUser {
  return publicUser({ ...user, memberships: user.memberships.filter((m) => administered.has(m.orgId)) });
}
