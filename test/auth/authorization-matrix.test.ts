import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { canonicalJson } from '../../shared/merge/canonical.ts';
import { COLLECTION_NAMES, COLLECTIONS, type CollectionName } from '../../shared/schema/collections.ts';
import type { Role } from '../../shared/schema/user.ts';
import type { Checkpoint } from '../../shared/sync/checkpoint.ts';
import type { PullResponse, PushResponse } from '../../shared/sync/protocol.ts';
import { SYSTEM_PRINCIPAL } from '../../server/auth/principal.ts';
import type { StoredDocument } from '../../server/store/store.ts';
import { impostor, PUSH_ACTIONS, type CellContext, type PushAction, type PushActionName } from './matrix/actions.ts';
import * as make from './matrix/documents.ts';
import { SseReader as StreamReader } from '../support/sse-reader.ts';
import { ACCOUNT_PASSWORD, buildWorld, JSON_HEADERS, ORG_B_PERSON, type World } from './matrix/world.ts';
import { ADMIN_PASSWORD } from '../support/server.ts';

/*
 * Who may read and write what, through the real sync endpoints: one server, org A (sites S1 and
 * S2) and org B, an account per role in org A (staff limited to S1). The tables below are the
 * specification (DESIGN.md, Security); they are written out by hand, never derived from
 * shared/auth, so a rule that drifts in the code fails a named cell here.
 */

const ROLE_COLUMNS = ['admin', 'manager', 'technician', 'staff'] as const satisfies readonly Role[];

// ---------------------------------------------------------------------------------------------
// Reads: what a role's pull and stream carry of each collection. Never anything of org B.

type Readable = 'org A' | 'S1 of org A' | 'nothing';

const READS: Record<CollectionName, readonly [admin: Readable, manager: Readable, technician: Readable, staff: Readable]> = {
  //            admin      manager    technician  staff
  orgs:       ['org A',   'org A',   'org A',    'org A'],
  sites:      ['org A',   'org A',   'org A',    'S1 of org A'],
  devices:    ['org A',   'org A',   'org A',    'S1 of org A'],
  alerts:     ['org A',   'org A',   'org A',    'S1 of org A'],
  runbooks:   ['org A',   'org A',   'org A',    'org A'],
  runs:       ['org A',   'org A',   'org A',    'S1 of org A'],
  risks:      ['org A',   'org A',   'org A',    'nothing'],
  incidents:  ['org A',   'org A',   'org A',    'S1 of org A'],
  timeline:   ['org A',   'org A',   'org A',    'S1 of org A'],
  users:      ['org A',   'org A',   'org A',    'org A'],
  runbook_versions: ['org A', 'org A', 'org A',  'org A'],
  doc_updates: ['org A',  'org A',   'org A',    'S1 of org A'],
};

// ---------------------------------------------------------------------------------------------
// Writes: one push row per cell, with the current master as assumedMasterState.
// allowed: 200 {conflicts: [], rejected: []} and the store holds the new state.
// denied:  200 with exactly that row rejected, with a reason, and the store unchanged.
// n/a:     the specification says nothing for that role; not asserted.

type Outcome = 'allowed' | 'denied' | 'n/a';
type Row = readonly [admin: Outcome, manager: Outcome, technician: Outcome, staff: Outcome];
const Y = 'allowed' as const;
const N = 'denied' as const;
const __ = 'n/a' as const;

