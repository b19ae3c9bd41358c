import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { canonicalJson } from '../../shared/merge/canonical.ts';
import type { CollectionName } from '../../shared/schema/collections.ts';
import type { Device, Org, Runbook, Site } from '../../shared/schema/index.ts';
import type { Checkpoint } from '../../shared/sync/checkpoint.ts';
import { makeDevice, makeOrg, makeSite } from '../../test/support/documents.ts';
import { SYSTEM_PRINCIPAL, type Principal, type Scope } from '../auth/principal.ts';
import { DuplicateEmailError, type EnrollmentTokenRecord, type UserRecord } from './accounts.ts';
import type { NewAgentDevice } from './agents.ts';
import { InvalidWriteError, ResyncRequiredError, type ChangeBatch, type Store, type StoredDocument } from './store.ts';

/**
 * The behaviour every Store implementation shares, written once and run against each (the
 * PostgreSQL suite calls it; it holds no assumption about the engine underneath).
 */
export interface StoreHarness {
  /** A new, empty store; `now` replaces its clock. */
  open(options?: { now?: () => number }): Promise<Store>;
  /** Runs after each test, once the test's stores are closed. */
  cleanup?(): Promise<void>;
}

const EVERYTHING: Scope = { kind: 'everything' };

function live(entity: Org | Site | Device | Runbook): StoredDocument {
  return { ...entity, _deleted: false };
}

function deleted(document: StoredDocument): StoredDocument {
  return { ...document, _deleted: true };
}

function makeRunbook(orgId: string, overrides: Partial<Runbook> = {}): Runbook {
  return {
    id: uuidv7(),
    orgId,
    title: 'Replace a receipt printer',
    summary: 'Swap the printer and test a receipt.',
    tags: [],
    appliesTo: { deviceKinds: ['pos'], tags: [], siteIds: [] },
    steps: [],
    status: 'draft',
    version: 1,
    updatedAt: new Date().toISOString(),
    ...overrides,
  };
}

function orgScope(...orgs: { orgId: string; siteIds: readonly string[] | 'all' }[]): Scope {
  return { kind: 'orgs', orgs };
}

interface Paged {
  documents: StoredDocument[];
  checkpoint: Checkpoint;
  pages: number;
}

/** Pulls page by page until nothing remains, checking `remaining` against what is still to come. */
async function pullAll(store: Store, scope: Scope, collection: CollectionName, limit: number, from: Checkpoint = {}): Promise<Paged> {
  const documents: StoredDocument[] = [];
  let checkpoint = from;
  let pages = 0;
  for (;;) {
    const page = await store.pull(scope, collection, checkpoint, limit);
    pages++;
    expect(page.documents.length).toBeLessThanOrEqual(limit);
    documents.push(...page.documents);
    checkpoint = page.checkpoint;
    if (page.remaining === 0) return { documents, checkpoint, pages };
    expect(page.documents.length).toBe(limit);
    if (pages > 10_000) throw new Error('pull never finished');
  }
}

/** Each visible change with the sequence the server gave it, read one change per page. */
async function changesWithSeq(store: Store, scope: Scope, collection: CollectionName): Promise<{ id: string; orgId: string; seq: number }[]> {
  const changes: { id: string; orgId: string; seq: number }[] = [];
  let checkpoint: Checkpoint = {};
  for (;;) {
    const page = await store.pull(scope, collection, checkpoint, 1);
    const document = page.documents[0];
    if (!document) return changes;
    const seq = page.checkpoint[document.orgId];
    if (seq === undefined) throw new Error(`checkpoint lacks organization ${document.orgId}`);
    changes.push({ id: document.id, orgId: document.orgId, seq });
    checkpoint = page.checkpoint;
  }
}

const ids = (documents: readonly { id: string }[]) => documents.map((d) => d.id);

/** The provenance of a master the system principal wrote, at whatever time the store's clock said. */
const bySystem = (document: StoredDocument) => ({ id: document.id, writtenAt: expect.any(Number), writtenBy: { kind: 'system', id: 'system' } });

