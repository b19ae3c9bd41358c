import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSite } from '../support/documents.ts';
import { ADMIN_EMAIL, fetchWithCookie, signIn, startTestServer, type TestServer } from '../support/server.ts';

const json = { 'content-type': 'application/json' };

interface PublicUser {
  id: string;
  email: string;
  memberships: { orgId: string; role: string; siteIds: string[] | null }[];
}

describe('administration', () => {
  let server: TestServer;
  let siteId: string;

  beforeEach(async () => {
    server = await startTestServer();
    const site = makeSite(server.orgId);
    siteId = site.id;
    await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
  });

  afterEach(async () => {
    await server.dispose();
  });

  const createUser = async (email: string, role: string, siteIds?: string[]) => {
    const response = await server.adminFetch(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, name: email.split('@')[0], password: 'long-enough-passphrase', memberships: [{ orgId: server.orgId, role, ...(siteIds ? { siteIds } : {}) }] }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { user: PublicUser }).user;
  };
  const directory = async () => {
    const page = (await (await server.adminFetch(`${server.url}/api/sync/users/pull?limit=2000`)).json()) as { documents: { userId: string; role: string; siteIds: string[]; email: string; _deleted: boolean }[] };
    return page.documents.filter((d) => !d._deleted);
  };

  it('creates an account that can sign in and appears in the replicated directory', async () => {
    const user = await createUser('staff@outpost.test', 'staff', [siteId]);
    expect(user.memberships).toEqual([{ orgId: server.orgId, role: 'staff', siteIds: [siteId] }]);
    await signIn(server.url, 'staff@outpost.test', 'long-enough-passphrase');
    expect(await directory()).toContainEqual(expect.objectContaining({ userId: user.id, role: 'staff', siteIds: [siteId], email: 'staff@outpost.test' }));
  });

  it('rejects a duplicate email, unknown fields and memberships in organizations the caller does not run', async () => {
    await createUser('dup@outpost.test', 'technician');
    const duplicate = await server.adminFetch(`${server.url}/api/admin/users`, {
      method: 'POST', headers: json,
      body: JSON.stringify({ email: 'DUP@outpost.test', name: 'Dup', password: 'long-enough-passphrase', memberships: [{ orgId: server.orgId, role: 'staff' }] }),
    });
    expect(duplicate.status).toBe(409);
    const massAssignment = await server.adminFetch(`${server.url}/api/admin/users`, {
      method: 'POST', headers: json,
      body: JSON.stringify({ email: 'x@outpost.test', name: 'X', password: 'long-enough-passphrase', memberships: [{ orgId: server.orgId, role: 'staff' }], passwordHash: 'x' }),
    });
    expect(massAssignment.status).toBe(400);
    const otherOrg = await server.adminFetch(`${server.url}/api/admin/users`, {
      method: 'POST', headers: json,
      body: JSON.stringify({ email: 'y@outpost.test', name: 'Y', password: 'long-enough-passphrase', memberships: [{ orgId: crypto.randomUUID(), role: 'admin' }] }),
    });
    expect(otherOrg.status).toBe(403);
  });

  it('refuses the administration API to non-administrators', async () => {
    await createUser('manager@outpost.test', 'manager');
    const managerFetch = fetchWithCookie(await signIn(server.url, 'manager@outpost.test', 'long-enough-passphrase'));
    expect((await managerFetch(`${server.url}/api/admin/users`, { method: 'POST', headers: json, body: '{}' })).status).toBe(400);
    const create = await managerFetch(`${server.url}/api/admin/users`, {
      method: 'POST', headers: json,
      body: JSON.stringify({ email: 'z@outpost.test', name: 'Z', password: 'long-enough-passphrase', memberships: [{ orgId: server.orgId, role: 'admin' }] }),
    });
    expect(create.status).toBe(403);
    expect((await managerFetch(`${server.url}/api/admin/audit`)).status).toBe(403);
    expect((await managerFetch(`${server.url}/api/admin/enrollment-tokens`)).status).toBe(403);
    expect((await managerFetch(`${server.url}/api/admin/enrollment-tokens`, { method: 'POST', headers: json, body: JSON.stringify({ siteId, expiresInHours: 24 }) })).status).toBe(404);
  });

  it('changes a role, ends the user\'s sessions and updates the directory', async () => {
    const user = await createUser('tech@outpost.test', 'technician');
    const cookie = await signIn(server.url, 'tech@outpost.test', 'long-enough-passphrase');
    const patch = await server.adminFetch(`${server.url}/api/admin/users/${user.id}`, {
      method: 'PATCH', headers: json, body: JSON.stringify({ memberships: [{ orgId: server.orgId, role: 'staff', siteIds: [siteId] }] }),
    });
    expect(patch.status).toBe(200);
    expect((await fetch(`${server.url}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
    expect(await directory()).toContainEqual(expect.objectContaining({ userId: user.id, role: 'staff' }));
  });

  it('deletes an account, tombstoning its directory entry', async () => {
    const user = await createUser('gone@outpost.test', 'staff');
    const response = await server.adminFetch(`${server.url}/api/admin/users/${user.id}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await server.store.users.get(user.id)).toBeUndefined();
    expect((await directory()).map((d) => d.userId)).not.toContain(user.id);
    expect((await server.adminFetch(`${server.url}/api/admin/users/${user.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('keeps at least one administrator in an organization', async () => {
    const admin = await server.store.users.findByEmail(ADMIN_EMAIL);
    const demote = await server.adminFetch(`${server.url}/api/admin/users/${admin!.id}`, {
      method: 'PATCH', headers: json, body: JSON.stringify({ memberships: [{ orgId: server.orgId, role: 'manager' }] }),
    });
    expect(demote.status).toBe(409);
    expect((await server.adminFetch(`${server.url}/api/admin/users/${admin!.id}`, { method: 'DELETE' })).status).toBe(409);
  });

  it('issues enrollment tokens once, stores them hashed and revokes them', async () => {
    const response = await server.adminFetch(`${server.url}/api/admin/enrollment-tokens`, { method: 'POST', headers: json, body: JSON.stringify({ siteId, expiresInHours: 48 }) });
    expect(response.status).toBe(201);
    const issued = (await response.json()) as { id: string; token: string; expiresAt: string };
    expect(issued.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await server.store.enrollmentTokens.get(issued.id);
    expect(stored?.tokenHash).not.toBe(issued.token);
    expect(JSON.stringify(stored)).not.toContain(issued.token);
    expect(Date.parse(issued.expiresAt) - Date.now()).toBeGreaterThan(47 * 3_600_000);
    expect((await server.adminFetch(`${server.url}/api/admin/enrollment-tokens/${issued.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await server.store.enrollmentTokens.get(issued.id))?.revokedAt).toBeGreaterThan(0);
    const listed = (await (await server.adminFetch(`${server.url}/api/admin/enrollment-tokens`)).json()) as { tokens: Record<string, unknown>[] };
    expect(listed.tokens).toContainEqual(expect.objectContaining({ id: issued.id, siteId, expiresAt: issued.expiresAt, revokedAt: expect.any(String), uses: 0 }));
    expect(JSON.stringify(listed)).not.toContain(issued.token);
    expect(JSON.stringify(listed)).not.toContain(stored!.tokenHash);
    const badSite = await server.adminFetch(`${server.url}/api/admin/enrollment-tokens`, { method: 'POST', headers: json, body: JSON.stringify({ siteId: crypto.randomUUID(), expiresInHours: 48 }) });
    expect(badSite.status).toBe(404);
    const badExpiry = await server.adminFetch(`${server.url}/api/admin/enrollment-tokens`, { method: 'POST', headers: json, body: JSON.stringify({ siteId, expiresInHours: 0 }) });
    expect(badExpiry.status).toBe(400);
  });

  it('records logins, failures, writes and revocations in an append-only audit log', async () => {
    const user = await createUser('audited@outpost.test', 'technician');
    await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'audited@outpost.test', password: 'wrong-password' }) });
    const cookie = await signIn(server.url, 'audited@outpost.test', 'long-enough-passphrase');
    const device = { id: crypto.randomUUID(), orgId: server.orgId, siteId, hostname: 'nw-sto001-ws-01', kind: 'workstation', ips: [], macs: [], tags: [], trend: [], status: 'online', health: 'ok', healthReasons: [], updatedAt: new Date().toISOString(), _deleted: false };
    const push = await fetchWithCookie(cookie)(`${server.url}/api/sync/devices/push`, { method: 'POST', headers: json, body: JSON.stringify([{ newDocumentState: device }]) });
    expect(await push.json()).toEqual({ conflicts: [], rejected: [] });
    await server.adminFetch(`${server.url}/api/admin/users/${user.id}/sessions/revoke`, { method: 'POST' });

    const entries: { id: number; action: string; actorId: string; documentId?: string; clientAddress?: string }[] = [];
    let cursor = 0;
    for (;;) {
      const page = (await (await server.adminFetch(`${server.url}/api/admin/audit?cursor=${cursor}&limit=3`)).json()) as { entries: typeof entries; cursor: number };
      if (page.entries.length === 0) break;
      entries.push(...page.entries);
      cursor = page.cursor;
    }
    const actions = entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user_created', 'login_failed', 'login', 'create', 'sessions_revoked']));
    expect(entries.find((e) => e.action === 'create' && e.documentId === device.id)).toMatchObject({ actorId: user.id, clientAddress: expect.stringMatching(/127\.0\.0\.1/) });
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);

    // Straight on the database, outside the store: the engine itself refuses.
    await expect(server.sql("UPDATE audit_log SET action = 'nothing'")).rejects.toThrow(/append-only/);
    await expect(server.sql('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });
});
