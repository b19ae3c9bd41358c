import type { Membership } from '../../shared/auth/permissions.ts';
import { hashPassword } from '../auth/passwords.ts';
import { ApiError } from '../http/errors.ts';
import { DuplicateEmailError, type UserRecord } from '../store/accounts.ts';
import type { Store } from '../store/store.ts';

export interface AccountRequest {
  email: string;
  name: string;
  password: string;
  /** All in organizations the caller administers (checked before). */
  memberships: Membership[];
}

export type AccountCreation = { kind: 'created'; user: UserRecord } | { kind: 'linked'; before: UserRecord; user: UserRecord };

const emailTaken = (message: string) => new ApiError(409, 'email_taken', message, 'body.email');

/**
 * Creates the account or, when the email already signs in to an account of other organizations
 * only, adds the requested memberships to that account.
 *
 * Linking rather than refusing: "email taken" would tell an admin of one organization that the
 * address has an account in another. Linked, the answer has the status and shape of a creation,
 * and nothing of the account as a whole changes: the password and name of the request are ignored
 * (the person keeps signing in with their own), so an admin cannot take an account over this way.
 * The password is hashed either way so that both take the same time.
 */
export async function createOrLinkAccount(store: Store, request: AccountRequest, administered: ReadonlySet<string>): Promise<AccountCreation> {
  const passwordHash = await hashPassword(request.password);
  const existing = await store.users.findByEmail(request.email);
  if (existing) {
    // In the caller's own organizations the account is on their list already: nothing to hide.
    if (existing.memberships.some((m) => administered.has(m.orgId))) {
      throw emailTaken('an account with this email is already in your organizations: change its memberships instead');
    }
    const user = await store.users.update(existing.id, { memberships: [...existing.memberships, ...request.memberships] }, Date.now());
    if (!user) throw emailTaken('the account with this email changed meanwhile: try again');
    return { kind: 'linked', before: existing, user };
  }
  const now = Date.now();
  const user: UserRecord = {
    // Random, not time-ordered: an id must not tell a linked account's age from a new one's.
    id: crypto.randomUUID(),
    email: request.email,
    name: request.name,
    passwordHash,
    isDisabled: false,
    memberships: request.memberships,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await store.users.create(user);
  } catch (error) {
    // Only when another request created the same email a moment ago.
    if (error instanceof DuplicateEmailError) throw emailTaken('an account with this email was created meanwhile: try again');
    throw error;
  }
  return { kind: 'created', user: (await store.users.get(user.id)) ?? user };
}
