import { uuidv7 } from '../../../shared/id/uuidv7.ts';
import type { CollectionName } from '../../../shared/schema/collections.ts';
import type { Role } from '../../../shared/schema/user.ts';
import type { StoredDocument } from '../../../server/store/store.ts';
import * as make from './documents.ts';
import { ORG_B_PERSON, type World } from './world.ts';

/** Who attempts a push cell. */
export interface CellContext {
  world: World;
  role: Role;
  /** the actor's user id */
  actor: string;
  /** another real user of org A */
  colleague: string;
}

/** One push row to try, and a shared document to put back afterwards (org A, the sites). */
export interface Attempt {
  next: StoredDocument;
  assumed?: StoredDocument;
  restore?: StoredDocument;
}

export type PushAction = (cell: CellContext) => Promise<Attempt>;

// ---------------------------------------------------------------------------------------------
// Building blocks. Updates and deletes always send the current master as assumedMasterState,
// so a conflict can never stand in for an authorization decision.

async function masterOf(world: World, collection: CollectionName, id: string): Promise<StoredDocument> {
  const [document] = await world.server.store.getMany(collection, [id]);
  if (!document) throw new Error(`${collection}/${id} is missing`);
  return document;
}

/** A fresh document for this cell alone, inserted directly; returns the server's master. */
async function fixture(world: World, collection: CollectionName, document: StoredDocument): Promise<StoredDocument> {
  await world.server.store.insertMany(collection, [document]);
  return masterOf(world, collection, document.id);
}

const create = (next: StoredDocument): Attempt => ({ next });

function edit(master: StoredDocument, patch: Record<string, unknown>): Attempt {
  return { next: { ...master, ...patch, updatedAt: make.now() } as StoredDocument, assumed: master };
}

function remove(master: StoredDocument): Attempt {
  return { next: { ...master, _deleted: true }, assumed: master };
}

/** Edits a document several cells share, and puts it back after the cell. */
async function editShared(world: World, collection: CollectionName, id: string, patch: Record<string, unknown>): Promise<Attempt> {
  const master = await masterOf(world, collection, id);
  return { ...edit(master, patch), restore: master };
}

type SiteScopedBuilder = (world: World, orgId: string, siteId: string, cell: CellContext) => StoredDocument;

/** The usual cells of a site-scoped collection: at S1, at S2, in org B. */
const at = {
  s1: (collection: CollectionName, build: SiteScopedBuilder) => async (cell: CellContext) =>
    fixture(cell.world, collection, build(cell.world, cell.world.orgA, cell.world.s1, cell)),
  s2: (collection: CollectionName, build: SiteScopedBuilder) => async (cell: CellContext) =>
    fixture(cell.world, collection, build(cell.world, cell.world.orgA, cell.world.s2, cell)),
  b: (collection: CollectionName, build: SiteScopedBuilder) => async (cell: CellContext) =>
    fixture(cell.world, collection, build(cell.world, cell.world.orgB, cell.world.siteB, cell)),
};

const moveToS2 = (master: StoredDocument, world: World) => edit(master, { siteId: world.s2 });
const moveToOrgB = (master: StoredDocument, world: World) => edit(master, { orgId: world.orgB, siteId: world.siteB });

// ---------------------------------------------------------------------------------------------
// The pushes of each collection, by the name the table in the test uses.

const device: SiteScopedBuilder = (_world, orgId, siteId) => make.device(orgId, siteId);
const alert: SiteScopedBuilder = (_world, orgId, siteId) => make.alert(orgId, siteId);
const acknowledge = (master: StoredDocument, by: string, world: World) =>
  edit(master, { status: 'acknowledged', acknowledgedAt: make.now(), acknowledgedBy: by, incidentId: world.seeded.incidents.a1 });
/** A run started by a colleague, with one result of theirs. */
const run: SiteScopedBuilder = (world, orgId, siteId, cell) =>
  make.run(orgId, siteId, orgId === world.orgA ? world.runbooks.approvedA : world.runbooks.approvedB, orgId === world.orgA ? cell.colleague : ORG_B_PERSON, [
    make.stepResult(orgId === world.orgA ? cell.colleague : ORG_B_PERSON),
  ]);