const WRITES: { [C in CollectionName]: Record<PushActionName<C>, Row> } = {
  orgs: {
    //                                          admin manager tech staff
    'create a new organization':                [N,   N,      N,   N],
    'rename org A':                             [Y,   N,      N,   N],
    'delete org A':                             [N,   N,      N,   N],
    'rename org B':                             [N,   N,      N,   N],
    // An org document's orgId is its id, so "move to org B" cannot even be expressed (400).
  },
  sites: {
    'create a site':                            [Y,   N,      N,   N],
    'create a site in org B':                   [N,   N,      N,   N],
    'rename S1':                                [Y,   N,      N,   N],
    'rename S2':                                [Y,   N,      N,   N],
    'rename the site of org B':                 [N,   N,      N,   N],
    'delete S1':                                [Y,   N,      N,   N],
    'move S1 under S2 (siteId := S2)':          [N,   N,      N,   N],
    'move S1 to org B':                         [N,   N,      N,   N],
  },
  devices: {
    'create at S1':                             [Y,   Y,      Y,   N],
    'create at S2':                             [Y,   Y,      Y,   N],
    'create in org B':                          [N,   N,      N,   N],
    'edit notes at S1':                         [Y,   Y,      Y,   N],
    'edit notes at S2':                         [Y,   Y,      Y,   N],
    'edit notes in org B':                      [N,   N,      N,   N],
    'delete at S1':                             [Y,   Y,      Y,   N],
    'move S1 → S2':                             [Y,   Y,      Y,   N],
    'move org A → B':                           [N,   N,      N,   N],
  },
  alerts: {
    'create at S1':                             [Y,   Y,      Y,   N],
    'create at S2':                             [Y,   Y,      Y,   N],
    'create in org B':                          [N,   N,      N,   N],
    'acknowledge at S1 (by self, with incident)': [Y, Y,      Y,   Y],
    'acknowledge at S2 (by self)':              [Y,   Y,      Y,   N],
    'acknowledge in org B (by self)':           [N,   N,      N,   N],
    "acknowledge in a colleague's name":        [N,   N,      N,   N],
    'link at S1 to the incident at S2':         [Y,   Y,      Y,   N],
    'link to the incident of org B':            [N,   N,      N,   N],
    'create at S1 for the device of org B':     [N,   N,      N,   N],
    'change the message':                       [Y,   Y,      Y,   N],
    'change the severity':                      [Y,   Y,      Y,   N],
    'resolve (by self)':                        [Y,   Y,      Y,   N],
    'delete at S1':                             [Y,   Y,      N,   N],
    'move S1 → S2':                             [Y,   Y,      Y,   N],
    'move org A → B':                           [N,   N,      N,   N],
  },
  runbooks: {
    'create a draft':                           [Y,   Y,      Y,   N],
    'create in review':                         [Y,   Y,      Y,   N],
    'create approved (signed by self)':         [Y,   Y,      N,   N],
    'create a draft in org B':                  [N,   N,      N,   N],
    'edit a draft':                             [Y,   Y,      Y,   N],
    // An approved runbook shows its approver and version: its content cannot change under them.
    'edit an approved runbook':                 [N,   N,      N,   N],
    "rewrite an approved runbook's steps, leaving it approved": [N, N, N, N],
    'return an approved runbook to draft with an edit': [Y, Y,    N,   N],
    'edit an approved runbook and approve it again as a new version (signed by self)': [Y, Y, N, N],
    'create a draft for the site of org B':     [N,   N,      N,   N],
    'approve a draft (signed by self)':         [Y,   Y,      N,   N],
    "approve a draft in a colleague's name":    [N,   N,      N,   N],
    'edit a draft in org B':                    [N,   N,      N,   N],
    'delete a draft':                           [Y,   Y,      Y,   N],
    'delete an approved runbook':               [Y,   Y,      N,   N],
    'move a draft org A → B':                   [N,   N,      N,   N],
  },
  runs: {
    'start at S1 (approved runbook, by self)':  [Y,   Y,      Y,   Y],
    'start at S1 (draft runbook, by self)':     [Y,   Y,      Y,   N],
    'start at S2 (approved runbook, by self)':  [Y,   Y,      Y,   N],
    "start at S1 with org B's runbook":         [N,   N,      N,   N],
    'start in org B (its runbook, by self)':    [N,   N,      N,   N],
    "start at S1 in a colleague's name":        [__,  __,     __,  N],
    'record own step result and finish at S1': [Y,   Y,      Y,   Y],
    'record own step result at S2':            [Y,   Y,      Y,   N],
    'record own step result in org B':         [N,   N,      N,   N],
    "record a step result in a colleague's name": [N, N,      N,   N],
    'rewrite an earlier step result':          [N,   N,      N,   N],
    'change the device':                        [Y,   Y,      Y,   N],
    'change the runbook':                       [N,   N,      N,   N],
    'link at S1 to the incident at S2':         [Y,   Y,      Y,   N],
    'link to the incident of org B':            [N,   N,      N,   N],
    'start at S1 on the device at S2 (by self)': [Y,  Y,      Y,   N],
    'delete at S1':                             [Y,   Y,      N,   N],
    // siteId is not among the fields a run may change after it started, for any role.
    'move S1 → S2':                             [N,   N,      N,   N],
    'move org A → B':                           [N,   N,      N,   N],
  },
  risks: {
    'create':                                   [Y,   Y,      N,   N],
    'create in org B':                          [N,   N,      N,   N],
    'change likelihood and score':              [Y,   Y,      N,   N],
    'record own decision':                      [Y,   Y,      N,   N],
    "record a decision in a colleague's name":  [N,   N,      N,   N],
    'rewrite an earlier decision':              [N,   N,      N,   N],
    'change likelihood in org B':               [N,   N,      N,   N],
    'link the incident of org B':               [N,   N,      N,   N],
    'accept for six months (signed by self)':   [Y,   Y,      N,   N],
    "accept in a colleague's name":             [N,   N,      N,   N],
    'accept until 2099 (signed by self)':       [N,   N,      N,   N],
    'accept again under an expired acceptance': [N,   N,      N,   N],
    'delete':                                   [Y,   Y,      N,   N],
    'move org A → B':                           [N,   N,      N,   N],
  },
  incidents: {
    'open at S1 (by self)':                     [Y,   Y,      Y,   Y],
    "open at S1 in a colleague's name":         [__,  __,     __,  N],
    'open at S2 (by self)':                     [Y,   Y,      Y,   N],
    'open in org B (by self)':                  [N,   N,      N,   N],
    'open at S1 listing the device at S2 (by self)': [Y, Y,     Y,   N],
    'open at S1 listing the device of org B (by self)': [N, N,  N,   N],
    'link the alert at S2 to own incident at S1': [Y, Y,      Y,   N],
    'contain own incident at S1':               [Y,   Y,      Y,   N],
    'contain own incident at S2':               [Y,   Y,      Y,   N],
    'contain an incident in org B':             [N,   N,      N,   N],
    'delete at S1':                             [Y,   Y,      N,   N],
    'move S1 → S2':                             [Y,   Y,      Y,   N],
    'move org A → B':                           [N,   N,      N,   N],
  },
  timeline: {
    'add at S1 (by self)':                      [Y,   Y,      Y,   Y],
    "add at S1 in a colleague's name":          [N,   N,      N,   N],
    'add at S2 (by self)':                      [Y,   Y,      Y,   N],
    'add in org B (by self)':                   [N,   N,      N,   N],
    'add at S1 to the incident at S1 (by self)': [Y,  Y,      Y,   Y],
    'add at S2 to the incident at S2 (by self)': [Y,  Y,      Y,   N],
    // Filed at S1 (staff's own site) on the incident at S2: staff cannot read that incident, and
    // nobody may file an entry away from its incident's site.
    'add at S1 to the incident at S2 (by self)': [N,  N,      N,   N],
    'add at S1 to the incident of org B (by self)': [N, N,    N,   N],
    'edit own entry at S1':                     [N,   N,      N,   N],
    'edit an entry in org B':                   [N,   N,      N,   N],
    'delete own entry at S1':                   [N,   N,      N,   N],
    'move S1 → S2':                             [N,   N,      N,   N],
    'move org A → B':                           [N,   N,      N,   N],
  },
  users: {
    'create an entry':                          [N,   N,      N,   N],
    'create an entry in org B':                 [N,   N,      N,   N],
    'promote own entry to admin':               [N,   N,      N,   N],
    'rename an entry':                          [N,   N,      N,   N],
    'rename an entry in org B':                 [N,   N,      N,   N],
    'delete an entry':                          [N,   N,      N,   N],
    'move an entry org A → B':                  [N,   N,      N,   N],
  },
  runbook_versions: {
    'freeze a version of an approved runbook (signed by self)': [Y, Y, N, N],
    "freeze a version in a colleague's name":   [N,   N,      N,   N],
    // Two approvals of one number must meet on one document: the id is derived from both.
    'freeze a version under an id of its own':  [N,   N,      N,   N],
    "freeze a version of org B's runbook":      [N,   N,      N,   N],
    'freeze a version in org B':                [N,   N,      N,   N],
    'rewrite a frozen version':                 [N,   N,      N,   N],
    'delete a frozen version':                  [N,   N,      N,   N],
  },
  // A text update takes the right to edit its runbook or incident; it never changes afterwards.
  doc_updates: {
    'write the text of a draft runbook':        [Y,   Y,      Y,   N],
    'write the text of an approved runbook':    [Y,   Y,      N,   N],
    // Created offline, its runbook's push still on the way: judged as the text of a new draft.
    'write the text of a runbook not on the server yet': [Y, Y, Y, N],
    "write the text of org B's runbook":        [N,   N,      N,   N],
    'write the text of a runbook in org B':     [N,   N,      N,   N],
    'write the text of a deleted runbook':      [N,   N,      N,   N],
    'write the review of an incident at S1':    [Y,   Y,      Y,   N],
    'write the review of an incident at S2':    [Y,   Y,      Y,   N],
    'write the review of an incident at S2 as if at S1': [N, N,   N,   N],
    'write the review of an incident in org B': [N,   N,      N,   N],
    'rewrite an update':                        [N,   N,      N,   N],
    'delete an update':                         [N,   N,      N,   N],
    'move an update S1 → S2':                   [N,   N,      N,   N],
    'move an update org A → B':                 [N,   N,      N,   N],
  },
};

