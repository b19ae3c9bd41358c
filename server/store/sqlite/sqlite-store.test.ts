import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { uuidv7 } from '../../../shared/id/uuidv7.ts';
import { canonicalJson } from '../../../shared/merge/canonical.ts';
import type { CollectionName } from '../../../shared/schema/collections.ts';
import type { Device, Org, Runbook, Site } from '../../../shared/schema/index.ts';
import type { Checkpoint } from '../../../shared/sync/checkpoint.ts';
import { makeDevice, makeOrg, makeSite } from '../../../test/support/documents.ts';
import { SYSTEM_PRINCIPAL, type Principal, type Scope } from '../../auth/principal.ts';
import { InvalidWriteError, ResyncRequiredError, type ChangeBatch, type StoredDocument } from '../store.ts';
import { MIGRATIONS, migrate } from './migrations.ts';
import { SqliteStore } from './sqlite-store.ts';
import { describeStoreBehaviour } from '../store-behaviour.ts';

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
async function pullAll(store: SqliteStore, scope: Scope, collection: CollectionName, limit: number, from: Checkpoint = {}): Promise<Paged> {
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
async function changesWithSeq(store: SqliteStore, scope: Scope, collection: CollectionName): Promise<{ id: string; orgId: string; seq: number }[]> {
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

describe('SqliteStore', () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = new SqliteStore({ filename: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
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
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: edit, assumedMasterState: fromTheFuture }])).toEqual({ conflicts: [], rejected: [], written: 1 });
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
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }])).toEqual({ conflicts: [], rejected: [], written: 1 });
      expect(await devicesPull()).toEqual({ documents: [master], checkpoint: { [org.id]: 1 }, remaining: 0 });
      expect(await store.countDocuments()).toBe(1);
    });

    it('answers with the master when a row without an assumed state meets an existing document', async () => {
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }]);
      const blindWrite = { ...master, hostname: 'other-name' };
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: blindWrite }])).toEqual({ conflicts: [master], rejected: [], written: 0 });
      expect(await devicesPull()).toEqual({ documents: [master], checkpoint: { [org.id]: 1 }, remaining: 0 });
    });

    it('accepts without a new change a row without an assumed state that equals the master', async () => {
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }]);
      const sameContent = { ...reversedKeys(master), _rev: '3-abc', _meta: { lwt: 1 }, _attachments: {} } as StoredDocument;
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: sameContent }])).toEqual({ conflicts: [], rejected: [], written: 0 });
      expect(await devicesPull()).toEqual({ documents: [master], checkpoint: { [org.id]: 1 }, remaining: 0 });
    });

    it('writes when the assumed state has the master content, whatever its key order and RxDB bookkeeping', async () => {
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }]);
      const assumed = { ...reversedKeys(master), _rev: '7-ffff', _meta: { lwt: 1_700_000_000_000 }, _attachments: {} } as StoredDocument;
      const edited = { ...master, assignee: 'Dana', _rev: '8-0000', _meta: { lwt: 1 } } as StoredDocument;
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: edited, assumedMasterState: assumed }])).toEqual({ conflicts: [], rejected: [], written: 1 });
      expect(await devicesPull()).toEqual({ documents: [{ ...master, assignee: 'Dana' }], checkpoint: { [org.id]: 2 }, remaining: 0 });
    });

    it('answers with the current master when the assumed state is stale', async () => {
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }]);
      const current = { ...master, status: 'offline' as const };
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: current, assumedMasterState: master }]);

      const stale = { ...master, assignee: 'Dana', updatedAt: '2099-01-01T00:00:00.000Z' };
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: stale, assumedMasterState: master }])).toEqual({ conflicts: [current], rejected: [], written: 0 });
      // A deleted master differs from a live assumed state with the same fields.
      const tombstone = deleted(current);
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: tombstone, assumedMasterState: current }]);
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: stale, assumedMasterState: current }])).toEqual({ conflicts: [tombstone], rejected: [], written: 0 });
      expect(await devicesPull()).toEqual({ documents: [tombstone], checkpoint: { [org.id]: 3 }, remaining: 0 });
    });

    it('applies the rows of a batch one by one, conflicting only where the assumed state is stale', async () => {
      const second = live(makeDevice(org.id, master.siteId ?? ''));
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }, { newDocumentState: second }]);
      const result = await store.push(SYSTEM_PRINCIPAL, 'devices', [
        { newDocumentState: { ...master, notes: 'fresh' }, assumedMasterState: master },
        { newDocumentState: { ...second, notes: 'stale' }, assumedMasterState: { ...second, hostname: 'not-what-the-server-has' } },
      ]);
      expect(result).toEqual({ conflicts: [second], rejected: [], written: 1 });
      expect((await devicesPull()).documents).toEqual([second, { ...master, notes: 'fresh' }]);
    });

    it('changes nothing when an applied push is replayed', async () => {
      await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }]);
      const update = [{ newDocumentState: { ...master, assignee: 'Dana' }, assumedMasterState: master }];
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', update)).toEqual({ conflicts: [], rejected: [], written: 1 });
      const before = await devicesPull();
      const batches: ChangeBatch[] = [];
      store.onChange((batch) => batches.push(batch));

      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', update)).toEqual({ conflicts: [], rejected: [], written: 0 });
      expect(await store.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: master }])).toEqual({ conflicts: [{ ...master, assignee: 'Dana' }], rejected: [], written: 0 });
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
      store = new SqliteStore({ filename: ':memory:', now: () => clock });
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
        expect(await store.push(SYSTEM_PRINCIPAL, 'orgs', [{ newDocumentState: document }])).toEqual({ conflicts: [], rejected: [], written: 1 });
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
});