const appendOwnResult = (master: StoredDocument, actor: string) =>
  edit(master, { stepResults: [...(master['stepResults'] as unknown[]), make.stepResult(actor, make.STEP_2)] });
const incident: SiteScopedBuilder = (_world, orgId, siteId, cell) => make.incident(orgId, siteId, cell.actor);
const timelineEntry: SiteScopedBuilder = (_world, orgId, siteId, cell) => make.timelineEntry(orgId, siteId, cell.actor);

export const PUSH_ACTIONS = {
  orgs: {
    'create a new organization': async () => create(make.org()),
    'rename org A': async ({ world }) => editShared(world, 'orgs', world.orgA, { name: 'Renamed Retail' }),
    'delete org A': async ({ world }) => {
      const master = await masterOf(world, 'orgs', world.orgA);
      return { ...remove(master), restore: master };
    },
    'rename org B': async ({ world }) => editShared(world, 'orgs', world.orgB, { name: 'Taken over' }),
  },

  sites: {
    'create a site': async ({ world }) => create(make.site(world.orgA)),
    'create a site in org B': async ({ world }) => create(make.site(world.orgB)),
    'rename S1': async ({ world }) => editShared(world, 'sites', world.s1, { name: 'Store 1 (renamed)' }),
    'rename S2': async ({ world }) => editShared(world, 'sites', world.s2, { name: 'Store 2 (renamed)' }),
    'rename the site of org B': async ({ world }) => editShared(world, 'sites', world.siteB, { name: 'Clinic 1 (renamed)' }),
    'delete S1': async ({ world }) => {
      const master = await masterOf(world, 'sites', world.s1);
      return { ...remove(master), restore: master };
    },
    'move S1 under S2 (siteId := S2)': async ({ world }) => editShared(world, 'sites', world.s1, { siteId: world.s2 }),
    'move S1 to org B': async ({ world }) => editShared(world, 'sites', world.s1, { orgId: world.orgB }),
  },

  devices: {
    'create at S1': async ({ world }) => create(make.device(world.orgA, world.s1)),
    'create at S2': async ({ world }) => create(make.device(world.orgA, world.s2)),
    'create in org B': async ({ world }) => create(make.device(world.orgB, world.siteB)),
    'edit notes at S1': async (cell) => edit(await at.s1('devices', device)(cell), { notes: 'replaced the PSU' }),
    'edit notes at S2': async (cell) => edit(await at.s2('devices', device)(cell), { notes: 'replaced the PSU' }),
    'edit notes in org B': async (cell) => edit(await at.b('devices', device)(cell), { notes: 'replaced the PSU' }),
    'delete at S1': async (cell) => remove(await at.s1('devices', device)(cell)),
    'move S1 → S2': async (cell) => moveToS2(await at.s1('devices', device)(cell), cell.world),
    'move org A → B': async (cell) => moveToOrgB(await at.s1('devices', device)(cell), cell.world),
  },

  alerts: {
    'create at S1': async ({ world }) => create(make.alert(world.orgA, world.s1)),
    'create at S2': async ({ world }) => create(make.alert(world.orgA, world.s2)),
    'create in org B': async ({ world }) => create(make.alert(world.orgB, world.siteB)),
    'acknowledge at S1 (by self, with incident)': async (cell) => acknowledge(await at.s1('alerts', alert)(cell), cell.actor, cell.world),
    'acknowledge at S2 (by self)': async (cell) => acknowledge(await at.s2('alerts', alert)(cell), cell.actor, cell.world),
    'acknowledge in org B (by self)': async (cell) => acknowledge(await at.b('alerts', alert)(cell), cell.actor, cell.world),
    "acknowledge in a colleague's name": async (cell) => acknowledge(await at.s1('alerts', alert)(cell), cell.colleague, cell.world),
    'change the message': async (cell) => edit(await at.s1('alerts', alert)(cell), { message: 'nothing to see here' }),
    'change the severity': async (cell) => edit(await at.s1('alerts', alert)(cell), { severity: 'info' }),
    'resolve (by self)': async (cell) =>
      edit(await at.s1('alerts', alert)(cell), { status: 'resolved', resolvedAt: make.now(), resolvedBy: cell.actor }),
    // References: an alert links only to an incident the writer may read, and names only a device it may read.
    'link at S1 to the incident at S2': async (cell) => edit(await at.s1('alerts', alert)(cell), { incidentId: requireSeeded(cell.world.seeded.incidents.a2) }),
    'link to the incident of org B': async (cell) => edit(await at.s1('alerts', alert)(cell), { incidentId: cell.world.seeded.incidents.b }),
    'create at S1 for the device of org B': async ({ world }) => create(make.alert(world.orgA, world.s1, world.seeded.devices.b)),
    'delete at S1': async (cell) => remove(await at.s1('alerts', alert)(cell)),
    'move S1 → S2': async (cell) => moveToS2(await at.s1('alerts', alert)(cell), cell.world),
    'move org A → B': async (cell) => moveToOrgB(await at.s1('alerts', alert)(cell), cell.world),
  },

  runbooks: {
    'create a draft': async ({ world }) => create(make.runbook(world.orgA, 'draft')),
    'create in review': async ({ world }) => create(make.runbook(world.orgA, 'in_review')),
    'create approved (signed by self)': async ({ world, actor }) => create(make.runbook(world.orgA, 'approved', actor)),
    'create a draft in org B': async ({ world }) => create(make.runbook(world.orgB, 'draft')),
    'edit a draft': async ({ world }) => edit(await fixture(world, 'runbooks', make.runbook(world.orgA, 'draft')), { title: 'Printer offline (v2)' }),
    'edit an approved runbook': async ({ world, colleague }) =>
      edit(await fixture(world, 'runbooks', make.runbook(world.orgA, 'approved', colleague)), { title: 'Printer offline (v2)' }),
    "rewrite an approved runbook's steps, leaving it approved": async ({ world, colleague }) =>
      edit(await fixture(world, 'runbooks', make.runbook(world.orgA, 'approved', colleague)), { steps: [{ id: make.STEP_1, instruction: 'Skip the safety check.' }] }),
    'return an approved runbook to draft with an edit': async ({ world, colleague }) =>
      edit(await fixture(world, 'runbooks', make.runbook(world.orgA, 'approved', colleague)), { status: 'draft', title: 'Printer offline (v2)' }),
    'edit an approved runbook and approve it again as a new version (signed by self)': async ({ world, actor, colleague }) =>
      edit(await fixture(world, 'runbooks', make.runbook(world.orgA, 'approved', colleague)), { title: 'Printer offline (v2)', version: 2, approvedBy: actor, approvedAt: make.now() }),
    'create a draft for the site of org B': async ({ world }) => create({ ...make.runbook(world.orgA, 'draft'), appliesTo: { deviceKinds: [], tags: [], siteIds: [world.siteB] } }),
    'approve a draft (signed by self)': async ({ world, actor }) =>
      edit(await fixture(world, 'runbooks', make.runbook(world.orgA, 'draft')), { status: 'approved', approvedBy: actor, approvedAt: make.now() }),
    "approve a draft in a colleague's name": async ({ world, colleague }) =>
      edit(await fixture(world, 'runbooks', make.runbook(world.orgA, 'draft')), { status: 'approved', approvedBy: colleague, approvedAt: make.now() }),
    'edit a draft in org B': async ({ world }) => edit(await fixture(world, 'runbooks', make.runbook(world.orgB, 'draft')), { title: 'Taken over' }),
    'delete a draft': async ({ world }) => remove(await fixture(world, 'runbooks', make.runbook(world.orgA, 'draft'))),
    'delete an approved runbook': async ({ world, colleague }) => remove(await fixture(world, 'runbooks', make.runbook(world.orgA, 'approved', colleague))),
    'move a draft org A → B': async ({ world }) => edit(await fixture(world, 'runbooks', make.runbook(world.orgA, 'draft')), { orgId: world.orgB }),
  },

  runs: {
    'start at S1 (approved runbook, by self)': async ({ world, actor }) => create(make.run(world.orgA, world.s1, world.runbooks.approvedA, actor)),
    'start at S1 (draft runbook, by self)': async ({ world, actor }) => create(make.run(world.orgA, world.s1, world.runbooks.draftA, actor)),
    'start at S2 (approved runbook, by self)': async ({ world, actor }) => create(make.run(world.orgA, world.s2, world.runbooks.approvedA, actor)),
    "start at S1 with org B's runbook": async ({ world, actor }) => create(make.run(world.orgA, world.s1, world.runbooks.approvedB, actor)),
    'start in org B (its runbook, by self)': async ({ world, actor }) => create(make.run(world.orgB, world.siteB, world.runbooks.approvedB, actor)),
    "start at S1 in a colleague's name": async ({ world, colleague }) => create(make.run(world.orgA, world.s1, world.runbooks.approvedA, colleague)),
    'record own step result and finish at S1': async (cell) => {
      const attempt = appendOwnResult(await at.s1('runs', run)(cell), cell.actor);
      return { ...attempt, next: { ...attempt.next, finishedAt: make.now(), outcome: 'succeeded' } };
    },
    'record own step result at S2': async (cell) => appendOwnResult(await at.s2('runs', run)(cell), cell.actor),
    'record own step result in org B': async (cell) => appendOwnResult(await at.b('runs', run)(cell), cell.actor),
    "record a step result in a colleague's name": async (cell) => appendOwnResult(await at.s1('runs', run)(cell), cell.colleague),
    'rewrite an earlier step result': async (cell) => {
      const master = await at.s1('runs', run)(cell);
      const [earlier] = master['stepResults'] as Record<string, unknown>[];
      return edit(master, { stepResults: [{ ...earlier, result: 'failed', note: 'it was never done' }] });
    },
    'change the device': async (cell) => edit(await at.s1('runs', run)(cell), { deviceId: cell.world.seeded.devices.a1 }),
    'change the runbook': async (cell) => edit(await at.s1('runs', run)(cell), { runbookId: cell.world.runbooks.draftA }),
    'link at S1 to the incident at S2': async (cell) => edit(await at.s1('runs', run)(cell), { incidentId: requireSeeded(cell.world.seeded.incidents.a2) }),
    'link to the incident of org B': async (cell) => edit(await at.s1('runs', run)(cell), { incidentId: cell.world.seeded.incidents.b }),
    'start at S1 on the device at S2 (by self)': async ({ world, actor }) =>
      create({ ...make.run(world.orgA, world.s1, world.runbooks.approvedA, actor), deviceId: requireSeeded(world.seeded.devices.a2) }),
    'delete at S1': async (cell) => remove(await at.s1('runs', run)(cell)),
    'move S1 → S2': async (cell) => moveToS2(await at.s1('runs', run)(cell), cell.world),
    'move org A → B': async (cell) => moveToOrgB(await at.s1('runs', run)(cell), cell.world),
  },

  risks: {
    'create': async ({ world }) => create(make.risk(world.orgA)),
    'create in org B': async ({ world }) => create(make.risk(world.orgB)),
    'change likelihood and score': async ({ world, colleague }) =>
      edit(await fixture(world, 'risks', make.risk(world.orgA, [make.decision(colleague)])), { likelihood: 5, score: 15 }),
    'record own decision': async ({ world, actor, colleague }) => {
      const master = await fixture(world, 'risks', make.risk(world.orgA, [make.decision(colleague)]));
      return edit(master, { decisions: [...(master['decisions'] as unknown[]), make.decision(actor, 'Accept until the new NAS arrives.')] });
    },
    "record a decision in a colleague's name": async ({ world, colleague }) => {
      const master = await fixture(world, 'risks', make.risk(world.orgA, [make.decision(colleague)]));
      return edit(master, { decisions: [...(master['decisions'] as unknown[]), make.decision(colleague, 'Accept until the new NAS arrives.')] });
    },
    'rewrite an earlier decision': async ({ world, colleague }) => {
      const master = await fixture(world, 'risks', make.risk(world.orgA, [make.decision(colleague)]));
      const [earlier] = master['decisions'] as Record<string, unknown>[];
      return edit(master, { decisions: [{ ...earlier, decision: 'Do nothing.' }] });
    },
    'change likelihood in org B': async ({ world }) => edit(await fixture(world, 'risks', make.risk(world.orgB)), { likelihood: 5, score: 15 }),
    'link the incident of org B': async ({ world }) =>
      edit(await fixture(world, 'risks', make.risk(world.orgA)), { links: { deviceIds: [], siteIds: [], runbookIds: [], incidentIds: [world.seeded.incidents.b] } }),
    // Acceptance: signed by the writer, for at most a year (OUTPOST_RISK_ACCEPTANCE_MAX_DAYS), and an expired one accepts nothing.
    'accept for six months (signed by self)': async ({ world, actor }) =>
      edit(await fixture(world, 'risks', make.risk(world.orgA)), { treatment: 'accept', status: 'accepted', acceptance: make.acceptance(actor, make.DAY_MS * 182) }),
    "accept in a colleague's name": async ({ world, colleague }) =>
      edit(await fixture(world, 'risks', make.risk(world.orgA)), { treatment: 'accept', status: 'accepted', acceptance: make.acceptance(colleague, make.DAY_MS * 182) }),
    'accept until 2099 (signed by self)': async ({ world, actor }) =>
      edit(await fixture(world, 'risks', make.risk(world.orgA)), { treatment: 'accept', status: 'accepted', acceptance: { ...make.acceptance(actor, 0), until: '2099-12-31T00:00:00.000Z' } }),
    'accept again under an expired acceptance': async ({ world, colleague }) =>
      edit(await fixture(world, 'risks', { ...make.risk(world.orgA), treatment: 'accept', acceptance: make.acceptance(colleague, -make.DAY_MS) }), { status: 'accepted' }),
    'delete': async ({ world }) => remove(await fixture(world, 'risks', make.risk(world.orgA))),
    'move org A → B': async ({ world }) => edit(await fixture(world, 'risks', make.risk(world.orgA)), { orgId: world.orgB }),
  },

  incidents: {
    'open at S1 (by self)': async ({ world, actor }) => create(make.incident(world.orgA, world.s1, actor)),
    "open at S1 in a colleague's name": async ({ world, colleague }) => create(make.incident(world.orgA, world.s1, colleague)),
    'open at S2 (by self)': async ({ world, actor }) => create(make.incident(world.orgA, world.s2, actor)),
    'open in org B (by self)': async ({ world, actor }) => create(make.incident(world.orgB, world.siteB, actor)),
    'open at S1 listing the device at S2 (by self)': async ({ world, actor }) =>
      create({ ...make.incident(world.orgA, world.s1, actor), deviceIds: [requireSeeded(world.seeded.devices.a2)] }),
    'open at S1 listing the device of org B (by self)': async ({ world, actor }) => create({ ...make.incident(world.orgA, world.s1, actor), deviceIds: [world.seeded.devices.b] }),
    'link the alert at S2 to own incident at S1': async (cell) => edit(await at.s1('incidents', incident)(cell), { alertIds: [requireSeeded(cell.world.seeded.alerts.a2)] }),
    'contain own incident at S1': async (cell) => edit(await at.s1('incidents', incident)(cell), { status: 'contained' }),
    'contain own incident at S2': async (cell) => edit(await at.s2('incidents', incident)(cell), { status: 'contained' }),
    'contain an incident in org B': async (cell) => edit(await at.b('incidents', incident)(cell), { status: 'contained' }),
    'delete at S1': async (cell) => remove(await at.s1('incidents', incident)(cell)),
    'move S1 → S2': async (cell) => moveToS2(await at.s1('incidents', incident)(cell), cell.world),
    'move org A → B': async (cell) => moveToOrgB(await at.s1('incidents', incident)(cell), cell.world),
  },

  timeline: {
    'add at S1 (by self)': async ({ world, actor }) => create(make.timelineEntry(world.orgA, world.s1, actor)),
    "add at S1 in a colleague's name": async ({ world, colleague }) => create(make.timelineEntry(world.orgA, world.s1, colleague)),
    'add at S2 (by self)': async ({ world, actor }) => create(make.timelineEntry(world.orgA, world.s2, actor)),
    'add in org B (by self)': async ({ world, actor }) => create(make.timelineEntry(world.orgB, world.siteB, actor)),
    // References: an entry belongs to an incident the writer may read, at that incident's site.
    'add at S1 to the incident at S1 (by self)': async ({ world, actor }) => create(make.timelineEntry(world.orgA, world.s1, actor, world.seeded.incidents.a1)),
    'add at S2 to the incident at S2 (by self)': async ({ world, actor }) => create(make.timelineEntry(world.orgA, world.s2, actor, requireSeeded(world.seeded.incidents.a2))),
    'add at S1 to the incident at S2 (by self)': async ({ world, actor }) => create(make.timelineEntry(world.orgA, world.s1, actor, requireSeeded(world.seeded.incidents.a2))),
    'add at S1 to the incident of org B (by self)': async ({ world, actor }) => create(make.timelineEntry(world.orgA, world.s1, actor, world.seeded.incidents.b)),
    'edit own entry at S1': async (cell) => edit(await at.s1('timeline', timelineEntry)(cell), { text: 'Rewritten history.' }),
    'edit an entry in org B': async (cell) => edit(await at.b('timeline', timelineEntry)(cell), { text: 'Rewritten history.' }),
    'delete own entry at S1': async (cell) => remove(await at.s1('timeline', timelineEntry)(cell)),
    'move S1 → S2': async (cell) => moveToS2(await at.s1('timeline', timelineEntry)(cell), cell.world),
    'move org A → B': async (cell) => moveToOrgB(await at.s1('timeline', timelineEntry)(cell), cell.world),
  },

  users: {
    'create an entry': async ({ world, colleague }) => create(make.userEntry(world.orgA, colleague)),
    'create an entry in org B': async ({ world, actor }) => create(make.userEntry(world.orgB, actor, 'admin')),
    'promote own entry to admin': async ({ world, actor }) => edit(await fixture(world, 'users', make.userEntry(world.orgA, actor, 'staff')), { role: 'admin' }),
    'rename an entry': async ({ world, colleague }) => edit(await fixture(world, 'users', make.userEntry(world.orgA, colleague)), { name: 'Somebody Else' }),
    'rename an entry in org B': async ({ world }) => edit(await fixture(world, 'users', make.userEntry(world.orgB, ORG_B_PERSON)), { name: 'Somebody Else' }),
    'delete an entry': async ({ world, colleague }) => remove(await fixture(world, 'users', make.userEntry(world.orgA, colleague))),
    'move an entry org A → B': async ({ world, actor }) => edit(await fixture(world, 'users', make.userEntry(world.orgA, actor)), { orgId: world.orgB }),
  },

  runbook_versions: {
    'freeze a version of an approved runbook (signed by self)': async ({ world, actor }) => create(await make.runbookVersion(world.orgA, world.runbooks.approvedA, actor)),
    "freeze a version in a colleague's name": async ({ world, colleague }) => create(await make.runbookVersion(world.orgA, world.runbooks.approvedA, colleague)),
    'freeze a version under an id of its own': async ({ world, actor }) =>
      create({ ...(await make.runbookVersion(world.orgA, world.runbooks.approvedA, actor)), id: uuidv7() }),
    "freeze a version of org B's runbook": async ({ world, actor }) => create(await make.runbookVersion(world.orgA, world.runbooks.approvedB, actor)),
    'freeze a version in org B': async ({ world, actor }) => create(await make.runbookVersion(world.orgB, world.runbooks.approvedB, actor)),
    'rewrite a frozen version': async ({ world, colleague }) =>
      edit(await fixture(world, 'runbook_versions', await make.runbookVersion(world.orgA, world.runbooks.approvedA, colleague)), { body: 'Skip the test.' }),
    'delete a frozen version': async ({ world, colleague }) =>
      remove(await fixture(world, 'runbook_versions', await make.runbookVersion(world.orgA, world.runbooks.approvedA, colleague))),
  },

  doc_updates: {
    'write the text of a draft runbook': async ({ world }) => create(make.runbookText(world.orgA, world.runbooks.draftA)),
    'write the text of an approved runbook': async ({ world }) => create(make.runbookText(world.orgA, world.runbooks.approvedA)),
    'write the text of a runbook not on the server yet': async ({ world }) => create(make.runbookText(world.orgA, uuidv7())),
    "write the text of org B's runbook": async ({ world }) => create(make.runbookText(world.orgA, world.runbooks.approvedB)),
    'write the text of a runbook in org B': async ({ world }) => create(make.runbookText(world.orgB, world.runbooks.approvedB)),
    'write the text of a deleted runbook': async ({ world }) => {
      const deleted = await fixture(world, 'runbooks', { ...make.runbook(world.orgA, 'draft'), _deleted: true });
      return create(make.runbookText(world.orgA, deleted.id));
    },
    'write the review of an incident at S1': async ({ world }) => create(make.incidentReview(world.orgA, world.s1, world.seeded.incidents.a1)),
    'write the review of an incident at S2': async ({ world }) => create(make.incidentReview(world.orgA, world.s2, requireSeeded(world.seeded.incidents.a2))),
    'write the review of an incident at S2 as if at S1': async ({ world }) => create(make.incidentReview(world.orgA, world.s1, requireSeeded(world.seeded.incidents.a2))),
    'write the review of an incident in org B': async ({ world }) => create(make.incidentReview(world.orgB, world.siteB, world.seeded.incidents.b)),
    'rewrite an update': async ({ world }) => edit(await fixture(world, 'doc_updates', make.runbookText(world.orgA, world.runbooks.draftA)), { update: make.yjsInsert('Skip the test.') }),
    'delete an update': async ({ world }) => remove(await fixture(world, 'doc_updates', make.runbookText(world.orgA, world.runbooks.draftA))),
    'move an update S1 → S2': async ({ world }) =>
      moveToS2(await fixture(world, 'doc_updates', make.incidentReview(world.orgA, world.s1, world.seeded.incidents.a1)), world),
    'move an update org A → B': async ({ world }) => edit(await fixture(world, 'doc_updates', make.runbookText(world.orgA, world.runbooks.draftA)), { orgId: world.orgB }),
  },
} satisfies { [C in CollectionName]: Record<string, PushAction> };

