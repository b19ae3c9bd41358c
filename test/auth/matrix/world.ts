import { uuidv7 } from '../../../shared/id/uuidv7.ts';
import type { CollectionName } from '../../../shared/schema/collections.ts';
import type { Role } from '../../../shared/schema/user.ts';
import type { StoredDocument } from '../../../server/store/store.ts';
import { ADMIN_EMAIL, fetchWithCookie, signIn, startTestServer, type TestServer } from '../../support/server.ts';
import * as make from './documents.ts';

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;
/** The password of every account but the bootstrap administrator's. */
export const ACCOUNT_PASSWORD = 'matrix-of-roles-and-rights';
/** Someone of org B, where none of our accounts is a member. */
export const ORG_B_PERSON = uuidv7();

export interface Account {
  id: string;
  email: string;
  cookie: string;
  /** fetch carrying this account's session cookie */
  fetch: typeof fetch;
}

/** Where one collection's seeded documents live: at S1 and S2 of org A (or once in org A), and in org B. */
export interface Seeded {
  /** org A, site S1 (or org A for a collection without sites) */
  a1: string;
  /** org A, site S2; absent for a collection without sites */
  a2?: string;
  /** org B (at its site where the collection has sites) */
  b: string;
}

export interface World {
  server: TestServer;
  orgA: string;
  orgB: string;
  s1: string;
  s2: string;
  siteB: string;
  accounts: Record<Role, Account>;
  /** Runbooks runs refer to: approved and draft in org A, approved in org B. */
  runbooks: { approvedA: string; draftA: string; approvedB: string };
  seeded: Record<CollectionName, Seeded>;
}

/**
 * One real server: org A (the bootstrap admin's) with sites S1 and S2, org B with one site,
 * accounts for every role created through the admin API (staff limited to S1), and documents
 * of every collection at S1, at S2 and in org B.
 */
export async function buildWorld(): Promise<World> {
  const server = await startTestServer();
  const orgA = server.orgId;
  const store = server.store;

  const orgBDocument = make.org(undefined, 'Contoso Clinics');
  const orgB = orgBDocument.id;
  const s1 = make.site(orgA, undefined, 'Store 1');
  const s2 = make.site(orgA, undefined, 'Store 2');
  const siteB = make.site(orgB, undefined, 'Clinic 1');
  await store.insertMany('orgs', [orgBDocument]);
  await store.insertMany('sites', [s1, s2, siteB]);

  const admin = await store.users.findByEmail(ADMIN_EMAIL);
  if (!admin) throw new Error('the bootstrap administrator is missing');
  const createAccount = async (role: Exclude<Role, 'admin'>, siteIds?: string[]): Promise<Account> => {
    const email = `${role}@outpost.test`;
    const response = await server.adminFetch(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ email, name: `The ${role}`, password: ACCOUNT_PASSWORD, memberships: [{ orgId: orgA, role, ...(siteIds ? { siteIds } : {}) }] }),
    });
    if (response.status !== 201) throw new Error(`creating the ${role} failed: ${response.status} ${await response.text()}`);
    const { user } = (await response.json()) as { user: { id: string } };
    const cookie = await signIn(server.url, email, ACCOUNT_PASSWORD);
    return { id: user.id, email, cookie, fetch: fetchWithCookie(cookie) };
  };
  const accounts: Record<Role, Account> = {
    admin: { id: admin.id, email: ADMIN_EMAIL, cookie: server.adminCookie, fetch: server.adminFetch },
    manager: await createAccount('manager'),
    technician: await createAccount('technician'),
    staff: await createAccount('staff', [s1.id]),
  };

  const technician = accounts.technician.id;
  const runbooks = {
    approvedA: make.runbook(orgA, 'approved', admin.id),
    draftA: make.runbook(orgA, 'draft'),
    approvedB: make.runbook(orgB, 'approved', ORG_B_PERSON),
  };
  await store.insertMany('runbooks', Object.values(runbooks));

  /** Documents at S1, at S2 and in org B, of one site-scoped collection. */
  const threeSites = async (collection: CollectionName, build: (orgId: string, siteId: string) => StoredDocument): Promise<Seeded> => {
    const a1 = build(orgA, s1.id);
    const a2 = build(orgA, s2.id);
    const b = build(orgB, siteB.id);
    await store.insertMany(collection, [a1, a2, b]);
    return { a1: a1.id, a2: a2.id, b: b.id };
  };
  /** Documents in org A and in org B, of a collection without sites. */
  const twoOrgs = async (collection: CollectionName, build: (orgId: string) => StoredDocument): Promise<Seeded> => {
    const a1 = build(orgA);
    const b = build(orgB);
    await store.insertMany(collection, [a1, b]);
    return { a1: a1.id, b: b.id };
  };

  const versionsToSeed = new Map([
    [orgA, await make.runbookVersion(orgA, runbooks.approvedA.id, admin.id)],
    [orgB, await make.runbookVersion(orgB, runbooks.approvedB.id, ORG_B_PERSON)],
  ]);
  const versionOfApproved = (orgId: string): StoredDocument => {
    const version = versionsToSeed.get(orgId);
    if (!version) throw new Error(`no version to seed in ${orgId}`);
    return version;
  };
  /** Reviews of the incidents at S1, S2 and in org B; and the text of a runbook, which has no site (staff read it too). */
  const textUpdates = async (): Promise<Seeded> => {
    const incidentAt = new Map([[s1.id, incidents.a1], [s2.id, incidents.a2], [siteB.id, incidents.b]]);
    const seeded = await threeSites('doc_updates', (o, s) => make.incidentReview(o, s, incidentAt.get(s) ?? ''));
    await store.insertMany('doc_updates', [make.runbookText(orgA, runbooks.approvedA.id)]);
    return seeded;
  };

  const devices = await threeSites('devices', (o, s) => make.device(o, s));
  const incidents = await threeSites('incidents', (o, s) => make.incident(o, s, technician));
  const directoryEntryB = make.userEntry(orgB, ORG_B_PERSON);
  await store.insertMany('users', [directoryEntryB]);
  const directoryEntryA = (await store.pull({ kind: 'everything' }, 'users', {}, 2000)).documents.find((d) => d.orgId === orgA && d['userId'] === admin.id);
  if (!directoryEntryA) throw new Error('the administrator has no directory entry');

  const seeded: Record<CollectionName, Seeded> = {
    orgs: { a1: orgA, b: orgB },
    sites: { a1: s1.id, a2: s2.id, b: siteB.id },
    devices,
    alerts: await threeSites('alerts', (o, s) => make.alert(o, s)),
    runbooks: { a1: runbooks.approvedA.id, b: runbooks.approvedB.id },
    runs: await threeSites('runs', (o, s) => make.run(o, s, o === orgA ? runbooks.approvedA.id : runbooks.approvedB.id, technician)),
    risks: await twoOrgs('risks', (o) => make.risk(o)),
    incidents,
    timeline: await threeSites('timeline', (o, s) => make.timelineEntry(o, s, technician)),
    users: { a1: directoryEntryA.id, b: directoryEntryB.id },
    runbook_versions: await twoOrgs('runbook_versions', versionOfApproved),
    doc_updates: await textUpdates(),
  };

  return {
    server,
    orgA,
    orgB,
    s1: s1.id,
    s2: s2.id,
    siteB: siteB.id,
    accounts,
    runbooks: { approvedA: runbooks.approvedA.id, draftA: runbooks.draftA.id, approvedB: runbooks.approvedB.id },
    seeded,
  };
}