describe('SqliteStore on a file', () => {
  let dir: string;
  let filename: string;
  const opened: SqliteStore[] = [];
  const open = () => {
    const store = new SqliteStore({ filename });
    opened.push(store);
    return store;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outpost-sqlite-store-'));
    filename = join(dir, 'nested', 'outpost.sqlite');
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps documents and continues each sequence when the file is reopened', async () => {
    const org = makeOrg();
    const site = makeSite(org.id);
    const device = live(makeDevice(org.id, site.id));
    const first = open();
    await first.push(SYSTEM_PRINCIPAL, 'orgs', [{ newDocumentState: live(org) }]);
    await first.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: device }]);
    await first.close();

    const second = open();
    expect(await second.pull(EVERYTHING, 'devices', {}, 100)).toEqual({ documents: [device], checkpoint: { [org.id]: 2 }, remaining: 0 });
    expect(await second.countDocuments()).toBe(2);
    // The stored master still decides conflicts after a restart.
    expect(await second.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: { ...device, notes: 'x' } }])).toEqual({ conflicts: [device], rejected: [], written: 0 });
    await second.push(SYSTEM_PRINCIPAL, 'devices', [{ newDocumentState: live(makeDevice(org.id, site.id)) }]);
    expect((await second.pull(EVERYTHING, 'devices', { [org.id]: 2 }, 100)).checkpoint).toEqual({ [org.id]: 3 });
  });

  it('applies each migration once, so reopening and migrating again change nothing', async () => {
    await open().close();
    await open().close();
    const db = new Database(filename);
    try {
      expect(migrate(db)).toBe(0);
      const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    } finally {
      db.close();
    }
  });

  it('keeps the database in WAL mode with a full fsync on every commit, also after a reopen', async () => {
    await open().close();
    // `synchronous` belongs to a connection, and a fresh connection to a WAL file defaults to
    // NORMAL in this build: read it on the store's own connection, caught as it prepares statements.
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    const store = open();
    const connection = prepare.mock.contexts[0] as Database.Database | undefined;
    if (!connection) throw new Error('the store prepared no statement');
    expect(connection.pragma('synchronous', { simple: true })).toBe(2);
    expect(connection.pragma('journal_mode', { simple: true })).toBe('wal');
    await store.close();

    const reader = new Database(filename);
    try {
      expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      reader.close();
    }
  });
});

function reversedKeys(document: StoredDocument): StoredDocument {
  return Object.fromEntries(Object.entries(document).reverse()) as StoredDocument;
}

// The engine-neutral behaviours, the same suite PostgreSQL runs.
describe('SqliteStore behaviour', () => {
  describeStoreBehaviour({ open: async (o) => new SqliteStore({ filename: ':memory:', ...(o?.now ? { now: o.now } : {}) }) });
});
