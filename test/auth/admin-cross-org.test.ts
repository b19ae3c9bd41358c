import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSite } from '../support/documents.ts';
import { addAccount, addOrganization } from '../support/accounts.ts';
import { fetchWithCookie, signIn, startTestServer, type TestServer } from '../support/server.ts';

/*
 * An account can belong to several organizations. An administrator of one of them manages the
 * memberships in theirs; what is the account's as a whole (email, password, name, disabled
 * flag, sessions) only an administrator of all of them can change, and each administrator sees
 * only the memberships in the organizations they run.
 */

const json = { 'content-type': 'application/json' };
const SHARED_PASSWORD = 'clinic-and-store-keys';
const ATTACKER_PASSWORD = 'taken-over-by-org-a';

interface PublicUser {
  id: string;
  email: string;
  name: string;
  isDisabled: boolean;
  memberships: { orgId: string; role: string; siteIds: string[] | null }[];
}
interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

let server: TestServer;
let orgA: string;
let siteA: string;
let orgB: string;
let siteB: string;

beforeEach(async () => {
  server = await startTestServer();
  orgA = server.orgId;
  const site = makeSite(orgA, { name: 'Store 1' });
  siteA = site.id;
  await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
  ({ orgId: orgB, siteId: siteB } = await addOrganization(server, 'Contoso Clinics'));
});

afterEach(async () => {
  await server.dispose();
});

const patchUser = (as: typeof fetch, id: string, body: unknown) =>
  as(`${server.url}/api/admin/users/${id}`, { method: 'PATCH', headers: json, body: JSON.stringify(body) });
const createUser = (as: typeof fetch, body: unknown) => as(`${server.url}/api/admin/users`, { method: 'POST', headers: json, body: JSON.stringify(body) });
const listUsers = async (as: typeof fetch) => ((await (await as(`${server.url}/api/admin/users`)).json()) as { users: PublicUser[] }).users;
const login = (email: string, password: string) =>
  fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });

