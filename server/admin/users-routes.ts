import { Hono } from 'hono';
import * as v from 'valibot';
import type { Membership } from '../../shared/auth/permissions.ts';
import { Id } from '../../shared/schema/common.ts';
import { ROLES } from '../../shared/schema/user.ts';
import { recordAccountEvent } from '../auth/audit-events.ts';
import { hashPassword, passwordProblem } from '../auth/passwords.ts';
import type { Sessions } from '../auth/sessions.ts';
import type { AppEnv } from '../http/app-env.ts';
import { clientAddress } from '../http/client-address.ts';
import { ApiError, parseInput } from '../http/errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { DuplicateEmailError, type UserRecord } from '../store/accounts.ts';
import type { Store } from '../store/store.ts';
import { createOrLinkAccount } from './account-creation.ts';
import { syncDirectory } from './directory.ts';
import { accountWideChanges, describeAccountWideChanges, isMembershipChange, managedUserView, requireAuthorityOverAccount } from './managed-account.ts';
import { requireSitesOfTheirOrganizations } from './membership-sites.ts';
import { adminOrgIds, requireAdminOf } from './require-admin.ts';
import { withoutControlCharacters } from '../http/plain-text.ts';

const Email = v.pipe(v.string(), v.trim(), v.email('must be an email address'), v.maxLength(254), withoutControlCharacters);
const Name = v.pipe(v.string(), v.trim(), v.minLength(1, 'is required'), v.maxLength(200), withoutControlCharacters);
const Password = v.pipe(v.string(), v.maxLength(1024));
const MembershipInput = v.strictObject({
  orgId: Id,
  role: v.picklist(ROLES),
  siteIds: v.optional(v.pipe(v.array(Id), v.minLength(1, 'must list at least one site, or be left out for all sites'), v.maxLength(500))),
});
const Memberships = v.pipe(
  v.array(MembershipInput),
  v.maxLength(100),
  v.check((ms) => new Set(ms.map((m) => m.orgId)).size === ms.length, 'must name each organization once'),
);

const CreateUserBody = v.strictObject({ email: Email, name: Name, password: Password, memberships: v.pipe(Memberships, v.minLength(1, 'must name at least one organization')) });
const PatchUserBody = v.strictObject({
  email: v.optional(Email),
  name: v.optional(Name),
  password: v.optional(Password),
  memberships: v.optional(Memberships),
  isDisabled: v.optional(v.boolean()),
});

const toMembership = (m: v.InferOutput<typeof MembershipInput>): Membership => ({ orgId: m.orgId, role: m.role, siteIds: m.siteIds ?? 'all' });