/**
 * Every cell below bumps this when it runs its assertions; the last test checks the total, so a
 * table emptied by accident (or cells silently skipped) fails instead of passing vacuously.
 * 12 collections × 4 roles for pulls and for forged checkpoints; 554 write cells (WRITES less its
 * n/a cells); 2 × 56 probes by id (org B for everyone; staff also S2 and org A's risks); 4 × 31 stream
 * cells, plus one "nothing unreadable" cell per role; one burst of parallel sign-ins per role.
 */
const MINIMUM_CELLS = 48 + 48 + 554 + 2 * 56 + 124 + 4 + 4;
let cellsAsserted = 0;

// ---------------------------------------------------------------------------------------------

const column = (role: Role): 0 | 1 | 2 | 3 => ROLE_COLUMNS.indexOf(role) as 0 | 1 | 2 | 3;
const readableBy = (role: Role, collection: CollectionName): Readable => READS[collection][column(role)];

let world: World;

beforeAll(async () => {
  world = await buildWorld();
});

afterAll(async () => {
  await world?.server.dispose();
});

/**
 * Whether the READS table lets a role see this document. A document of a site-scoped collection
 * without a site (a runbook's text) belongs to the whole organization: every site sees it.
 */
function isReadable(readable: Readable, document: { orgId: string; siteId?: unknown }): boolean {
  if (readable === 'nothing' || document.orgId !== world.orgA) return false;
  return readable === 'org A' || document.siteId === world.s1 || document.siteId === undefined;
}