describe('an administrator of org A and an account that also administers org B', () => {
  /** The repro: staff in org A, admin of org B. */
  const addSharedAccount = () =>
    addAccount(server, { email: 'pat@outpost.test', name: 'Pat', password: SHARED_PASSWORD, memberships: [{ orgId: orgA, role: 'staff', siteIds: [siteA] }, { orgId: orgB, role: 'admin' }] });

  it("refuses the account's email, password, name, disabled flag and sessions with 403, and it still signs in as before", async () => {
    const shared = await addSharedAccount();
    const sharedCookie = await signIn(server.url, 'pat@outpost.test', SHARED_PASSWORD);
    const attempts = [{ email: 'attacker@outpost.test' }, { password: ATTACKER_PASSWORD }, { name: 'Mallory' }, { isDisabled: true }, { email: 'attacker@outpost.test', password: ATTACKER_PASSWORD }];
    for (const attempt of attempts) {
      const response = await patchUser(server.adminFetch, shared.id, attempt);
      expect(response.status, JSON.stringify(attempt)).toBe(403);
      const { error } = (await response.json()) as ErrorBody;
      expect(error.code).toBe('account_in_other_organizations');
      expect(error.field).toBe(`body.${Object.keys(attempt)[0]}`);
      expect(error.message).toMatch(/administrator of all its organizations/);
    }
    const revoke = await server.adminFetch(`${server.url}/api/admin/users/${shared.id}/sessions/revoke`, { method: 'POST' });
    expect(revoke.status).toBe(403);
    expect(((await revoke.json()) as ErrorBody).error.code).toBe('account_in_other_organizations');

    expect(await server.store.users.get(shared.id)).toEqual(shared);
    expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie: sharedCookie } })).status, 'its session was ended').toBe(200);
    expect((await login('attacker@outpost.test', ATTACKER_PASSWORD)).status).toBe(401);
    const asShared = fetchWithCookie(await signIn(server.url, 'pat@outpost.test', SHARED_PASSWORD));
    // Still org B's administrator, and org A's administrator never got in.
    expect((await asShared(`${server.url}/api/admin/users`)).status).toBe(200);
  });

  it("shows the admin of org A only the account's membership in org A, never org B's users or audit log", async () => {
    const shared = await addSharedAccount();
    const clinician = await addAccount(server, { email: 'nurse@outpost.test', password: SHARED_PASSWORD, memberships: [{ orgId: orgB, role: 'technician' }] });
    const users = await listUsers(server.adminFetch);
    expect(users.find((u) => u.id === shared.id)?.memberships).toEqual([{ orgId: orgA, role: 'staff', siteIds: [siteA] }]);
    expect(users.map((u) => u.id)).not.toContain(clinician.id);
    expect(JSON.stringify(users)).not.toContain(orgB);

    // Something happens in org B: its audit log, not org A's, records it.
    const asShared = fetchWithCookie(await signIn(server.url, 'pat@outpost.test', SHARED_PASSWORD));
    expect((await asShared(`${server.url}/api/admin/users/${clinician.id}/sessions/revoke`, { method: 'POST' })).status).toBe(200);
    const audit = (await (await server.adminFetch(`${server.url}/api/admin/audit?limit=1000`)).json()) as { entries: { orgId?: string }[] };
    expect(audit.entries.length).toBeGreaterThan(0);
    expect(audit.entries.filter((e) => e.orgId !== orgA)).toEqual([]);
  });

  it("changes the account's membership in org A, keeps org B's, and answers with org A's only", async () => {
    const shared = await addSharedAccount();
    const sharedCookie = await signIn(server.url, 'pat@outpost.test', SHARED_PASSWORD);
    // As the admin form does: name, email and memberships sent back unchanged. Nothing changes,
    // so the account stays signed in (or an admin of A could sign it out of org B at will).
    const unchanged = await patchUser(server.adminFetch, shared.id, { name: 'Pat', email: 'PAT@outpost.test', isDisabled: false, memberships: [{ orgId: orgA, role: 'staff', siteIds: [siteA] }] });
    expect(unchanged.status, await unchanged.clone().text()).toBe(200);
    expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie: sharedCookie } })).status).toBe(200);

    const response = await patchUser(server.adminFetch, shared.id, { name: 'Pat', email: 'PAT@outpost.test', memberships: [{ orgId: orgA, role: 'technician' }] });
    expect(response.status, await response.clone().text()).toBe(200);
    const { user } = (await response.json()) as { user: PublicUser };
    expect(user.memberships).toEqual([{ orgId: orgA, role: 'technician', siteIds: null }]);
    expect((await server.store.users.get(shared.id))?.memberships).toEqual(
      expect.arrayContaining([{ orgId: orgA, role: 'technician', siteIds: 'all' }, { orgId: orgB, role: 'admin', siteIds: 'all' }]),
    );

    // Removing it from org A leaves the account, with org B, and its password.
    expect((await server.adminFetch(`${server.url}/api/admin/users/${shared.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await server.store.users.get(shared.id))?.memberships).toEqual([{ orgId: orgB, role: 'admin', siteIds: 'all' }]);
    await signIn(server.url, 'pat@outpost.test', SHARED_PASSWORD);
  });

  it("lets an administrator of every organization of the account change it", async () => {
    const shared = await addSharedAccount();
    await addAccount(server, { email: 'both@outpost.test', password: SHARED_PASSWORD, memberships: [{ orgId: orgA, role: 'admin' }, { orgId: orgB, role: 'admin' }] });
    const asBoth = fetchWithCookie(await signIn(server.url, 'both@outpost.test', SHARED_PASSWORD));
    const sharedCookie = await signIn(server.url, 'pat@outpost.test', SHARED_PASSWORD);

    const response = await patchUser(asBoth, shared.id, { email: 'pat.new@outpost.test', name: 'Pat New', password: 'a-fresh-long-passphrase' });
    expect(response.status, await response.clone().text()).toBe(200);
    const { user } = (await response.json()) as { user: PublicUser };
    expect(user).toMatchObject({ email: 'pat.new@outpost.test', name: 'Pat New' });
    expect(user.memberships.map((m) => m.orgId).sort()).toEqual([orgA, orgB].sort());
    expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie: sharedCookie } })).status).toBe(401);
    expect((await login('pat@outpost.test', SHARED_PASSWORD)).status).toBe(401);
    await signIn(server.url, 'pat.new@outpost.test', 'a-fresh-long-passphrase');

    expect((await asBoth(`${server.url}/api/admin/users/${shared.id}/sessions/revoke`, { method: 'POST' })).status).toBe(200);
    expect((await patchUser(asBoth, shared.id, { isDisabled: true })).status).toBe(200);
    expect((await server.store.users.get(shared.id))?.isDisabled).toBe(true);
  });

  it('still lets the person change their own password, though not through the administration routes', async () => {
    const shared = await addSharedAccount();
    const asShared = fetchWithCookie(await signIn(server.url, 'pat@outpost.test', SHARED_PASSWORD));
    // Admin of org B but not of org A: the administration routes are not the way.
    expect((await patchUser(asShared, shared.id, { password: 'a-fresh-long-passphrase' })).status).toBe(403);
    const change = await asShared(`${server.url}/api/auth/password`, {
      method: 'POST', headers: json, body: JSON.stringify({ currentPassword: SHARED_PASSWORD, newPassword: 'a-fresh-long-passphrase' }),
    });
    expect(change.status, await change.clone().text()).toBe(204);
    await signIn(server.url, 'pat@outpost.test', 'a-fresh-long-passphrase');
  });
});

describe('creating an account whose email already has an account in another organization', () => {
  it('answers as for a new account, adds the membership and changes nothing else of the account', async () => {
    await addAccount(server, { email: 'head@outpost.test', password: SHARED_PASSWORD, memberships: [{ orgId: orgB, role: 'admin' }] });
    const asAdminB = fetchWithCookie(await signIn(server.url, 'head@outpost.test', SHARED_PASSWORD));
    // Made the way accounts are made: by org B's administrator, through the API.
    const made = await createUser(asAdminB, { email: 'nurse@outpost.test', name: 'Nurse Joy', password: SHARED_PASSWORD, memberships: [{ orgId: orgB, role: 'technician' }] });
    expect(made.status).toBe(201);
    const existing = (await server.store.users.findByEmail('nurse@outpost.test'))!;

    const request = (email: string) => ({ email, name: 'Someone Else', password: ATTACKER_PASSWORD, memberships: [{ orgId: orgA, role: 'staff', siteIds: [siteA] }] });
    const fresh = await createUser(server.adminFetch, request('fresh@outpost.test'));
    const linked = await createUser(server.adminFetch, request('Nurse@outpost.test'));

    expect(linked.status).toBe(fresh.status);
    expect(linked.status).toBe(201);
    expect([...linked.headers.keys()].sort()).toEqual([...fresh.headers.keys()].sort());
    const freshBody = (await fresh.json()) as { user: PublicUser };
    const linkedBody = (await linked.json()) as { user: PublicUser };
    const shape = (body: { user: PublicUser }) => ({
      keys: Object.keys(body).sort(),
      userKeys: Object.keys(body.user).sort(),
      types: Object.entries(body.user).map(([key, value]) => `${key}:${typeof value}`).sort(),
      idPattern: body.user.id.replace(/[0-9a-f]/g, 'x'),
      // The UUID's version digit: a time-ordered id (v7) would tell an old account from a new one.
      idVersion: body.user.id.charAt(14),
      isDisabled: body.user.isDisabled,
      memberships: body.user.memberships,
    });
    expect(shape(linkedBody)).toEqual(shape(freshBody));
    expect(linkedBody.user.memberships).toEqual([{ orgId: orgA, role: 'staff', siteIds: [siteA] }]);
    expect(linkedBody.user.id).toBe(existing.id);

    // Nothing of the account as a whole changed; the membership in org A was added.
    const after = (await server.store.users.get(existing.id))!;
    expect({ ...after, memberships: [], updatedAt: 0 }).toEqual({ ...existing, memberships: [], updatedAt: 0 });
    expect(after.memberships).toEqual(expect.arrayContaining([...existing.memberships, { orgId: orgA, role: 'staff', siteIds: [siteA] }]));
    expect((await login('nurse@outpost.test', ATTACKER_PASSWORD)).status).toBe(401);
    await signIn(server.url, 'nurse@outpost.test', SHARED_PASSWORD);

    // Now in org A, the address is taken there as any member's is.
    const again = await createUser(server.adminFetch, request('nurse@outpost.test'));
    expect(again.status).toBe(409);
    expect(((await again.json()) as ErrorBody).error.code).toBe('email_taken');
  });

  it('checks the request the same way whether or not the email has an account', async () => {
    await addAccount(server, { email: 'nurse@outpost.test', password: SHARED_PASSWORD, memberships: [{ orgId: orgB, role: 'technician' }] });
    const weak = (email: string) => createUser(server.adminFetch, { email, name: 'Weak', password: 'password', memberships: [{ orgId: orgA, role: 'staff' }] });
    const [existing, fresh] = [await weak('nurse@outpost.test'), await weak('fresh@outpost.test')];
    expect(existing.status).toBe(400);
    expect(await existing.json()).toEqual(await fresh.json());
    expect((await server.store.users.findByEmail('nurse@outpost.test'))?.memberships).toEqual([{ orgId: orgB, role: 'technician', siteIds: 'all' }]);
  });
});

describe("a membership's sites", () => {
  it('must be sites of that membership\'s organization, on creation and on change', async () => {
    const withSites = (email: string, siteIds: string[]) => ({ email, name: 'Store staff', password: SHARED_PASSWORD, memberships: [{ orgId: orgA, role: 'staff', siteIds }] });
    for (const siteIds of [[siteB], [siteA, siteB], [crypto.randomUUID()]]) {
      const response = await createUser(server.adminFetch, withSites('staff@outpost.test', siteIds));
      expect(response.status, JSON.stringify(siteIds)).toBe(400);
      expect(((await response.json()) as ErrorBody).error).toMatchObject({ code: 'unknown_site', field: 'body.memberships.0.siteIds', message: expect.stringMatching(/is not a site of this organization/) });
    }
    expect(await server.store.users.findByEmail('staff@outpost.test')).toBeUndefined();

    const deleted = makeSite(orgA, { name: 'Closed store' });
    await server.store.insertMany('sites', [{ ...deleted, _deleted: true }]);
    expect((await createUser(server.adminFetch, withSites('staff@outpost.test', [deleted.id]))).status).toBe(400);

    const created = await createUser(server.adminFetch, withSites('staff@outpost.test', [siteA]));
    expect(created.status).toBe(201);
    const { user } = (await created.json()) as { user: PublicUser };
    const change = await patchUser(server.adminFetch, user.id, { memberships: [{ orgId: orgA, role: 'staff', siteIds: [siteB] }] });
    expect(change.status).toBe(400);
    expect(((await change.json()) as ErrorBody).error.code).toBe('unknown_site');
    expect((await server.store.users.get(user.id))?.memberships).toEqual([{ orgId: orgA, role: 'staff', siteIds: [siteA] }]);
  });
});