export function adminUserRoutes(store: Store, sessions: Sessions): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  /** The target must share an organization the caller administers. */
  const loadManagedUser = async (c: Parameters<typeof adminOrgIds>[0], id: string): Promise<UserRecord> => {
    const user = v.is(Id, id) ? await store.users.get(id) : undefined;
    const administered = new Set(adminOrgIds(c));
    if (!user || !user.memberships.some((m) => administered.has(m.orgId))) {
      throw new ApiError(404, 'not_found', 'no such user in your organizations', 'id');
    }
    return user;
  };

  /** An organization must keep at least one active administrator. */
  const assertAdminsRemain = async (before: UserRecord, after: UserRecord | undefined) => {
    for (const m of before.memberships.filter((x) => x.role === 'admin')) {
      const stillAdmin = after && !after.isDisabled && after.memberships.some((x) => x.orgId === m.orgId && x.role === 'admin');
      if (stillAdmin) continue;
      const others = (await store.users.listInOrgs([m.orgId])).filter(
        (u) => u.id !== before.id && !u.isDisabled && u.memberships.some((x) => x.orgId === m.orgId && x.role === 'admin'),
      );
      if (others.length === 0) throw new ApiError(409, 'last_admin', 'an organization must keep at least one active administrator');
    }
  };

  routes.get('/', async (c) => {
    const administered = new Set(adminOrgIds(c));
    const users = await store.users.listInOrgs([...administered]);
    return c.json({ users: users.map((u) => managedUserView(u, administered)) });
  });

  routes.post('/', async (c) => {
    const body = parseInput('body', CreateUserBody, await readJsonBody(c));
    requireAdminOf(c, body.memberships.map((m) => m.orgId), 'body.memberships');
    const administered = new Set(adminOrgIds(c));
    // Every check on the request comes before looking the email up: an existing account must
    // not change which of them answers.
    const problem = passwordProblem(body.password, body.email);
    if (problem) throw new ApiError(400, 'weak_password', `password ${problem}`, 'body.password');
    await requireSitesOfTheirOrganizations(store, body.memberships);
    const creation = await createOrLinkAccount(store, { ...body, memberships: body.memberships.map(toMembership) }, administered);
    const { user } = creation;
    await syncDirectory(store, { before: creation.kind === 'linked' ? creation.before : undefined, after: user }, c.get('principal'), clientAddress(c));
    const added = body.memberships.map((m) => m.orgId);
    // The caller's organizations log a creation either way, or their audit log would tell what the answer hides.
    await recordAccountEvent(store, { actorKind: 'user', actorId: c.get('principal').id, action: 'user_created', documentId: user.id, orgIds: added, clientAddress: clientAddress(c) });
    if (creation.kind === 'linked') {
      await recordAccountEvent(store, {
        actorKind: 'user', actorId: c.get('principal').id, action: 'user_added_to_another_organization', documentId: user.id,
        orgIds: creation.before.memberships.map((m) => m.orgId), clientAddress: clientAddress(c),
      });
    }
    return c.json({ user: managedUserView(user, administered) }, 201);
  });

  routes.patch('/:id', async (c) => {
    const before = await loadManagedUser(c, c.req.param('id'));
    const body = parseInput('body', PatchUserBody, await readJsonBody(c));
    const administered = new Set(adminOrgIds(c));
    const accountWide = accountWideChanges(before, body);
    const [firstAccountWide] = accountWide;
    if (firstAccountWide !== undefined) requireAuthorityOverAccount(administered, before, describeAccountWideChanges(accountWide), `body.${firstAccountWide}`);
    let memberships: Membership[] | undefined;
    if (body.memberships) {
      requireAdminOf(c, body.memberships.map((m) => m.orgId), 'body.memberships');
      await requireSitesOfTheirOrganizations(store, body.memberships);
      // Memberships in organizations the caller does not administer are left as they are.
      memberships = [...before.memberships.filter((m) => !administered.has(m.orgId)), ...body.memberships.map(toMembership)];
      if (memberships.length === 0) throw new ApiError(400, 'invalid_input', 'memberships: a user needs at least one organization (delete the user instead)', 'body.memberships');
    }
    if (body.password !== undefined) {
      const problem = passwordProblem(body.password, body.email ?? before.email);
      if (problem) throw new ApiError(400, 'weak_password', `password ${problem}`, 'body.password');
    }
    const projected: UserRecord = { ...before, ...(memberships ? { memberships } : {}), ...(body.isDisabled === undefined ? {} : { isDisabled: body.isDisabled }) };
    await assertAdminsRemain(before, projected);
    let after: UserRecord | undefined;
    try {
      after = await store.users.update(
        before.id,
        {
          // Only what changes: an unchanged name or email sent back by the form writes nothing.
          ...(accountWide.includes('email') && body.email !== undefined ? { email: body.email } : {}),
          ...(accountWide.includes('name') && body.name !== undefined ? { name: body.name } : {}),
          ...(accountWide.includes('isDisabled') && body.isDisabled !== undefined ? { isDisabled: body.isDisabled } : {}),
          ...(memberships ? { memberships } : {}),
          ...(body.password === undefined ? {} : { passwordHash: await hashPassword(body.password) }),
        },
        Date.now(),
      );
    } catch (error) {
      if (error instanceof DuplicateEmailError) throw new ApiError(409, 'email_taken', error.message, 'body.email');
      throw error;
    }
    if (!after) throw new ApiError(404, 'not_found', 'no such user in your organizations', 'id');
    // A new password, a disabled account or fewer rights: existing sessions must not outlive them.
    const isDisabling = accountWide.includes('isDisabled') && body.isDisabled === true;
    if (body.password !== undefined || isDisabling || (memberships && isMembershipChange(before.memberships, memberships))) await sessions.endAllOf(after.id);
    await syncDirectory(store, { before, after }, c.get('principal'), clientAddress(c));
    await recordAccountEvent(store, {
      actorKind: 'user', actorId: c.get('principal').id, action: 'user_updated', documentId: after.id,
      orgIds: [...new Set([...before.memberships, ...after.memberships].map((m) => m.orgId))].filter((o) => administered.has(o)),
      clientAddress: clientAddress(c), detail: { fields: Object.keys(body).filter((k) => k !== 'password').concat(body.password === undefined ? [] : ['password']) },
    });
    return c.json({ user: managedUserView(after, administered) });
  });

  routes.delete('/:id', async (c) => {
    const before = await loadManagedUser(c, c.req.param('id'));
    const administered = new Set(adminOrgIds(c));
    const remaining = before.memberships.filter((m) => !administered.has(m.orgId));
    const after = remaining.length > 0 ? { ...before, memberships: remaining } : undefined;
    await assertAdminsRemain(before, after);
    await sessions.endAllOf(before.id);
    if (after) await store.users.update(before.id, { memberships: remaining }, Date.now());
    else await store.users.delete(before.id);
    await syncDirectory(store, { before, after }, c.get('principal'), clientAddress(c));
    await recordAccountEvent(store, {
      actorKind: 'user', actorId: c.get('principal').id, action: after ? 'user_removed_from_org' : 'user_deleted', documentId: before.id,
      orgIds: before.memberships.map((m) => m.orgId).filter((o) => administered.has(o)), clientAddress: clientAddress(c),
    });
    return c.body(null, 204);
  });

  routes.post('/:id/sessions/revoke', async (c) => {
    const user = await loadManagedUser(c, c.req.param('id'));
    requireAuthorityOverAccount(new Set(adminOrgIds(c)), user, 'end the sessions');
    const revoked = await sessions.endAllOf(user.id);
    await recordAccountEvent(store, {
      actorKind: 'user', actorId: c.get('principal').id, action: 'sessions_revoked', documentId: user.id,
      orgIds: user.memberships.map((m) => m.orgId).filter((o) => adminOrgIds(c).includes(o)), clientAddress: clientAddress(c), detail: { revoked },
    });
    return c.json({ revoked });
  });

  return routes;
}