const ids = (documents: readonly { id: string }[]): string[] => documents.map((d) => d.id).sort();

/** Pages through a collection as a role; `forged` is merged into every checkpoint sent. */
async function pullAll(role: Role, collection: CollectionName, forged: Checkpoint = {}): Promise<{ documents: StoredDocument[]; checkpoints: Checkpoint[] }> {
  const documents: StoredDocument[] = [];
  const checkpoints: Checkpoint[] = [];
  let checkpoint: Checkpoint = { ...forged };
  for (let page = 0; page < 50; page++) {
    const query = new URLSearchParams({ limit: '2000', checkpoint: JSON.stringify(checkpoint) });
    const response = await world.accounts[role].fetch(`${world.server.url}/api/sync/${collection}/pull?${query}`);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const body = JSON.parse(text) as PullResponse<StoredDocument>;
    documents.push(...body.documents);
    checkpoints.push(body.checkpoint);
    if (body.remaining === 0) return { documents, checkpoints };
    checkpoint = { ...body.checkpoint, ...forged };
  }
  throw new Error(`${role}'s pull of ${collection} never finished`);
}

/** Everything the store holds of a collection, every organization: the ground truth. */
async function everything(collection: CollectionName): Promise<StoredDocument[]> {
  const documents: StoredDocument[] = [];
  let checkpoint: Checkpoint = {};
  for (;;) {
    const page = await world.server.store.pull({ kind: 'everything' }, collection, checkpoint, 2000);
    documents.push(...page.documents);
    if (page.remaining === 0) return documents;
    checkpoint = page.checkpoint;
  }
}