export function describeStoreBehaviour(harness: StoreHarness): void {
  let store: Store;
  beforeEach(async () => {
    store = await harness.open();
  });
  afterEach(async () => {
    await store.close();
    await harness.cleanup?.();
  });

  describe('sequences', () => {
    it('numbers changes per organization, starting at 1 and rising by one per accepted write', async () => {
      const orgA = makeOrg();
      const orgB = makeOrg();
      const siteA = makeSite(orgA.id);
      const siteB = makeSite(orgB.id);
      const a1 = live(makeDevice(orgA.id, siteA.id));
      const b1 = live(makeDevice(orgB.id, siteB.id));
      const a2 = live(makeDevice(orgA.id, siteA.id));
      const a3 = live(makeDevice(orgA.id, siteA.id));
      const b2 = live(makeDevice(orgB.id, siteB.id));
      for (const document of [a1, b1, a2, a3, b2]) {
        await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: document }]);
      }
      // A write to another collection of the same organization takes the next number too.
      await store.push(SYSTEM_PRINCIPAL, 'runbooks', [{ newDocumentState: live(makeRunbook(orgA.id)) }]);
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: { ...a1, hostname: 'renamed' }, assumedMasterState: a1 }]);

      const changes = await changesWithSeq(store, EVERYTHING, 'devices');
      const seqsOf = (orgId: string) => changes.filter((c) => c.orgId === orgId).map((c) => [c.id, c.seq]);
      expect(seqsOf(orgA.id)).toEqual([
        [a2.id, 2],
        [a3.id, 3],
        [a1.id, 5],
      ]);
      expect(seqsOf(orgB.id)).toEqual([
        [b1.id, 1],
        [b2.id, 2],
      ]);
    });

    it('orders changes by arrival at the server, never by the client-supplied updatedAt', async () => {
      const org = makeOrg();
      const site = makeSite(org.id);
      const fromTheFuture = live(makeDevice(org.id, site.id, { updatedAt: '2099-12-31T23:59:59.000Z' }));
      const fromThePast = live(makeDevice(org.id, site.id, { updatedAt: '1970-01-01T00:00:00.000Z' }));
      const fromNow = live(makeDevice(org.id, site.id));
      for (const document of [fromTheFuture, fromThePast, fromNow]) {
        await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: document }]);
      }
      expect(ids((await store.pull(EVERYTHING, 'devices', {}, 100)).documents)).toEqual([fromTheFuture.id, fromThePast.id, fromNow.id]);

      // An edit stamped long ago by a wrong clock is still the newest change.
      const before = await store.pull(EVERYTHING, 'devices', {}, 100);
      const edit = { ...fromTheFuture, assignee: 'Dana', updatedAt: '1980-06-01T00:00:00.000Z' };
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: edit, assumedMasterState: fromTheFuture }])).toEqual({ conflicts: [], conflictProvenance: [], rejected: [], written: 1 });
      const after = await store.pull(EVERYTHING, 'devices', before.checkpoint, 100);
      expect(after.documents).toEqual([edit]);
      expect(after.checkpoint[org.id]).toBe((before.checkpoint[org.id] ?? 0) + 1);
      expect(ids((await store.pull(EVERYTHING, 'devices', {}, 100)).documents)).toEqual([fromThePast.id, fromNow.id, fromTheFuture.id]);
    });
  });

  describe('pull', () => {
    it('returns an empty page with the same checkpoint when nothing changed', async () => {
      const org = makeOrg();
      await store.push(SYSTEM_PRINCIPAL, 'orgs', [{ newDocumentState: live(org) }]);
      const first = await store.pull(EVERYTHING, 'orgs', {}, 10);
      expect(first).toEqual({ documents: [live(org)], checkpoint: { [org.id]: 1 }, remaining: 0 });
      expect(await store.pull(EVERYTHING, 'orgs', first.checkpoint, 10)).toEqual({ documents: [], checkpoint: first.checkpoint, remaining: 0 });
    });

    it('serves the same page as encoded JSON, tombstones and empty pages included', async () => {
      const org = makeOrg();
      const site = makeSite(org.id);
      const devices = [makeDevice(org.id, site.id), makeDevice(org.id, site.id)];
      await store.insertMany('devices', devices.map(live));
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: deleted(live(devices[0]!)), assumedMasterState: live(devices[0]!) }]);
      const served: unknown[] = [];
      for (const checkpoint of [{}, { [org.id]: 2 }, { [org.id]: 3 }]) {
        const page = await store.pull(EVERYTHING, 'devices', checkpoint, 1);
        const text = await store.pullJson(EVERYTHING, 'devices', checkpoint, 1);
        expect({ ...text, documents: text.documents.map((json) => JSON.parse(Buffer.from(json).toString('utf8')) as unknown) }).toEqual(page);
        served.push(...page.documents);
      }
      expect(served).toEqual([live(devices[1]!), deleted(live(devices[0]!))]);
    });

    it('pages through several organizations in sequence order without skipping or repeating a change', async () => {
      const orgs = [makeOrg(), makeOrg(), makeOrg()];
      const sites = orgs.map((org) => makeSite(org.id));
      const latest = new Map<string, StoredDocument>();
      /** Ids of each organization in the order of their last write: the order a pull must give. */
      const order = new Map<string, string[]>(orgs.map((org) => [org.id, []]));
      const record = (document: StoredDocument) => {
        latest.set(document.id, document);
        const list = order.get(document.orgId) ?? [];
        order.set(document.orgId, [...list.filter((id) => id !== document.id), document.id]);
      };
      for (let i = 0; i < 40; i++) {
        const index = i % 3 === 2 ? 2 : i % 2;
        const org = orgs[index];
        const site = sites[index];
        if (!org || !site) throw new Error('fixture');
        const document = live(makeDevice(org.id, site.id, { hostname: `host-${i}` }));
        await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: document }]);
        record(document);
        // Every fifth write edits an older document, which moves it to the end of its organization.
        if (i % 5 === 4) {
          const older = [...latest.values()][i - 3];
          if (!older) throw new Error('fixture');
          const edited = { ...older, notes: `edit ${i}` };
          expect((await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: edited, assumedMasterState: older }])).written).toBe(1);
          record(edited);
        }
      }
      const total = latest.size;

      for (const limit of [1, 3, 7, 16, total, total + 5]) {
        let checkpoint: Checkpoint = {};
        const seen: StoredDocument[] = [];
        for (;;) {
          const page = await store.pull(EVERYTHING, 'devices', checkpoint, limit);
          seen.push(...page.documents);
          expect(page.remaining).toBe(total - seen.length);
          for (const org of orgs) expect(page.checkpoint[org.id] ?? 0).toBeGreaterThanOrEqual(checkpoint[org.id] ?? 0);
          checkpoint = page.checkpoint;
          if (page.remaining === 0) break;
          expect(page.documents).toHaveLength(limit);
        }
        expect(new Set(ids(seen)).size).toBe(seen.length);
        for (const org of orgs) {
          expect(ids(seen.filter((d) => d.orgId === org.id))).toEqual(order.get(org.id));
        }
        expect(seen.toSorted((a, b) => a.id.localeCompare(b.id))).toEqual([...latest.values()].toSorted((a, b) => a.id.localeCompare(b.id)));
      }
    });

    it('misses nothing written between pages of a paged pull', async () => {
      const orgs = [makeOrg(), makeOrg()];
      const latest = new Map<string, StoredDocument>();
      let counter = 0;
      const write = async () => {
        const org = orgs[counter % 2];
        if (!org) throw new Error('fixture');
        counter++;
        const existing = [...latest.values()].find((d) => d.orgId === org.id && counter % 3 === 0);
        if (existing) {
          const edited = { ...existing, notes: `edit ${counter}` };
          await store.push(SYSTEM_PRINCIPAL, 'runbooks', [{ newDocumentState: edited, assumedMasterState: existing }]);
          latest.set(edited.id, edited);
        } else {
          const document = live(makeRunbook(org.id, { title: `runbook ${counter}` }));
          await store.push(SYSTEM_PRINCIPAL, 'runbooks', [{ newDocumentState: document }]);
          latest.set(document.id, document);
        }
      };
      for (let i = 0; i < 10; i++) await write();

      const received = new Map<string, StoredDocument>();
      const changes = new Set<string>();
      let checkpoint: Checkpoint = {};
      for (let round = 0; ; round++) {
        const page = await store.pull(EVERYTHING, 'runbooks', checkpoint, 2);
        for (const document of page.documents) {
          const change = canonicalJson(document);
          expect(changes.has(change), 'a change was delivered twice').toBe(false);
          changes.add(change);
          received.set(document.id, document);
        }
        checkpoint = page.checkpoint;
        if (round < 12) await write();
        else if (page.remaining === 0) break;
      }
      expect(received).toEqual(latest);
    });

    it('shows a principal scoped to one organization only that organization', async () => {
      const orgA = makeOrg();
      const orgB = makeOrg();
      const siteA = makeSite(orgA.id);
      const siteB = makeSite(orgB.id);
      const deviceA = live(makeDevice(orgA.id, siteA.id));
      const deviceB = live(makeDevice(orgB.id, siteB.id));
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: deviceA }, { newDocumentState: deviceB }]);
      await store.push(SYSTEM_PRINCIPAL, 'runbooks', [{ newDocumentState: live(makeRunbook(orgB.id)) }]);

      const scope = orgScope({ orgId: orgA.id, siteIds: 'all' });
      expect(await store.pull(scope, 'devices', {}, 100)).toEqual({ documents: [deviceA], checkpoint: { [orgA.id]: 1 }, remaining: 0 });
      expect((await store.pull(scope, 'runbooks', {}, 100)).documents).toEqual([]);
      // A checkpoint naming another organization does not open it up.
      expect((await store.pull(scope, 'devices', { [orgB.id]: 0 }, 100)).documents).toEqual([deviceA]);
    });

    it('shows a principal scoped to some sites only those sites, but every document of the organization that belongs to no site', async () => {
      const org = makeOrg();
      const other = makeOrg();
      const [site1, site2, site3] = [makeSite(org.id), makeSite(org.id), makeSite(org.id)];
      const otherSite = makeSite(other.id);
      await store.push(SYSTEM_PRINCIPAL, 'sites', [site1, site2, site3, otherSite].map((s) => ({ newDocumentState: live(s) })));
      const devices = [site1, site2, site3, site1, site2, site3].map((s) => live(makeDevice(org.id, s.id)));
      await store.push(SYSTEM_PRINCIPAL, 'devices', [...devices, live(makeDevice(other.id, otherSite.id))].map((d) => ({ newDocumentState: d })));
      const runbooks = [live(makeRunbook(org.id)), live(makeRunbook(org.id, { appliesTo: { deviceKinds: [], tags: [], siteIds: [site2.id] } }))];
      await store.push(SYSTEM_PRINCIPAL, 'runbooks', [...runbooks, live(makeRunbook(other.id))].map((d) => ({ newDocumentState: d })));

      const scope = orgScope({ orgId: org.id, siteIds: [site1.id, site3.id] });
      const visibleDevices = devices.filter((d) => d.siteId !== site2.id);
      const page = await store.pull(scope, 'devices', {}, 100);
      expect(page.documents).toEqual(visibleDevices);
      expect(page.remaining).toBe(0);
      expect(Object.keys(page.checkpoint)).toEqual([org.id]);
      expect(ids((await store.pull(scope, 'sites', {}, 100)).documents)).toEqual([site1.id, site3.id]);
      expect((await store.pull(scope, 'runbooks', {}, 100)).documents).toEqual(runbooks);

      // `remaining` counts only what the scope may see.
      const firstPage = await store.pull(scope, 'devices', {}, 1);
      expect(firstPage.documents).toEqual(visibleDevices.slice(0, 1));
      expect(firstPage.remaining).toBe(visibleDevices.length - 1);
      expect((await pullAll(store, scope, 'devices', 1)).documents).toEqual(visibleDevices);

      const noSites = orgScope({ orgId: org.id, siteIds: [] });
      expect((await store.pull(noSites, 'devices', {}, 100)).documents).toEqual([]);
      expect((await store.pull(noSites, 'runbooks', {}, 100)).documents).toEqual(runbooks);
    });
  });

  describe('push', () => {
    let org: Org;
    let master: StoredDocument;
    beforeEach(async () => {
      org = makeOrg();
      master = live(makeDevice(org.id, makeSite(org.id).id));
    });

    const devicesPull = () => store.pull(EVERYTHING, 'devices', {}, 100);

    it('inserts a document the server does not hold', async () => {
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }])).toEqual({ conflicts: [], conflictProvenance: [], rejected: [], written: 1 });
      expect(await devicesPull()).toEqual({ documents: [master], checkpoint: { [org.id]: 1 }, remaining: 0 });
      expect(await store.countDocuments()).toBe(1);
    });

    it('answers with the master when a row without an assumed state meets an existing document', async () => {
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }]);
      const blindWrite = { ...master, hostname: 'other-name' };
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: blindWrite }])).toEqual({ conflicts: [master], conflictProvenance: [bySystem(master)], rejected: [], written: 0 });
      expect(await devicesPull()).toEqual({ documents: [master], checkpoint: { [org.id]: 1 }, remaining: 0 });
    });

    it('accepts without a new change a row without an assumed state that equals the master', async () => {
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }]);
      const sameContent = { ...reversedKeys(master), _rev: '3-abc', _meta: { lwt: 1 }, _attachments: {} } as StoredDocument;
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: sameContent }])).toEqual({ conflicts: [], conflictProvenance: [], rejected: [], written: 0 });
      expect(await devicesPull()).toEqual({ documents: [master], checkpoint: { [org.id]: 1 }, remaining: 0 });
    });

    it('writes when the assumed state has the master content, whatever its key order and RxDB bookkeeping', async () => {
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }]);
      const assumed = { ...reversedKeys(master), _rev: '7-ffff', _meta: { lwt: 1_700_000_000_000 }, _attachments: {} } as StoredDocument;
      const edited = { ...master, assignee: 'Dana', _rev: '8-0000', _meta: { lwt: 1 } } as StoredDocument;
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: edited, assumedMasterState: assumed }])).toEqual({ conflicts: [], conflictProvenance: [], rejected: [], written: 1 });
      expect(await devicesPull()).toEqual({ documents: [{ ...master, assignee: 'Dana' }], checkpoint: { [org.id]: 2 }, remaining: 0 });
    });

    it('answers with the current master when the assumed state is stale', async () => {
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }]);
      const current = { ...master, status: 'offline' as const };
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: current, assumedMasterState: master }]);

      const stale = { ...master, assignee: 'Dana', updatedAt: '2099-01-01T00:00:00.000Z' };
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: stale, assumedMasterState: master }])).toEqual({ conflicts: [current], conflictProvenance: [bySystem(current)], rejected: [], written: 0 });
      // A deleted master differs from a live assumed state with the same fields.
      const tombstone = deleted(current);
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: tombstone, assumedMasterState: current }]);
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: stale, assumedMasterState: current }])).toEqual({ conflicts: [tombstone], conflictProvenance: [bySystem(tombstone)], rejected: [], written: 0 });
      expect(await devicesPull()).toEqual({ documents: [tombstone], checkpoint: { [org.id]: 3 }, remaining: 0 });
    });

    it('applies the rows of a batch one by one, conflicting only where the assumed state is stale', async () => {
      const second = live(makeDevice(org.id, master.siteId ?? ''));
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }, { newDocumentState: second }]);
      const result = await store.push(SYSTEM_PRINCIPAL, 'devices', [
        { newDocumentState: { ...master, notes: 'fresh' }, assumedMasterState: master },
        { newDocumentState: { ...second, notes: 'stale' }, assumedMasterState: { ...second, hostname: 'not-what-the-server-has' } },
      ]);
      expect(result).toEqual({ conflicts: [second], conflictProvenance: [bySystem(second)], rejected: [], written: 1 });
      expect((await devicesPull()).documents).toEqual([second, { ...master, notes: 'fresh' }]);
    });

    it('changes nothing when an applied push is replayed', async () => {
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }]);
      const update = [{ newDocumentState: { ...master, assignee: 'Dana' }, assumedMasterState: master }];
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', update)).toEqual({ conflicts: [], conflictProvenance: [], rejected: [], written: 1 });
      const before = await devicesPull();
      const batches: ChangeBatch[] = [];
      store.onChange((batch) => batches.push(batch));

      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', update)).toEqual({ conflicts: [], conflictProvenance: [], rejected: [], written: 0 });
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }])).toEqual({ conflicts: [{ ...master, assignee: 'Dana' }], conflictProvenance: [bySystem(master)], rejected: [], written: 0 });
      expect(await devicesPull()).toEqual(before);
      expect(batches).toEqual([]);
    });

    it('refuses a row that moves a document to another organization and rolls back the rows before it', async () => {
      const otherOrg = makeOrg();
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }]);
      const before = await devicesPull();
      const batches: ChangeBatch[] = [];
      store.onChange((batch) => batches.push(batch));
      const insertedFirst = live(makeDevice(org.id, master.siteId ?? ''));
      const editedFirst = { ...master, notes: 'edited before the bad row' };

      const push = store.push(SYSTEM_PRINCIPAL, 'devices', [
        { newDocumentState: insertedFirst },
        { newDocumentState: { ...master, orgId: otherOrg.id, notes: 'moved' }, assumedMasterState: master },
        { newDocumentState: editedFirst, assumedMasterState: master },
      ]);
      await expect(push).rejects.toBeInstanceOf(InvalidWriteError);
      await expect(push).rejects.toMatchObject({ field: '1.newDocumentState.orgId' });

      expect(await devicesPull()).toEqual(before);
      expect(await store.pull(EVERYTHING, 'devices', {}, 100)).toEqual(before);
      expect(await store.countDocuments()).toBe(1);
      expect(batches).toEqual([]);
      // The rolled-back rows used no sequence numbers.
      const next = live(makeDevice(org.id, master.siteId ?? ''));
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: next }]);
      expect((await devicesPull()).checkpoint).toEqual({ [org.id]: 2 });
    });

    it('does not apply rows outside the pushing principal\'s scope', async () => {
      const otherOrg = makeOrg();
      const [allowedSite, forbiddenSite] = [makeSite(org.id), makeSite(org.id)];
      const technician: Principal = { kind: 'user', id: uuidv7(), scope: orgScope({ orgId: org.id, siteIds: [allowedSite.id] }) };
      const inOtherOrg = live(makeDevice(otherOrg.id, makeSite(otherOrg.id).id));
      const inForbiddenSite = live(makeDevice(org.id, forbiddenSite.id));

      // Design: "pushes outside that scope are rejected per row with a reason, never partly applied".
      // How the rejection is reported is open; that nothing is written is not.
      const result = await store.push(technician, 'devices', [{ newDocumentState: inOtherOrg }, { newDocumentState: inForbiddenSite }]);
      expect(result.rejected.map((r) => [r.index, r.id])).toEqual([[0, inOtherOrg.id], [1, inForbiddenSite.id]]);
      expect(result.rejected.every((r) => r.reason.length > 0)).toBe(true);
      expect((await devicesPull()).documents).toEqual([]);
      expect(await store.countDocuments()).toBe(0);
    });
  });

  describe('tombstones', () => {
    let clock: number;
    beforeEach(async () => {
      await store.close();
      clock = Date.parse('2026-01-01T00:00:00.000Z');
      store = await harness.open({ now: () => clock });
    });

    it('purges only tombstones written before the cutoff', async () => {
      const org = makeOrg();
      const site = makeSite(org.id);
      const [keptLive, oldTombstone, newTombstone] = [0, 1, 2].map(() => live(makeDevice(org.id, site.id)));
      if (!keptLive || !oldTombstone || !newTombstone) throw new Error('fixture');
      await store.push(SYSTEM_PRINCIPAL, 'devices', [keptLive, oldTombstone, newTombstone].map((d) => ({ newDocumentState: d })));
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: deleted(oldTombstone), assumedMasterState: oldTombstone }]);
      clock += 10_000;
      const cutoff = new Date(clock);
      clock += 10_000;
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: deleted(newTombstone), assumedMasterState: newTombstone }]);

      expect(await store.purgeTombstones(cutoff)).toBe(1);
      expect(await store.countDocuments()).toBe(2);
      expect((await store.pull(EVERYTHING, 'devices', {}, 100)).documents).toEqual([keptLive, deleted(newTombstone)]);
      expect(await store.purgeTombstones(cutoff)).toBe(0);
    });

    it('requires a resync from a checkpoint that predates a purged tombstone, and only then', async () => {
      const org = makeOrg();
      const otherOrg = makeOrg();
      const site = makeSite(org.id);
      const first = live(makeDevice(org.id, site.id));
      const doomed = live(makeDevice(org.id, site.id));
      const otherOrgDevice = live(makeDevice(otherOrg.id, makeSite(otherOrg.id).id));
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: first }, { newDocumentState: doomed }, { newDocumentState: otherOrgDevice }]); // org: 1, 2
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: deleted(doomed), assumedMasterState: doomed }]); // org: 3
      await store.push(SYSTEM_PRINCIPAL, 'runbooks', [{ newDocumentState: live(makeRunbook(org.id)) }]); // org: 4
      clock += 60_000;
      const later = live(makeDevice(org.id, site.id));
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: later }]); // org: 5

      expect(await store.purgeTombstones(new Date(clock - 1))).toBe(1);

      for (const seq of [1, 2]) {
        const pull = store.pull(EVERYTHING, 'devices', { [org.id]: seq }, 100);
        await expect(pull).rejects.toBeInstanceOf(ResyncRequiredError);
        await expect(pull).rejects.toMatchObject({ orgId: org.id });
      }
      const fromScratch = await store.pull(EVERYTHING, 'devices', {}, 100);
      expect(fromScratch.documents.filter((d) => d.orgId === org.id)).toEqual([first, later]);
      expect(fromScratch.documents.filter((d) => d.orgId === otherOrg.id)).toEqual([otherOrgDevice]);
      expect(fromScratch.checkpoint).toEqual({ [org.id]: 5, [otherOrg.id]: 1 });
      expect((await store.pull(EVERYTHING, 'devices', { [org.id]: 3, [otherOrg.id]: 1 }, 100)).documents).toEqual([later]);
      expect((await store.pull(EVERYTHING, 'devices', { [org.id]: 5, [otherOrg.id]: 1 }, 100)).documents).toEqual([]);
      // Other organizations and other collections of the same organization are unaffected.
      expect((await store.pull(orgScope({ orgId: otherOrg.id, siteIds: 'all' }), 'devices', { [otherOrg.id]: 1 }, 100)).documents).toEqual([]);
      expect((await store.pull(EVERYTHING, 'runbooks', { [org.id]: 1 }, 100)).documents).toHaveLength(1);
    });
  });

  describe('change listeners', () => {
    it('receive each committed batch per organization with the organization\'s sequence', async () => {
      const orgA = makeOrg();
      const orgB = makeOrg();
      const a1 = live(makeDevice(orgA.id, makeSite(orgA.id).id));
      const a2 = live(makeDevice(orgA.id, makeSite(orgA.id).id));
      const b1 = live(makeDevice(orgB.id, makeSite(orgB.id).id));
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: live(makeDevice(orgA.id, makeSite(orgA.id).id)) }]);
      const batches: ChangeBatch[] = [];
      store.onChange((batch) => batches.push(batch));

      const withLocalFields = { ...a1, _rev: '1-x', _meta: { lwt: 5 } } as StoredDocument;
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: withLocalFields }, { newDocumentState: b1 }, { newDocumentState: a2 }]);
      expect(batches.toSorted((x, y) => x.seq - y.seq)).toEqual([
        { collection: 'devices', orgId: orgB.id, documents: [b1], seq: 1 },
        { collection: 'devices', orgId: orgA.id, documents: [a1, a2], seq: 3 },
      ]);
      expect((await store.pull(EVERYTHING, 'devices', {}, 100)).checkpoint).toEqual({ [orgA.id]: 3, [orgB.id]: 1 });

      // Conflicts are not changes.
      batches.length = 0;
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: { ...b1, notes: 'blind' } }]);
      expect(batches).toEqual([]);
    });

    it('keep the push working when one of them throws', async () => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const org = makeOrg();
        const received: ChangeBatch[] = [];
        store.onChange(() => {
          throw new Error('listener broke');
        });
        store.onChange((batch) => received.push(batch));
        const document = live(org);
        expect(await store.push(SYSTEM_PRINCIPAL, 'orgs', [{ newDocumentState: document }])).toEqual({ conflicts: [], conflictProvenance: [], rejected: [], written: 1 });
        expect(received).toEqual([{ collection: 'orgs', orgId: org.id, documents: [document], seq: 1 }]);
        expect((await store.pull(EVERYTHING, 'orgs', {}, 10)).documents).toEqual([document]);
      } finally {
        errors.mockRestore();
      }
    });

    it('stop receiving batches once unsubscribed', async () => {
      const received: ChangeBatch[] = [];
      const unsubscribe = store.onChange((batch) => received.push(batch));
      const org = makeOrg();
      await store.push(SYSTEM_PRINCIPAL, 'orgs', [{ newDocumentState: live(org) }]);
      unsubscribe();
      await store.push(SYSTEM_PRINCIPAL, 'orgs', [{ newDocumentState: live({ ...org, name: 'Renamed' }), assumedMasterState: live(org) }]);
      expect(received).toHaveLength(1);
    });
  });

  describe('getMany', () => {
    it('answers the stored states of the ids it holds, in the order asked, tombstones included', async () => {
      const org = makeOrg();
      const site = makeSite(org.id);
      const [first, second] = [live(makeDevice(org.id, site.id)), live(makeDevice(org.id, site.id))];
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: first }, { newDocumentState: second }]);
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: deleted(first), assumedMasterState: first }]);
      expect(await store.getMany('devices', [second.id, uuidv7(), first.id])).toEqual([second, deleted(first)]);
      expect(await store.getMany('runbooks', [first.id])).toEqual([]);
      expect(await store.getMany('devices', [])).toEqual([]);
    });
  });

  describe('insertMany', () => {
    it('loads documents with fresh sequence numbers, without conflict checks and without telling listeners', async () => {
      const org = makeOrg();
      const site = makeSite(org.id);
      const batches: ChangeBatch[] = [];
      store.onChange((batch) => batches.push(batch));
      const devices = [0, 1, 2].map(() => live(makeDevice(org.id, site.id)));
      await store.insertMany('devices', devices);
      const replaced = { ...devices[0], notes: 'seeded again' } as StoredDocument;
      await store.insertMany('devices', [replaced]);
      expect(batches).toEqual([]);
      const page = await store.pull(EVERYTHING, 'devices', {}, 100);
      expect(page.documents).toEqual([devices[1], devices[2], replaced]);
      expect(page.checkpoint).toEqual({ [org.id]: 4 });

      // A push after seeding continues the sequence and tells listeners only about itself.
      const pushed = live(makeDevice(org.id, site.id));
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: pushed }]);
      expect(batches).toEqual([{ collection: 'devices', orgId: org.id, documents: [pushed], seq: 5 }]);
    });
  });

  describe('who wrote each document', () => {
    let clock: number;
    let org: Org;
    let site: Site;
    let user: Principal;
    let otherUser: Principal;
    beforeEach(async () => {
      await store.close();
      clock = Date.parse('2026-03-01T08:00:00.000Z');
      store = await harness.open({ now: () => clock });
      org = makeOrg();
      site = makeSite(org.id);
      user = { kind: 'user', id: uuidv7(), scope: orgScope({ orgId: org.id, siteIds: 'all' }) };
      otherUser = { kind: 'user', id: uuidv7(), scope: orgScope({ orgId: org.id, siteIds: 'all' }) };
    });

    it('answers each conflict with the principal and server time of the write that made the master', async () => {
      const original = live(makeDevice(org.id, site.id));
      await store.push(user, 'devices', [{ newDocumentState: original }]);
      const stale = { ...original, notes: 'typed offline' };
      clock += 60_000;
      expect(await store.push(otherUser, 'devices', [{ newDocumentState: stale, assumedMasterState: { ...original, notes: 'never there' } }])).toEqual({
        conflicts: [original],
        conflictProvenance: [{ id: original.id, writtenAt: Date.parse('2026-03-01T08:00:00.000Z'), writtenBy: { kind: 'user', id: user.id } }],
        rejected: [],
        written: 0,
      });

      // An agent's write replaces the writer and the time.
      const agent: Principal = { kind: 'agent', id: original.id, scope: orgScope({ orgId: org.id, siteIds: [site.id] }) };
      const reported = { ...original, status: 'offline' as const };
      await store.push(agent, 'devices', [{ newDocumentState: reported, assumedMasterState: original }]);
      clock += 60_000;
      const result = await store.push(otherUser, 'devices', [{ newDocumentState: stale, assumedMasterState: original }]);
      expect(result.conflictProvenance).toEqual([{ id: original.id, writtenAt: Date.parse('2026-03-01T08:01:00.000Z'), writtenBy: { kind: 'agent', id: original.id } }]);
    });

    it('names the writer of a row written earlier in the same push', async () => {
      const original = live(makeDevice(org.id, site.id));
      await store.push(otherUser, 'devices', [{ newDocumentState: original }]);
      clock += 5_000;
      const result = await store.push(user, 'devices', [
        { newDocumentState: { ...original, notes: 'first row' }, assumedMasterState: original },
        { newDocumentState: { ...original, notes: 'second row' }, assumedMasterState: original },
      ]);
      expect(result.written).toBe(1);
      expect(result.conflictProvenance).toEqual([{ id: original.id, writtenAt: clock, writtenBy: { kind: 'user', id: user.id } }]);
    });

    it('records seeded documents and compacted texts as the system\'s writes', async () => {
      const seeded = live(makeDevice(org.id, site.id));
      await store.insertMany('devices', [seeded]);
      const seededConflict = await store.push(user, 'devices', [{ newDocumentState: { ...seeded, notes: 'x' } }]);
      expect(seededConflict.conflictProvenance).toEqual([{ id: seeded.id, writtenAt: clock, writtenBy: { kind: 'system', id: 'system' } }]);

      const runbookId = uuidv7();
      const update = { id: uuidv7(), orgId: org.id, targetCollection: 'runbooks', targetId: runbookId, field: 'body', update: 'AQ==', updatedAt: new Date(clock).toISOString(), _deleted: false } as StoredDocument;
      await store.push(user, 'doc_updates', [{ newDocumentState: update }]);
      clock += 1_000;
      const key = { orgId: org.id, targetCollection: 'runbooks' as const, targetId: runbookId };
      expect(await store.compactText(SYSTEM_PRINCIPAL, key, (updates) => updates.map(deleted))).toBe(1);
      const replay = await store.push(user, 'doc_updates', [{ newDocumentState: update }]);
      expect(replay.conflictProvenance).toEqual([{ id: update.id, writtenAt: clock, writtenBy: { kind: 'system', id: 'system' } }]);
    });
  });

  describe('audit of pushes', () => {
    it('records every accepted write with who, what and from where, and nothing for refused or replayed rows', async () => {
      const org = makeOrg();
      const site = makeSite(org.id);
      const user: Principal = { kind: 'user', id: uuidv7(), scope: orgScope({ orgId: org.id, siteIds: 'all' }) };
      const device = live(makeDevice(org.id, site.id));
      const edited = { ...device, notes: 'edited' };
      const outside = live(makeDevice(makeOrg().id, uuidv7()));
      await store.push(user, 'devices', [{ newDocumentState: device }, { newDocumentState: outside }], { clientAddress: '192.0.2.7' });
      await store.push(user, 'devices', [{ newDocumentState: edited, assumedMasterState: device }]);
      await store.push(user, 'devices', [{ newDocumentState: edited, assumedMasterState: device }]);
      await store.push(user, 'devices', [{ newDocumentState: deleted(edited), assumedMasterState: edited }]);
      await store.push(user, 'devices', [{ newDocumentState: { ...edited, notes: 'stale' }, assumedMasterState: device }]);

      const entries = await store.audit.list([org.id], 0, 100);
      expect(entries.map((e) => [e.action, e.documentId, e.actorId, e.collection, e.orgId, e.clientAddress])).toEqual([
        ['create', device.id, user.id, 'devices', org.id, '192.0.2.7'],
        ['update', device.id, user.id, 'devices', org.id, undefined],
        ['delete', device.id, user.id, 'devices', org.id, undefined],
      ]);
      expect(entries.every((e) => e.actorKind === 'user')).toBe(true);
      // Writing a tombstone back to life counts as creating it again.
      await store.push(user, 'devices', [{ newDocumentState: edited, assumedMasterState: deleted(edited) }]);
      expect((await store.audit.list([org.id], entries.at(-1)?.id ?? 0, 100)).map((e) => e.action)).toEqual(['create']);
    });

    it('writes no audit entry when the push is refused as a whole', async () => {
      const org = makeOrg();
      const device = live(makeDevice(org.id, makeSite(org.id).id));
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: device }]);
      const move = store.push(SYSTEM_PRINCIPAL, 'devices', [
        { newDocumentState: live(makeDevice(org.id, device.siteId ?? '')) },
        { newDocumentState: { ...device, orgId: makeOrg().id }, assumedMasterState: device },
      ]);
      await expect(move).rejects.toBeInstanceOf(InvalidWriteError);
      expect(await store.audit.list([org.id], 0, 100)).toHaveLength(1);
    });
  });

  describe('audit log', () => {
    it('lists the entries of the asked organizations after a cursor, oldest first, with their detail', async () => {
      const [orgA, orgB, orgC] = [uuidv7(), uuidv7(), uuidv7()];
      await store.audit.append([
        { at: 1, actorKind: 'user', actorId: 'u1', action: 'login', orgId: orgA, clientAddress: '192.0.2.1', detail: { method: 'password', attempts: 2 } },
        { at: 2, actorKind: 'system', actorId: 'system', action: 'bootstrap', orgId: orgB },
        { at: 3, actorKind: 'anonymous', actorId: 'unknown', action: 'login-failed' },
        { at: 4, actorKind: 'agent', actorId: 'device-1', action: 'enroll', orgId: orgC, collection: 'devices', documentId: 'device-1' },
        { at: 5, actorKind: 'user', actorId: 'u2', action: 'user-updated', orgId: orgA, detail: { fields: ['name', 'role'] } },
      ]);
      await store.audit.append([]);
      const both = await store.audit.list([orgA, orgC], 0, 100);
      expect(both.map((e) => e.action)).toEqual(['login', 'enroll', 'user-updated']);
      expect(both[0]).toEqual({
        id: both[0]?.id,
        at: 1,
        actorKind: 'user',
        actorId: 'u1',
        action: 'login',
        orgId: orgA,
        collection: undefined,
        documentId: undefined,
        clientAddress: '192.0.2.1',
        detail: { method: 'password', attempts: 2 },
      });
      const ids = both.map((e) => e.id);
      expect(ids).toEqual(ids.toSorted((a, b) => a - b));
      const firstPage = await store.audit.list([orgA, orgC], 0, 2);
      expect(firstPage.map((e) => e.action)).toEqual(['login', 'enroll']);
      expect((await store.audit.list([orgA, orgC], firstPage.at(-1)?.id ?? 0, 2)).map((e) => e.action)).toEqual(['user-updated']);
      expect(await store.audit.list([], 0, 100)).toEqual([]);
    });
  });

  describe('users', () => {
    const orgA = uuidv7();
    const orgB = uuidv7();
    const siteA = uuidv7();
    const makeUser = (overrides: Partial<UserRecord> = {}): UserRecord => ({
      id: uuidv7(),
      email: `${Math.random().toString(36).slice(2, 10)}@example.test`,
      name: 'Dana Field',
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      isDisabled: false,
      memberships: [],
      createdAt: 1_000,
      updatedAt: 1_000,
      ...overrides,
    });

    it('keeps an account with its memberships and finds it by a differently written email', async () => {
      const user = makeUser({
        email: 'Dana.Field@Example.TEST',
        memberships: [
          { orgId: orgB, role: 'technician', siteIds: [siteA, 'second-site'] },
          { orgId: orgA, role: 'admin', siteIds: 'all' },
        ],
      });
      await store.users.create(user);
      const expected = { ...user, email: 'dana.field@example.test', memberships: [...user.memberships].sort((a, b) => (a.orgId < b.orgId ? -1 : 1)) };
      expect(await store.users.get(user.id)).toEqual(expected);
      expect(await store.users.findByEmail('  DANA.field@example.test ')).toEqual(expected);
      expect(await store.users.get(uuidv7())).toBeUndefined();
      expect(await store.users.findByEmail('nobody@example.test')).toBeUndefined();
    });

    it('refuses a second account with the same email, also by an update, and keeps the first unchanged', async () => {
      const first = makeUser({ email: 'same@example.test' });
      await store.users.create(first);
      await expect(store.users.create(makeUser({ email: 'SAME@example.test', memberships: [{ orgId: orgA, role: 'admin', siteIds: 'all' }] }))).rejects.toBeInstanceOf(DuplicateEmailError);
      expect(await store.users.countAdmins()).toBe(0);
      const second = makeUser();
      await store.users.create(second);
      await expect(store.users.update(second.id, { email: 'Same@Example.test', name: 'Changed' }, 2_000)).rejects.toBeInstanceOf(DuplicateEmailError);
      expect(await store.users.get(second.id)).toEqual(second);
      expect(await store.users.get(first.id)).toEqual(first);
    });

    it('updates only the patched fields, replaces memberships when given, and answers undefined for an unknown id', async () => {
      const user = makeUser({ memberships: [{ orgId: orgA, role: 'manager', siteIds: 'all' }] });
      await store.users.create(user);
      const disabled = await store.users.update(user.id, { isDisabled: true }, 2_000);
      expect(disabled).toEqual({ ...user, isDisabled: true, updatedAt: 2_000 });
      const moved = await store.users.update(user.id, { name: 'Dana F.', email: 'NEW@example.test', memberships: [{ orgId: orgB, role: 'staff', siteIds: [siteA] }] }, 3_000);
      expect(moved).toEqual({ ...user, name: 'Dana F.', email: 'new@example.test', isDisabled: true, memberships: [{ orgId: orgB, role: 'staff', siteIds: [siteA] }], updatedAt: 3_000 });
      expect(await store.users.get(user.id)).toEqual(moved);
      expect(await store.users.update(user.id, { isDisabled: false, passwordHash: 'other' }, 4_000)).toMatchObject({ isDisabled: false, passwordHash: 'other', name: 'Dana F.' });
      expect(await store.users.update(uuidv7(), { name: 'ghost' }, 5_000)).toBeUndefined();
    });

    it('lists the accounts of some organizations by email, counts administrators and deletes with sessions', async () => {
      const zed = makeUser({ email: 'zed@example.test', memberships: [{ orgId: orgA, role: 'admin', siteIds: 'all' }, { orgId: orgB, role: 'admin', siteIds: 'all' }] });
      const amy = makeUser({ email: 'amy@example.test', memberships: [{ orgId: orgB, role: 'technician', siteIds: [siteA] }] });
      const outsider = makeUser({ email: 'bob@example.test', memberships: [{ orgId: uuidv7(), role: 'admin', siteIds: 'all' }] });
      for (const user of [zed, amy, outsider]) await store.users.create(user);
      expect((await store.users.listInOrgs([orgA, orgB])).map((u) => u.email)).toEqual(['amy@example.test', 'zed@example.test']);
      expect((await store.users.listInOrgs([orgA])).map((u) => u.id)).toEqual([zed.id]);
      expect(await store.users.listInOrgs([])).toEqual([]);
      expect(await store.users.countAdmins()).toBe(2);

      await store.sessions.create({ tokenHash: 'zed-session', userId: zed.id, createdAt: 1, lastSeenAt: 1, expiresAt: 10, clientAddress: undefined, userAgent: undefined });
      expect(await store.users.delete(zed.id)).toBe(true);
      expect(await store.users.delete(zed.id)).toBe(false);
      expect(await store.sessions.find('zed-session')).toBeUndefined();
      expect(await store.users.countAdmins()).toBe(1);
      expect((await store.users.listInOrgs([orgA, orgB])).map((u) => u.id)).toEqual([amy.id]);
    });
  });

  describe('sessions', () => {
    it('creates, finds, slides and ends sessions, one or all of a user', async () => {
      const userId = uuidv7();
      await store.users.create({ id: userId, email: 'session@example.test', name: 'S', passwordHash: 'h', isDisabled: false, memberships: [], createdAt: 1, updatedAt: 1 });
      const session = { tokenHash: 'hash-1', userId, createdAt: 100, lastSeenAt: 100, expiresAt: 1_000, clientAddress: '192.0.2.9', userAgent: 'Field tablet' };
      await store.sessions.create(session);
      await store.sessions.create({ ...session, tokenHash: 'hash-2', clientAddress: undefined, userAgent: undefined });
      await store.sessions.create({ ...session, tokenHash: 'hash-3' });
      expect(await store.sessions.find('hash-1')).toEqual(session);
      expect(await store.sessions.find('hash-2')).toEqual({ ...session, tokenHash: 'hash-2', clientAddress: undefined, userAgent: undefined });
      await store.sessions.touch('hash-1', 500, 5_000);
      expect(await store.sessions.find('hash-1')).toEqual({ ...session, lastSeenAt: 500, expiresAt: 5_000 });
      await store.sessions.delete('hash-1');
      expect(await store.sessions.find('hash-1')).toBeUndefined();
      expect(await store.sessions.deleteAllOf(userId)).toBe(2);
      expect(await store.sessions.find('hash-3')).toBeUndefined();
      expect(await store.sessions.deleteAllOf(userId)).toBe(0);
    });
  });

  describe('login throttle', () => {
    const state = (failures: number, at: number) => ({ failures, lockedUntil: at + 60_000, lastFailureAt: at, windowStartedAt: at - 5 });

    it('hands the present keys to the step, writes what it returns, forgets undefined, and answers its result', async () => {
      expect(await store.throttle.get('pair:a|b')).toBeUndefined();
      const seen = await store.throttle.update(['pair:a|b', 'account:a'], (states) => ({
        writes: new Map([['pair:a|b', state(1, 1_000)], ['account:a', state(2, 1_000)]]),
        result: [...states.keys()],
      }));
      expect(seen).toEqual([]);
      expect(await store.throttle.get('pair:a|b')).toEqual(state(1, 1_000));
      const read = await store.throttle.update(['pair:a|b', 'account:a', 'address:c'], (states) => ({
        writes: new Map([['pair:a|b', undefined]]),
        result: Object.fromEntries(states),
      }));
      expect(read).toEqual({ 'pair:a|b': state(1, 1_000), 'account:a': state(2, 1_000) });
      expect(await store.throttle.get('pair:a|b')).toBeUndefined();
      expect(await store.throttle.get('account:a')).toEqual(state(2, 1_000));
      // A key only read (locked) leaves nothing behind.
      expect(await store.throttle.get('address:c')).toBeUndefined();
    });

    it('decides parallel updates one after another, each on the counts of those before', async () => {
      // Admitted while fewer than 5 are counted, as a throttle does: exactly 5 of 20 get through,
      // and keys named in different orders by different callers do not deadlock.
      const attempts = Array.from({ length: 20 }, (_, i) =>
        store.throttle.update(i % 2 === 0 ? ['address:192.0.2.1', 'pair:x'] : ['pair:x', 'address:192.0.2.1'], (states) => {
          const failures = states.get('pair:x')?.failures ?? 0;
          if (failures >= 5) return { writes: new Map(), result: false };
          const address = states.get('address:192.0.2.1')?.failures ?? 0;
          return { writes: new Map([['pair:x', state(failures + 1, 1_000)], ['address:192.0.2.1', state(address + 1, 1_000)]]), result: true };
        }),
      );
      expect((await Promise.all(attempts)).filter(Boolean)).toHaveLength(5);
      expect(await store.throttle.get('pair:x')).toEqual(state(5, 1_000));
      expect(await store.throttle.get('address:192.0.2.1')).toEqual(state(5, 1_000));
    });
  });

  describe('known devices', () => {
    it('keeps a user\'s known devices, forgets the expired ones as a new one arrives, and all of them on request', async () => {
      const userId = uuidv7();
      await store.users.create({ id: userId, email: 'known@example.test', name: 'K', passwordHash: 'h', isDisabled: false, memberships: [], createdAt: 1, updatedAt: 1 });
      const old = { tokenHash: 'device-old', userId, createdAt: 10, expiresAt: 100 };
      const current = { tokenHash: 'device-current', userId, createdAt: 50, expiresAt: 1_000 };
      await store.knownDevices.create(old);
      await store.knownDevices.create(current);
      expect(await store.knownDevices.find('device-old')).toEqual(old);
      await store.knownDevices.create({ tokenHash: 'device-new', userId, createdAt: 200, expiresAt: 2_000 });
      expect(await store.knownDevices.find('device-old')).toBeUndefined();
      expect(await store.knownDevices.find('device-current')).toEqual(current);
      expect(await store.knownDevices.deleteAllOf(userId)).toBe(2);
      expect(await store.knownDevices.find('device-new')).toBeUndefined();
      await store.knownDevices.create({ ...current, tokenHash: 'device-again' });
      expect(await store.users.delete(userId)).toBe(true);
      expect(await store.knownDevices.find('device-again')).toBeUndefined();
    });
  });

  describe('enrollment tokens', () => {
    const makeToken = (overrides: Partial<EnrollmentTokenRecord> = {}): EnrollmentTokenRecord => ({
      id: uuidv7(), tokenHash: `hash-${uuidv7()}`, orgId: uuidv7(), siteId: uuidv7(), createdBy: uuidv7(), createdAt: 1, expiresAt: 100, revokedAt: undefined, uses: 0, maxUses: undefined, ...overrides,
    });

    it('keeps tokens, finds them by hash, revokes once and counts every use', async () => {
      const token = makeToken({ tokenHash: 'token-hash' });
      await store.enrollmentTokens.create(token);
      expect(await store.enrollmentTokens.get(token.id)).toEqual(token);
      expect(await store.enrollmentTokens.findByHash('token-hash')).toEqual(token);
      expect(await store.enrollmentTokens.findByHash('other')).toBeUndefined();
      expect(await Promise.all(Array.from({ length: 7 }, () => store.enrollmentTokens.claimUse(token.id, 10)))).toEqual(Array(7).fill(true));
      expect(await store.enrollmentTokens.revoke(token.id, 50)).toBe(true);
      expect(await store.enrollmentTokens.revoke(token.id, 60)).toBe(false);
      expect(await store.enrollmentTokens.claimUse(token.id, 60)).toBe(false);
      expect(await store.enrollmentTokens.get(token.id)).toEqual({ ...token, uses: 7, revokedAt: 50 });
      expect(await store.enrollmentTokens.revoke(uuidv7(), 60)).toBe(false);
    });

    it('claims no more uses than the limit, however many claim at once, and none once expired', async () => {
      const limited = makeToken({ maxUses: 3 });
      const expiring = makeToken({ expiresAt: 50 });
      await store.enrollmentTokens.create(limited);
      await store.enrollmentTokens.create(expiring);
      const claims = await Promise.all(Array.from({ length: 8 }, () => store.enrollmentTokens.claimUse(limited.id, 10)));
      expect(claims.filter(Boolean)).toHaveLength(3);
      expect(await store.enrollmentTokens.get(limited.id)).toEqual({ ...limited, uses: 3 });
      expect(await store.enrollmentTokens.claimUse(expiring.id, 49)).toBe(true);
      expect(await store.enrollmentTokens.claimUse(expiring.id, 50)).toBe(false);
      expect((await store.enrollmentTokens.get(expiring.id))?.uses).toBe(1);
      expect(await store.enrollmentTokens.claimUse(uuidv7(), 10)).toBe(false);
    });

    it('lists the tokens of the given organizations, newest first', async () => {
      const [orgA, orgB] = [uuidv7(), uuidv7()];
      const token = (orgId: string, createdAt: number) => makeToken({ orgId, createdAt, expiresAt: createdAt + 100 });
      const [older, newer, elsewhere] = [token(orgA, 10), token(orgA, 20), token(orgB, 30)];
      for (const t of [older, newer, elsewhere]) await store.enrollmentTokens.create(t);
      expect((await store.enrollmentTokens.listInOrgs([orgA], 10)).map((t) => t.id)).toEqual([newer.id, older.id]);
      expect((await store.enrollmentTokens.listInOrgs([orgA, orgB], 2)).map((t) => t.id)).toEqual([elsewhere.id, newer.id]);
      expect(await store.enrollmentTokens.listInOrgs([], 10)).toEqual([]);
    });
  });

  describe('agents', () => {
    const makeAgent = (overrides: Partial<NewAgentDevice> = {}): NewAgentDevice => ({
      deviceId: uuidv7(),
      orgId: uuidv7(),
      siteId: uuidv7(),
      secretHash: 'secret-hash',
      enrollmentTokenId: uuidv7(),
      enrolledAt: 1_000,
      revokedAt: undefined,
      lastSeenAt: undefined,
      telemetryState: { checks: {} },
      ...overrides,
    });

    it('keeps agent credentials and telemetry state, and saves ingests with their record ids in one go', async () => {
      const agent = makeAgent({ enrollmentTokenId: undefined });
      await store.agents.create(agent);
      expect(await store.agents.get(agent.deviceId)).toEqual({ ...agent, stateStamp: '' });
      expect(await store.agents.get(uuidv7())).toBeUndefined();

      expect(await store.agents.unseenRecordIds(['r1', 'r2'])).toEqual(new Set(['r1', 'r2']));
      const state = { checks: { disk: { status: 'warning', since: 5 } }, hour: { start: 0, heartbeats: 3 } };
      const saved = await store.agents.saveIngest([
        { deviceId: agent.deviceId, lastSeenAt: 2_000, telemetryState: { checks: {} }, basedOnStamp: '', recordIds: ['r1'] },
        { deviceId: agent.deviceId, lastSeenAt: 3_000, telemetryState: state, basedOnStamp: '', recordIds: ['r2', 'r1'] },
      ]);
      expect(await store.agents.saveIngest([])).toEqual([]);
      expect(saved).toEqual([{ deviceId: agent.deviceId, isSaved: true, stateStamp: expect.any(String), revokedAt: undefined }]);
      expect(saved[0]?.stateStamp).not.toBe('');
      expect(await store.agents.get(agent.deviceId)).toEqual({ ...agent, lastSeenAt: 3_000, telemetryState: state, stateStamp: saved[0]?.stateStamp });
      expect(await store.agents.unseenRecordIds(['r1', 'r2', 'r3'])).toEqual(new Set(['r3']));
      expect(await store.agents.unseenRecordIds([])).toEqual(new Set());

      // A record id keeps the time it was first received.
      expect(await store.agents.forgetRecordsBefore(2_500)).toBe(1);
      expect(await store.agents.unseenRecordIds(['r1', 'r2'])).toEqual(new Set(['r1']));
      expect(await store.agents.forgetRecordsBefore(3_001)).toBe(1);
      expect(await store.agents.unseenRecordIds(['r1', 'r2'])).toEqual(new Set(['r1', 'r2']));
    });

    it('never moves last seen backwards, and keeps a newer state saved by another writer over one derived from an older state', async () => {
      const agent = makeAgent({ lastSeenAt: 1_000 });
      await store.agents.create(agent);
      // Two server instances loaded the same state; the one that heard the device last saves first.
      const [second] = await store.agents.saveIngest([{ deviceId: agent.deviceId, lastSeenAt: 5_000, telemetryState: { checks: {}, by: 'second' }, basedOnStamp: '', recordIds: ['late'] }]);
      const [first] = await store.agents.saveIngest([{ deviceId: agent.deviceId, lastSeenAt: 4_000, telemetryState: { checks: {}, by: 'first' }, basedOnStamp: '', recordIds: ['early'] }]);
      expect(second?.isSaved).toBe(true);
      expect(first).toEqual({ deviceId: agent.deviceId, isSaved: false, stateStamp: second?.stateStamp, revokedAt: undefined });
      expect(await store.agents.get(agent.deviceId)).toMatchObject({ lastSeenAt: 5_000, telemetryState: { by: 'second' }, stateStamp: second?.stateStamp });
      // Record ids of the refused state were applied all the same: they stay de-duplicated.
      expect(await store.agents.unseenRecordIds(['early', 'late'])).toEqual(new Set());

      // Building on the stored stamp saves again; a revocation is reported to the saver.
      await store.agents.revoke(agent.deviceId, 6_000);
      const [next] = await store.agents.saveIngest([{ deviceId: agent.deviceId, lastSeenAt: 7_000, telemetryState: { checks: {}, by: 'first' }, basedOnStamp: second?.stateStamp ?? '', recordIds: [] }]);
      expect(next).toMatchObject({ isSaved: true, revokedAt: 6_000 });
      expect(await store.agents.get(agent.deviceId)).toMatchObject({ lastSeenAt: 7_000, telemetryState: { by: 'first' }, stateStamp: next?.stateStamp });
    });

    it('saves exactly one of several states derived from the same stored state when their writers race', async () => {
      const agent = makeAgent();
      await store.agents.create(agent);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => store.agents.saveIngest([{ deviceId: agent.deviceId, lastSeenAt: 1_000 + i, telemetryState: { checks: {}, by: i }, basedOnStamp: '', recordIds: [] }])),
      );
      const saved = results.flat().filter((r) => r.isSaved);
      expect(saved).toHaveLength(1);
      expect(await store.agents.get(agent.deviceId)).toMatchObject({ lastSeenAt: 1_005, stateStamp: saved[0]?.stateStamp });
    });

    it('lists devices last seen before a time that are not revoked, and revokes once', async () => {
      const [quiet, busy, neverSeen, revoked] = [makeAgent({ lastSeenAt: 1_000 }), makeAgent({ lastSeenAt: 9_000 }), makeAgent(), makeAgent({ lastSeenAt: 500 })];
      for (const agent of [quiet, busy, neverSeen, revoked]) await store.agents.create(agent);
      expect(await store.agents.revoke(revoked.deviceId, 2_000)).toBe(true);
      expect(await store.agents.revoke(revoked.deviceId, 3_000)).toBe(false);
      expect((await store.agents.get(revoked.deviceId))?.revokedAt).toBe(2_000);
      expect((await store.agents.listSeenBefore(5_000)).map((a) => a.deviceId)).toEqual([quiet.deviceId]);
    });
  });
}

function reversedKeys(document: StoredDocument): StoredDocument {
  return Object.fromEntries(Object.entries(document).reverse()) as StoredDocument;
}