function requireSeeded(id: string | undefined): string {
  if (id === undefined) throw new Error('the world seeds this collection at S2');
  return id;
}

export type PushActionName<C extends CollectionName> = keyof (typeof PUSH_ACTIONS)[C] & string;

/**
 * A valid document of the actor's own org A (at S1 where the collection has sites) that carries
 * someone else's id: what a client that learned or guessed an id would push to probe it.
 */
export function impostor(world: World, collection: CollectionName, id: string, actor: string): StoredDocument {
  const { orgA, s1 } = world;
  // A fresh updatedAt keeps it different from the probed document, whatever the factory's defaults.
  const withId = (document: StoredDocument): StoredDocument => ({ ...document, id, updatedAt: make.now() });
  switch (collection) {
    case 'orgs':
      return { ...make.org(id), updatedAt: make.now() };
    case 'sites':
      return { ...make.site(orgA, id), updatedAt: make.now() };
    case 'devices':
      return withId(make.device(orgA, s1));
    case 'alerts':
      return withId(make.alert(orgA, s1));
    case 'runbooks':
      return withId(make.runbook(orgA, 'draft'));
    case 'runs':
      return withId(make.run(orgA, s1, world.runbooks.approvedA, actor));
    case 'risks':
      return withId(make.risk(orgA));
    case 'incidents':
      return withId(make.incident(orgA, s1, actor));
    case 'timeline':
      return withId(make.timelineEntry(orgA, s1, actor));
    case 'users':
      return withId(make.userEntry(orgA, actor));
    case 'runbook_versions':
      // Its id is someone else's, so it cannot be the derived one: refused either way, revealing nothing.
      return withId(make.versionDocument(id, orgA, world.runbooks.approvedA, actor, 1));
    case 'doc_updates':
      return withId(make.incidentReview(orgA, s1, world.seeded.incidents.a1));
  }
}