const pullCells = ROLE_COLUMNS.flatMap((role) => COLLECTION_NAMES.map((collection) => ({ role, collection, readable: readableBy(role, collection) })));

describe('pull returns exactly what the role may read', () => {
  it.each(pullCells)('$role pulls $collection: $readable', async ({ role, collection, readable }) => {
    cellsAsserted++;
    const truth = await everything(collection);
    const seeded = world.seeded[collection];
    // The expectation is not vacuous: the store holds documents at S1, at S2 and in org B.
    expect(ids(truth)).toEqual(expect.arrayContaining([seeded.a1, seeded.b, ...(seeded.a2 === undefined ? [] : [seeded.a2])]));
    const expected = ids(truth.filter((d) => isReadable(readable, d)));
    if (readable === 'nothing') expect(expected).toEqual([]);
    if (readable === 'org A') expect(expected).toEqual(expect.arrayContaining([seeded.a1, ...(seeded.a2 === undefined ? [] : [seeded.a2])]));
    if (readable === 'S1 of org A') {
      expect(expected).toContain(seeded.a1);
      expect(expected).not.toContain(seeded.a2);
    }

    const { documents } = await pullAll(role, collection);
    expect(ids(documents), `${role} pulled other documents of ${collection} than ${readable}`).toEqual(expected);
  });
});

describe('a forged checkpoint naming org B reveals nothing of org B', () => {
  it.each(pullCells)('$role pulls $collection from {orgB: 0}', async ({ role, collection }) => {
    cellsAsserted++;
    const { documents, checkpoints } = await pullAll(role, collection, { [world.orgB]: 0 });
    expect(documents.filter((d) => d.orgId === world.orgB).map((d) => d.id), 'documents of org B were returned').toEqual([]);
    for (const checkpoint of checkpoints) expect(Object.keys(checkpoint), "org B's position was returned").not.toContain(world.orgB);
  });
});

// ---------------------------------------------------------------------------------------------

interface WriteCell {
  collection: CollectionName;
  action: string;
  expected: Exclude<Outcome, 'n/a'>;
}

function writeCells(role: Role): WriteCell[] {
  return COLLECTION_NAMES.flatMap((collection) =>
    Object.entries(WRITES[collection] as Record<string, Row>).flatMap(([action, row]): WriteCell[] => {
      const expected = row[column(role)];
      return expected === 'n/a' ? [] : [{ collection, action, expected }];
    }),
  );
}

async function push(role: Role, collection: CollectionName, next: StoredDocument, assumed: StoredDocument | undefined): Promise<PushResponse<StoredDocument>> {
  const response = await world.accounts[role].fetch(`${world.server.url}/api/sync/${collection}/push`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify([{ newDocumentState: next, ...(assumed === undefined ? {} : { assumedMasterState: assumed }) }]),
  });
  const text = await response.text();
  expect(response.status, `the push was not answered per row: ${text}`).toBe(200);
  return JSON.parse(text) as PushResponse<StoredDocument>;
}

const stored = async (collection: CollectionName, id: string): Promise<string> => canonicalJson(await world.server.store.getMany(collection, [id]));

describe.each(ROLE_COLUMNS)('%s pushes', (role) => {
  it.each(writeCells(role))('$collection: $action → $expected', async ({ collection, action, expected }) => {
    cellsAsserted++;
    const cell: CellContext = {
      world,
      role,
      actor: world.accounts[role].id,
      colleague: role === 'admin' ? world.accounts.manager.id : world.accounts.admin.id,
    };
    const build = (PUSH_ACTIONS[collection] as Record<string, PushAction>)[action];
    if (!build) throw new Error(`no push action named ${JSON.stringify(action)} for ${collection}`);
    const attempt = await build(cell);
    const { next } = attempt;
    const before = await stored(collection, next.id);
    try {
      const response = await push(role, collection, next, attempt.assumed);
      if (expected === 'allowed') {
        expect(response, 'the push was not applied').toEqual({ conflicts: [], rejected: [] });
        expect(await stored(collection, next.id), 'the store does not hold the pushed state').toBe(canonicalJson([next]));
        return;
      }
      expect(response.conflicts, 'a conflict answered instead of an authorization decision').toEqual([]);
      expect(response.rejected.map((r) => r.id), 'the row was not rejected').toEqual([next.id]);
      const [rejection] = response.rejected;
      expect(rejection?.reason, 'the rejection has no reason').toMatch(/\S/);
      expect(await stored(collection, next.id), 'the refused push changed the store').toBe(before);
    } finally {
      if (attempt.restore && (await stored(collection, attempt.restore.id)) !== canonicalJson([attempt.restore])) {
        await world.server.store.insertMany(collection, [attempt.restore]);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// A push is not a way to read. Under the id of a document the role may not read (READS), a push
// is refused with a reason, changes nothing, and its answer carries nothing of that document (no
// rejected master, no conflict) — whether it sends a document of the role's own org and site
// (a probe by id) or an exact copy of the stored one (a correct guess must not be confirmed).

type Where = 'S1' | 'S2' | 'org A' | 'org B';

const WHERES = (collection: CollectionName): Where[] => (COLLECTIONS[collection].isSiteScoped ? ['S1', 'S2', 'org B'] : ['org A', 'org B']);

/** Whether a document at `where` is readable by a role that reads `readable`: the READS table. */
function isReadableAt(readable: Readable, where: Where): boolean {
  if (where === 'org B' || readable === 'nothing') return false;
  return readable === 'org A' || where === 'S1';
}

const seededAt = (collection: CollectionName, where: Where): string | undefined => {
  const seeded = world.seeded[collection];
  return where === 'org B' ? seeded.b : where === 'S2' ? seeded.a2 : seeded.a1;
};

const PROBES = ['a document of its own', 'an exact copy'] as const;

const probeCells = ROLE_COLUMNS.flatMap((role) =>
  COLLECTION_NAMES.flatMap((collection) =>
    WHERES(collection)
      .filter((where) => !isReadableAt(readableBy(role, collection), where))
      .flatMap((where) => PROBES.map((probe) => ({ role, collection, where, probe }))),
  ),
);

describe('a push under the id of an unreadable document reveals nothing', () => {
  it.each(probeCells)('$role pushes $probe under the id of $collection at $where: refused, nothing revealed', async ({ role, collection, where, probe }) => {
    cellsAsserted++;
    const id = seededAt(collection, where);
    if (id === undefined) throw new Error(`nothing of ${collection} was seeded at ${where}`);
    const before = await stored(collection, id);
    const [master] = await world.server.store.getMany(collection, [id]);
    if (!master) throw new Error(`${collection}/${id} is missing`);
    const next = probe === 'an exact copy' ? master : impostor(world, collection, id, world.accounts[role].id);
    const response = await push(role, collection, next, undefined);
    expect(response.rejected.map((r) => r.id), 'the row was not rejected').toEqual([id]);
    expect(await stored(collection, id), 'the refused push changed the store').toBe(before);
    const revealed = [...response.conflicts, ...response.rejected.flatMap((r) => (r.master === undefined ? [] : [r.master]))];
    expect(
      revealed.filter((d) => !isReadable(readableBy(role, collection), d)).map((d) => `${collection}/${d.id}`),
      `the answer revealed a document ${role} may not read`,
    ).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Live stream: each role's stream is sent changes the admin makes (here, as the server itself)
// to documents it may read, and nothing else.

const streamCells = ROLE_COLUMNS.flatMap((role) =>
  COLLECTION_NAMES.flatMap((collection) =>
    WHERES(collection).map((where) => ({ role, collection, where, expected: isReadableAt(readableBy(role, collection), where) ? 'sent' : 'not sent' })),
  ),
);

/** The change the admin makes at one place: a new document, or an edit of an org or a site. */
async function changeAt(collection: CollectionName, where: Where): Promise<{ next: StoredDocument; assumed?: StoredDocument }> {
  const orgId = where === 'org B' ? world.orgB : world.orgA;
  const siteId = where === 'S2' ? world.s2 : where === 'org B' ? world.siteB : world.s1;
  const by = where === 'org B' ? ORG_B_PERSON : world.accounts.admin.id;
  const editOf = async (id: string, patch: Record<string, unknown>) => {
    const [master] = await world.server.store.getMany(collection, [id]);
    if (!master) throw new Error(`${collection}/${id} is missing`);
    return { next: { ...master, ...patch, updatedAt: make.now() } as StoredDocument, assumed: master };
  };
  switch (collection) {
    case 'orgs':
      return editOf(orgId, { name: `Renamed ${uuidv7().slice(-4)}` });
    case 'sites':
      return editOf(siteId, { connectivityNotes: `LTE failover tested ${make.now()}` });
    case 'devices':
      return { next: make.device(orgId, siteId) };
    case 'alerts':
      return { next: make.alert(orgId, siteId) };
    case 'runbooks':
      return { next: make.runbook(orgId, 'draft') };
    case 'runs':
      return { next: make.run(orgId, siteId, orgId === world.orgA ? world.runbooks.approvedA : world.runbooks.approvedB, by) };
    case 'risks':
      return { next: make.risk(orgId) };
    case 'incidents':
      return { next: make.incident(orgId, siteId, by) };
    case 'timeline':
      return { next: make.timelineEntry(orgId, siteId, by) };
    case 'users':
      return { next: make.userEntry(orgId, uuidv7()) };
    case 'runbook_versions':
      return { next: await make.runbookVersion(orgId, orgId === world.orgA ? world.runbooks.approvedA : world.runbooks.approvedB, by) };
    case 'doc_updates': {
      const incidentId = where === 'S2' ? world.seeded.incidents.a2 : where === 'org B' ? world.seeded.incidents.b : world.seeded.incidents.a1;
      return { next: make.incidentReview(orgId, siteId, incidentId ?? '') };
    }
  }
}

describe('the live stream sends each role what it may read, and nothing else', () => {
  const streams = new Map<Role, StreamReader>();
  /** id of the document changed at each place, by collection */
  const changed = new Map<string, string>();
  const key = (collection: CollectionName, where: Where) => `${collection} at ${where}`;

  beforeAll(async () => {
    for (const role of ROLE_COLUMNS) streams.set(role, await StreamReader.open(`${world.server.url}/api/sync/stream`, world.accounts[role].fetch));
    for (const collection of COLLECTION_NAMES) {
      for (const where of WHERES(collection)) {
        const { next, assumed } = await changeAt(collection, where);
        const result = await world.server.store.push(SYSTEM_PRINCIPAL, collection, [{ newDocumentState: next, ...(assumed === undefined ? {} : { assumedMasterState: assumed }) }]);
        if (result.written !== 1) throw new Error(`the change to ${key(collection, where)} was not written: ${JSON.stringify(result)}`);
        changed.set(key(collection, where), next.id);
      }
    }
    // Changes reach a stream in commit order: once this one arrives, every earlier one has.
    const sentinel = make.runbook(world.orgA, 'draft');
    await world.server.store.push(SYSTEM_PRINCIPAL, 'runbooks', [{ newDocumentState: sentinel }]);
    await Promise.all(
      [...streams].map(([role, stream]) => stream.until(() => stream.received().some((r) => r.id === sentinel.id), 5_000, `the last change on ${role}'s stream`)),
    );
  });

  afterAll(async () => {
    await Promise.all([...streams.values()].map((stream) => stream.close()));
  });

  const streamOf = (role: Role): StreamReader => {
    const stream = streams.get(role);
    if (!stream) throw new Error(`${role} has no stream`);
    return stream;
  };

  it.each(streamCells)('$role, $collection changed at $where: $expected', ({ role, collection, where, expected }) => {
    cellsAsserted++;
    const id = changed.get(key(collection, where));
    if (id === undefined) throw new Error(`no change was made to ${key(collection, where)}`);
    const isReceived = streamOf(role).received().some((r) => r.collection === collection && r.id === id);
    expect(isReceived ? 'sent' : 'not sent').toBe(expected);
  });

  it.each(ROLE_COLUMNS)('%s is sent nothing it may not read (no org B; staff: no S2, no risks)', (role) => {
    cellsAsserted++;
    const unreadable = streamOf(role)
      .received()
      .filter((r) => !isReadable(readableBy(role, r.collection as CollectionName), r))
      .map((r) => `${r.collection}/${r.id} (org ${r.orgId === world.orgB ? 'B' : 'A'}, site ${r.siteId === world.s2 ? 'S2' : r.siteId === world.s1 ? 'S1' : r.siteId})`);
    expect(unreadable).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Sign-in: 40 parallel wrong passwords for each role's account reach the password check at most
// as often as the throttle allows one after another (five free failures and the one that sets the
// first lock), the right password is refused while the lock holds, and the sessions the account
// already has are untouched. Date.now stands still for the burst (see test/auth/throttle-race.test.ts).

const CHECKED_BEFORE_THE_LOCK = 6;

describe('parallel sign-ins cannot slip past the throttle', () => {
  it.each(ROLE_COLUMNS)('%s: 40 parallel wrong passwords, then the right one', async (role) => {
    cellsAsserted++;
    const account = world.accounts[role];
    const login = (password: string) =>
      fetch(`${world.server.url}/api/auth/login`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ email: account.email, password }) });
    const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now());
    try {
      const statuses = (await Promise.all(Array.from({ length: 40 }, (_, i) => login(`not-it-${i}`)))).map((r) => r.status);
      const checked = statuses.filter((s) => s === 401).length;
      expect(checked, `${checked} of 40 parallel guesses were checked`).toBeLessThanOrEqual(CHECKED_BEFORE_THE_LOCK);
      expect(statuses.filter((s) => s !== 401), 'every other guess was refused unchecked').toEqual(Array(40 - checked).fill(429));
      expect((await login(role === 'admin' ? ADMIN_PASSWORD : ACCOUNT_PASSWORD)).status, 'the right password got through the lock').toBe(429);
    } finally {
      clock.mockRestore();
    }
    expect((await account.fetch(`${world.server.url}/api/auth/me`)).status, 'a session of the account was ended').toBe(200);
  });
});

it('asserted every cell of the tables', () => {
  expect(cellsAsserted).toBeGreaterThanOrEqual(MINIMUM_CELLS);
});
