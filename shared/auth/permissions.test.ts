import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../id/uuidv7.ts';
import { COLLECTION_NAMES, COLLECTIONS, type CollectionName, type EntityOf } from '../schema/collections.ts';
import { ROLES, type Role } from '../schema/user.ts';
import { changedFields } from './changes.ts';
import {
  authorizeWrite,
  canRead,
  membershipFor,
  reachesSite,
  writeKind,
  type Actor,
  type DocumentState,
  type Membership,
  type WriteContext,
  type WriteDecision,
} from './permissions.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures: one organization with three sites; the actor belongs to two of them (and to a second
// organization, so that moving a document between organizations is not just a missing membership).

const ORG = uuidv7();
const OTHER_ORG = uuidv7();
const FOREIGN_ORG = uuidv7();
const SITE = uuidv7();
const SECOND_SITE = uuidv7();
const OUTSIDE_SITE = uuidv7();
const USER = uuidv7();
const COLLEAGUE = uuidv7();

const DEVICE = uuidv7();
const ALERT = uuidv7();
const RUNBOOK = uuidv7();
const APPROVED_RUNBOOK = uuidv7();
const OTHER_ORG_RUNBOOK = uuidv7();
const RUN = uuidv7();
const RISK = uuidv7();
const INCIDENT = uuidv7();
const TIMELINE_ENTRY = uuidv7();
const USER_ENTRY = uuidv7();
const RUNBOOK_VERSION = uuidv7();
const DOC_UPDATE = uuidv7();
const STEP_1 = uuidv7();
const STEP_2 = uuidv7();

type StepResult = EntityOf<'runs'>['stepResults'][number];
type RiskDecision = EntityOf<'risks'>['decisions'][number];

const T0 = '2026-03-02T08:00:00.000Z';
const T1 = '2026-03-02T09:30:00.000Z';

const CONTEXT: WriteContext = {
  runbooks: new Map([
    [APPROVED_RUNBOOK, { orgId: ORG, status: 'approved' }],
    [RUNBOOK, { orgId: ORG, status: 'draft' }],
    [OTHER_ORG_RUNBOOK, { orgId: OTHER_ORG, status: 'approved' }],
  ]),
  collabParents: new Map([[INCIDENT, { id: INCIDENT, orgId: ORG, siteId: SITE, status: 'triage', _deleted: false }]]),
};

function actor(role: Role, siteIds: Membership['siteIds'] = [SITE, SECOND_SITE]): Actor {
  return {
    userId: USER,
    memberships: [
      { orgId: ORG, role, siteIds },
      { orgId: OTHER_ORG, role, siteIds: 'all' },
    ],
  };
}

function stepResult(id: string, by: string, extra: Partial<StepResult> = {}): StepResult {
  return { id: uuidv7(), stepId: id, result: 'done', by, at: T0, ...extra };
}

function decision(by: string, extra: Partial<RiskDecision> = {}): RiskDecision {
  return { id: uuidv7(), at: T0, by, decision: 'Order a second uplink', ...extra };
}

/** A valid document of each collection in `orgId`, at SITE, attributed to the actor where it names a person. */
const ENTITIES: { [C in CollectionName]: (orgId: string) => EntityOf<C> } = {
  orgs: (orgId) => ({ id: orgId, orgId, updatedAt: T0, name: 'Harbor Clinics', timezone: 'Europe/Lisbon' }),
  sites: (orgId) => ({ id: SITE, orgId, siteId: SITE, updatedAt: T0, name: 'Harbor North', timezone: 'Europe/Lisbon', contacts: [] }),
  devices: (orgId) => ({
    id: DEVICE, orgId, siteId: SITE, updatedAt: T0, hostname: 'pos-01', kind: 'pos', ips: ['10.0.0.5'], macs: [],
    tags: ['front-desk'], trend: [], status: 'online', health: 'ok', healthReasons: [],
  }),
  alerts: (orgId) => ({
    id: ALERT, orgId, siteId: SITE, updatedAt: T0, deviceId: DEVICE, rule: 'disk-free', severity: 'warning',
    message: 'Disk C: is below 10% free', status: 'open', openedAt: T0,
  }),
  runbooks: (orgId) => ({
    id: RUNBOOK, orgId, updatedAt: T0, title: 'Replace a receipt printer', summary: 'Swap the printer, print a test receipt.',
    tags: ['pos'], appliesTo: { deviceKinds: ['pos', 'printer'], tags: [], siteIds: [] },
    steps: [{ id: STEP_1, instruction: 'Power off the terminal' }, { id: STEP_2, instruction: 'Unplug the printer' }],
    status: 'draft', version: 1,
  }),
  runs: (orgId) => ({
    id: RUN, orgId, siteId: SITE, updatedAt: T0, runbookId: APPROVED_RUNBOOK, runbookVersion: 3, deviceId: DEVICE,
    startedBy: USER, startedAt: T0, stepResults: [stepResult(STEP_1, USER)],
  }),
  risks: (orgId) => ({
    id: RISK, orgId, updatedAt: T0, title: 'Single internet uplink at Harbor North', description: 'One ISP, no failover.',
    category: 'availability', likelihood: 3, impact: 4, score: 12, treatment: 'mitigate', mitigations: [], status: 'open',
    nextReviewAt: T1, links: { deviceIds: [], siteIds: [SITE], runbookIds: [], incidentIds: [] }, decisions: [decision(USER)],
  }),
  incidents: (orgId) => ({
    id: INCIDENT, orgId, siteId: SITE, updatedAt: T0, title: 'Front desk cannot print receipts', summary: '',
    severity: 'sev3', status: 'triage', deviceIds: [DEVICE], alertIds: [ALERT], runIds: [], openedBy: USER, openedAt: T0,
  }),
  timeline: (orgId) => ({
    id: TIMELINE_ENTRY, orgId, siteId: SITE, updatedAt: T0, incidentId: INCIDENT, at: T0, by: USER, kind: 'note',
    text: 'Printer swapped, test receipt printed.',
  }),
  users: (orgId) => ({
    id: USER_ENTRY, orgId, updatedAt: T0, userId: USER, name: 'Rita Alves', email: 'rita@example.org', role: 'technician', siteIds: [],
  }),
  runbook_versions: (orgId) => ({
    id: RUNBOOK_VERSION, orgId, updatedAt: T0, runbookId: APPROVED_RUNBOOK, version: 3, title: 'Replace a receipt printer', summary: '',
    tags: [], steps: [{ id: STEP_1, instruction: 'Power off the terminal' }], body: 'Keep the old printer until the test receipt prints.',
    approvedBy: USER, approvedAt: T0,
  }),
  doc_updates: (orgId) => ({
    id: DOC_UPDATE, orgId, siteId: SITE, updatedAt: T0, targetCollection: 'incidents', targetId: INCIDENT, field: 'review', update: 'AQIDBA==',
  }),
};

function state(entity: EntityOf<CollectionName>, deleted = false): DocumentState {
  // A schema's optional siteId infers as `string | undefined`; documents here always set or omit it.
  return { ...entity, _deleted: deleted } as DocumentState;
}

function documentOf(collection: CollectionName, orgId = ORG): DocumentState {
  return state(ENTITIES[collection](orgId));
}

const deleted = (document: DocumentState): DocumentState => ({ ...document, _deleted: true });

function write(
  role: Role,
  collection: CollectionName,
  before: DocumentState | undefined,
  after: DocumentState,
  options: { siteIds?: Membership['siteIds']; context?: WriteContext } = {},
): WriteDecision {
  return authorizeWrite({ actor: actor(role, options.siteIds), collection, before, after, context: options.context ?? CONTEXT });
}

const ALLOW = { allowed: true };
const denied = (field?: string) => (field === undefined ? { allowed: false } : { allowed: false, field });

// ---------------------------------------------------------------------------------------------
// The matrix: every role × collection × kind of write. This table is the spec.

interface Edit {
  description: string;
  apply: (document: DocumentState) => DocumentState;
}

/**
 * Per collection, an edit the least privileged writer owns, and one it does not. Where a
 * collection has no field-level split, both are ordinary edits (and expect the same).
 */
const EDITS: Record<CollectionName, { own: Edit; restricted: Edit }> = {
  orgs: {
    own: { description: 'rename', apply: (d) => ({ ...d, name: 'Harbor Clinics Group' }) },
    restricted: { description: 'change timezone', apply: (d) => ({ ...d, timezone: 'Atlantic/Azores' }) },
  },
  sites: {
    own: { description: 'rename', apply: (d) => ({ ...d, name: 'Harbor North (annex)' }) },
    restricted: { description: 'replace contacts', apply: (d) => ({ ...d, contacts: [{ id: uuidv7(), name: 'Duty manager' }] }) },
  },
  devices: {
    own: { description: 'set maintenance', apply: (d) => ({ ...d, maintenanceUntil: T1 }) },
    restricted: { description: 'rename host', apply: (d) => ({ ...d, hostname: 'pos-02' }) },
  },
  alerts: {
    own: { description: 'acknowledge', apply: (d) => ({ ...d, status: 'acknowledged', acknowledgedAt: T1, acknowledgedBy: USER }) },
    restricted: { description: 'change severity', apply: (d) => ({ ...d, severity: 'critical' }) },
  },
  runbooks: {
    own: { description: 'retitle a draft', apply: (d) => ({ ...d, title: 'Replace a thermal receipt printer' }) },
    restricted: { description: 'approve', apply: (d) => ({ ...d, status: 'approved', approvedBy: USER, approvedAt: T1 }) },
  },
  runs: {
    own: { description: 'append a step result', apply: (d) => ({ ...d, stepResults: [...list(d['stepResults']), stepResult(STEP_2, USER)] }) },
    restricted: { description: 'change device', apply: (d) => ({ ...d, deviceId: uuidv7() }) },
  },
  risks: {
    own: { description: 'retitle', apply: (d) => ({ ...d, title: 'Single uplink at Harbor North' }) },
    restricted: { description: 'close', apply: (d) => ({ ...d, status: 'closed' }) },
  },
  incidents: {
    own: { description: 'edit summary', apply: (d) => ({ ...d, summary: 'Printer driver crashed after update.' }) },
    restricted: { description: 'change severity', apply: (d) => ({ ...d, severity: 'sev2' }) },
  },
  timeline: {
    own: { description: 'edit text', apply: (d) => ({ ...d, text: 'Printer swapped.' }) },
    restricted: { description: 'reattribute', apply: (d) => ({ ...d, by: COLLEAGUE }) },
  },
  users: {
    own: { description: 'rename', apply: (d) => ({ ...d, name: 'Rita M. Alves' }) },
    restricted: { description: 'promote', apply: (d) => ({ ...d, role: 'admin' }) },
  },
  runbook_versions: {
    own: { description: 'rewrite the frozen text', apply: (d) => ({ ...d, body: 'Throw the old printer away.' }) },
    restricted: { description: 'renumber', apply: (d) => ({ ...d, version: 4 }) },
  },
  doc_updates: {
    own: { description: 'rewrite the update', apply: (d) => ({ ...d, update: 'BQYHCA==' }) },
    restricted: { description: 'retarget', apply: (d) => ({ ...d, targetId: uuidv7() }) },
  },
};

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

const SCENARIOS = ['create', 'edit own field', 'edit restricted field', 'delete', 'move out of your sites', 'move to another org', 'write in a foreign org'] as const;
type Scenario = (typeof SCENARIOS)[number];
type Outcome = 'allow' | 'deny' | 'n/a';
type Row = readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

/** n/a: the collection is not site-scoped, so there is no site to move out of. */
const EXPECTED: Record<CollectionName, Record<Role, Row>> = {
  //                create   own      restrict delete   site-out org-move foreign
  orgs: {
    staff:       ['deny',  'deny',  'deny',  'deny',  'n/a',   'deny',  'deny'],
    technician:  ['deny',  'deny',  'deny',  'deny',  'n/a',   'deny',  'deny'],
    manager:     ['deny',  'deny',  'deny',  'deny',  'n/a',   'deny',  'deny'],
    admin:       ['deny',  'allow', 'allow', 'deny',  'n/a',   'deny',  'deny'],
  },
  sites: {
    staff:       ['deny',  'deny',  'deny',  'deny',  'deny',  'deny',  'deny'],
    technician:  ['deny',  'deny',  'deny',  'deny',  'deny',  'deny',  'deny'],
    manager:     ['deny',  'deny',  'deny',  'deny',  'deny',  'deny',  'deny'],
    admin:       ['allow', 'allow', 'allow', 'allow', 'deny',  'deny',  'deny'],
  },
  devices: {
    staff:       ['deny',  'deny',  'deny',  'deny',  'deny',  'deny',  'deny'],
    technician:  ['allow', 'allow', 'allow', 'allow', 'deny',  'deny',  'deny'],
    manager:     ['allow', 'allow', 'allow', 'allow', 'deny',  'deny',  'deny'],
    admin:       ['allow', 'allow', 'allow', 'allow', 'deny',  'deny',  'deny'],
  },
  alerts: {
    staff:       ['deny',  'allow', 'deny',  'deny',  'deny',  'deny',  'deny'],
    technician:  ['allow', 'allow', 'allow', 'deny',  'deny',  'deny',  'deny'],
    manager:     ['allow', 'allow', 'allow', 'allow', 'deny',  'deny',  'deny'],
    admin:       ['allow', 'allow', 'allow', 'allow', 'deny',  'deny',  'deny'],
  },
  runbooks: {
    staff:       ['deny',  'deny',  'deny',  'deny',  'n/a',   'deny',  'deny'],
    technician:  ['allow', 'allow', 'deny',  'allow', 'n/a',   'deny',  'deny'],
    manager:     ['allow', 'allow', 'allow', 'allow', 'n/a',   'deny',  'deny'],
    admin:       ['allow', 'allow', 'allow', 'allow', 'n/a',   'deny',  'deny'],
  },
  runs: {
    staff:       ['allow', 'allow', 'deny',  'deny',  'deny',  'deny',  'deny'],
    technician:  ['allow', 'allow', 'allow', 'deny',  'deny',  'deny',  'deny'],
    manager:     ['allow', 'allow', 'allow', 'allow', 'deny',  'deny',  'deny'],
    admin:       ['allow', 'allow', 'allow', 'allow', 'deny',  'deny',  'deny'],
  },
  risks: {
    staff:       ['deny',  'deny',  'deny',  'deny',  'n/a',   'deny',  'deny'],
    technician:  ['deny',  'deny',  'deny',  'deny',  'n/a',   'deny',  'deny'],
    manager:     ['allow', 'allow', 'allow', 'allow', 'n/a',   'deny',  'deny'],
    admin:       ['allow', 'allow', 'allow', 'allow', 'n/a',   'deny',  'deny'],
  },
  incidents: {
    staff:       ['allow', 'deny',  'deny',  'deny',  'deny',  'deny',  'deny'],
    technician:  ['allow', 'allow', 'allow', 'deny',  'deny',  'deny',  'deny'],
    manager:     ['allow', 'allow', 'allow', 'allow', 'deny',  'deny',  'deny'],
    admin:       ['allow', 'allow', 'allow', 'allow', 'deny',  'deny',  'deny'],
  },
  timeline: {
    staff:       ['allow', 'deny',  'deny',  'deny',  'deny',  'deny',  'deny'],
    technician:  ['allow', 'deny',  'deny',  'deny',  'deny',  'deny',  'deny'],
    manager:     ['allow', 'deny',  'deny',  'deny',  'deny',  'deny',  'deny'],
    admin:       ['allow', 'deny',  'deny',  'deny',  'deny',  'deny',  'deny'],
  },
  users: {
    staff:       ['deny',  'deny',  'deny',  'deny',  'n/a',   'deny',  'deny'],
    technician:  ['deny',  'deny',  'deny',  'deny',  'n/a',   'deny',  'deny'],
    manager:     ['deny',  'deny',  'deny',  'deny',  'n/a',   'deny',  'deny'],
    admin:       ['deny',  'deny',  'deny',  'deny',  'n/a',   'deny',  'deny'],
  },
  runbook_versions: {
    staff:       ['deny',  'deny',  'deny',  'deny',  'n/a',   'deny',  'deny'],
    technician:  ['deny',  'deny',  'deny',  'deny',  'n/a',   'deny',  'deny'],
    manager:     ['allow', 'deny',  'deny',  'deny',  'n/a',   'deny',  'deny'],
    admin:       ['allow', 'deny',  'deny',  'deny',  'n/a',   'deny',  'deny'],
  },
  // The review of a triaged incident at the actor's site.
  doc_updates: {
    staff:       ['deny',  'deny',  'deny',  'deny',  'deny',  'deny',  'deny'],
    technician:  ['allow', 'deny',  'deny',  'deny',  'deny',  'deny',  'deny'],
    manager:     ['allow', 'deny',  'deny',  'deny',  'deny',  'deny',  'deny'],
    admin:       ['allow', 'deny',  'deny',  'deny',  'deny',  'deny',  'deny'],
  },
};

/** The boundary scenarios are decided before any role rule, and name the field that crossed it. */
const BOUNDARY_FIELD: Partial<Record<Scenario, string>> = {
  'move out of your sites': 'siteId',
  'move to another org': 'orgId',
  'write in a foreign org': 'orgId',
};

function scenarioWrite(collection: CollectionName, scenario: Scenario): { before: DocumentState | undefined; after: DocumentState } {
  const document = documentOf(collection);
  const { own, restricted } = EDITS[collection];
  switch (scenario) {
    case 'create':
      return { before: undefined, after: document };
    case 'edit own field':
      return { before: document, after: own.apply(document) };
    case 'edit restricted field':
      return { before: document, after: restricted.apply(document) };
    case 'delete':
      return { before: document, after: deleted(document) };
    case 'move out of your sites':
      return { before: document, after: { ...document, siteId: OUTSIDE_SITE } };
    case 'move to another org':
      return { before: document, after: { ...document, orgId: OTHER_ORG } };
    case 'write in a foreign org': {
      const foreign = documentOf(collection, FOREIGN_ORG);
      return { before: foreign, after: own.apply(foreign) };
    }
  }
}

const MATRIX = COLLECTION_NAMES.flatMap((collection) =>
  ROLES.flatMap((role) =>
    SCENARIOS.map((scenario, column) => ({ collection, role, scenario, expected: EXPECTED[collection][role][column] ?? 'n/a' })),
  ),
).filter((cell) => cell.expected !== 'n/a');

describe('authorizeWrite matrix', () => {
  it('covers every role, collection and scenario that applies', () => {
    expect(MATRIX).toHaveLength(316);
  });

  it.each(MATRIX)('$role: $scenario in $collection → $expected', ({ collection, role, scenario, expected }) => {
    const { before, after } = scenarioWrite(collection, scenario);
    const decision = write(role, collection, before, after);
    if (expected === 'allow') {
      expect(decision).toEqual(ALLOW);
    } else {
      expect(decision).toMatchObject(denied(BOUNDARY_FIELD[scenario]));
      expect(decision.allowed === false && decision.reason.length > 0).toBe(true);
    }
  });

  it('uses fixtures that are valid documents of their collection', () => {
    for (const collection of COLLECTION_NAMES) {
      const document = documentOf(collection);
      const edits = EDITS[collection];
      for (const candidate of [document, edits.own.apply(document), edits.restricted.apply(document)]) {
        const { _deleted: _, ...entity } = candidate;
        expect(v.safeParse(COLLECTIONS[collection].schema, entity).success, `${collection} ${candidate['updatedAt']}`).toBe(true);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('canRead', () => {
  /** Who reads what: everyone reads everything but the risk register. */
  const READERS: Record<CollectionName, readonly Role[]> = {
    orgs: ['staff', 'technician', 'manager', 'admin'],
    sites: ['staff', 'technician', 'manager', 'admin'],
    devices: ['staff', 'technician', 'manager', 'admin'],
    alerts: ['staff', 'technician', 'manager', 'admin'],
    runbooks: ['staff', 'technician', 'manager', 'admin'],
    runs: ['staff', 'technician', 'manager', 'admin'],
    risks: ['technician', 'manager', 'admin'],
    incidents: ['staff', 'technician', 'manager', 'admin'],
    timeline: ['staff', 'technician', 'manager', 'admin'],
    users: ['staff', 'technician', 'manager', 'admin'],
    runbook_versions: ['staff', 'technician', 'manager', 'admin'],
    doc_updates: ['staff', 'technician', 'manager', 'admin'],
  };
  const cells = COLLECTION_NAMES.flatMap((collection) => ROLES.map((role) => ({ collection, role, expected: READERS[collection].includes(role) })));

  it.each(cells)('$role reads $collection: $expected', ({ collection, role, expected }) => {
    expect(canRead(role, collection)).toBe(expected);
  });
});

describe('writeKind', () => {
  const live = documentOf('devices');
  const tombstone = deleted(live);

  it('creates when the server holds nothing', () => {
    expect(writeKind(undefined, live)).toBe('create');
  });
  it('creates when a tombstone comes back to life', () => {
    expect(writeKind(tombstone, live)).toBe('create');
  });
  it('creates when a document made and deleted offline arrives as a tombstone', () => {
    expect(writeKind(undefined, tombstone)).toBe('create');
  });
  it('deletes when a live document becomes a tombstone', () => {
    expect(writeKind(live, tombstone)).toBe('delete');
  });
  it('updates a live document', () => {
    expect(writeKind(live, { ...live, hostname: 'pos-02' })).toBe('update');
  });
  it('updates when a tombstone is deleted again', () => {
    expect(writeKind(tombstone, tombstone)).toBe('update');
  });
});

describe('memberships and sites', () => {
  const limited: Membership = { orgId: ORG, role: 'technician', siteIds: [SITE] };
  const orgWide: Membership = { orgId: ORG, role: 'technician', siteIds: 'all' };

  it('finds the membership of an organization, and none for a foreign one', () => {
    expect(membershipFor(actor('manager'), OTHER_ORG)).toEqual({ orgId: OTHER_ORG, role: 'manager', siteIds: 'all' });
    expect(membershipFor(actor('manager'), FOREIGN_ORG)).toBeUndefined();
  });

  it('reaches only the listed sites of a limited membership', () => {
    expect(reachesSite(limited, SITE)).toBe(true);
    expect(reachesSite(limited, OUTSIDE_SITE)).toBe(false);
  });

  it('reaches every site, and documents without a site, with an org-wide membership', () => {
    expect(reachesSite(orgWide, OUTSIDE_SITE)).toBe(true);
    expect(reachesSite(orgWide, undefined)).toBe(true);
    expect(reachesSite(limited, undefined)).toBe(false);
  });

  it('rejects moving a document from outside your sites into one of them', () => {
    const outside = { ...documentOf('devices'), siteId: OUTSIDE_SITE };
    expect(write('technician', 'devices', outside, documentOf('devices'))).toMatchObject({ allowed: false, reason: 'outside your sites', field: 'siteId' });
  });

  it('allows moving a document between two of your sites', () => {
    const document = documentOf('devices');
    expect(write('technician', 'devices', document, { ...document, siteId: SECOND_SITE })).toEqual(ALLOW);
  });

  it('lets an org-wide member write at any site', () => {
    const document = { ...documentOf('devices'), siteId: OUTSIDE_SITE };
    expect(write('technician', 'devices', undefined, document, { siteIds: 'all' })).toEqual(ALLOW);
  });

  it('lets an org-wide admin add a new site, but not an admin limited to other sites', () => {
    const id = uuidv7();
    const site = { ...documentOf('sites'), id, siteId: id };
    expect(write('admin', 'sites', undefined, site, { siteIds: 'all' })).toEqual(ALLOW);
    expect(write('admin', 'sites', undefined, site)).toMatchObject(denied('siteId'));
  });

  it("requires a site's siteId to be its own id", () => {
    const site = { ...documentOf('sites'), siteId: SECOND_SITE };
    expect(write('admin', 'sites', undefined, site, { siteIds: 'all' })).toMatchObject(denied('siteId'));
  });

  it('rejects a write whose id differs from the document it replaces', () => {
    const device = documentOf('devices');
    expect(write('admin', 'devices', device, { ...device, id: uuidv7() })).toMatchObject(denied('id'));
  });

  it('rejects a document without an organization the actor belongs to, whatever the role', () => {
    const decision = write('admin', 'devices', undefined, documentOf('devices', FOREIGN_ORG));
    expect(decision).toMatchObject({ allowed: false, reason: 'you are not a member of this organization', field: 'orgId' });
  });
});

// ---------------------------------------------------------------------------------------------

describe('alerts', () => {
  const open = documentOf('alerts');
  const acknowledged = { ...open, status: 'acknowledged', acknowledgedAt: T1, acknowledgedBy: COLLEAGUE };

  it('lets staff acknowledge an open alert in their own name', () => {
    expect(write('staff', 'alerts', open, { ...open, status: 'acknowledged', acknowledgedAt: T1, acknowledgedBy: USER })).toEqual(ALLOW);
  });

  it('lets staff link an alert to an incident', () => {
    expect(write('staff', 'alerts', open, { ...open, incidentId: INCIDENT })).toEqual(ALLOW);
  });

  it('does not let staff resolve an alert', () => {
    const resolved = { ...acknowledged, status: 'resolved', resolvedAt: T1, resolvedBy: USER };
    expect(write('staff', 'alerts', acknowledged, resolved)).toMatchObject(denied('resolvedAt'));
    expect(write('staff', 'alerts', acknowledged, { ...acknowledged, status: 'resolved' })).toMatchObject(denied('status'));
  });

  it('does not let staff reopen an acknowledged alert', () => {
    expect(write('staff', 'alerts', acknowledged, { ...acknowledged, status: 'open' })).toMatchObject(denied('status'));
  });

  it('does not let staff edit the message of an alert', () => {
    expect(write('staff', 'alerts', open, { ...open, message: 'ignore me' })).toMatchObject(denied('message'));
  });

  it('rejects an acknowledgement in someone else’s name, for every role', () => {
    const forged = { ...open, status: 'acknowledged', acknowledgedAt: T1, acknowledgedBy: COLLEAGUE };
    for (const role of ROLES) {
      expect(write(role, 'alerts', open, forged)).toMatchObject({ allowed: false, reason: 'acknowledgedBy must be you', field: 'acknowledgedBy' });
    }
  });

  it('rejects a resolution in someone else’s name', () => {
    const forged = { ...acknowledged, status: 'resolved', resolvedAt: T1, resolvedBy: COLLEAGUE };
    expect(write('admin', 'alerts', acknowledged, forged)).toMatchObject({ allowed: false, reason: 'resolvedBy must be you', field: 'resolvedBy' });
  });

  it('keeps an earlier acknowledgement by someone else when a technician resolves', () => {
    const resolved = { ...acknowledged, status: 'resolved', resolvedAt: T1, resolvedBy: USER };
    expect(write('technician', 'alerts', acknowledged, resolved)).toEqual(ALLOW);
  });

  it('lets a technician clear the acknowledgement when reopening', () => {
    const { acknowledgedAt: _at, acknowledgedBy: _by, ...reopened } = acknowledged;
    expect(write('technician', 'alerts', acknowledged, { ...reopened, status: 'open' })).toEqual(ALLOW);
  });

  it('rejects a technician raising an alert already acknowledged by someone else', () => {
    expect(write('technician', 'alerts', undefined, acknowledged)).toMatchObject(denied('acknowledgedBy'));
  });
});

describe('runbook approval', () => {
  const draft = documentOf('runbooks');
  const inReview = { ...draft, status: 'in_review' };
  const approvedByColleague = { ...draft, status: 'approved', approvedBy: COLLEAGUE, approvedAt: T0 };

  it('lets a manager or admin approve in their own name', () => {
    for (const role of ['manager', 'admin'] as const) {
      expect(write(role, 'runbooks', inReview, { ...inReview, status: 'approved', approvedBy: USER, approvedAt: T1 })).toEqual(ALLOW);
    }
  });

  it('rejects an approval signed by someone else', () => {
    const forged = { ...inReview, status: 'approved', approvedBy: COLLEAGUE, approvedAt: T1 };
    expect(write('manager', 'runbooks', inReview, forged)).toMatchObject({ allowed: false, reason: 'approvedBy must be you', field: 'approvedBy' });
  });

  it('rejects an approval without a signature', () => {
    expect(write('admin', 'runbooks', inReview, { ...inReview, status: 'approved' })).toMatchObject(denied('approvedBy'));
  });

  it('rejects creating an already approved runbook signed by someone else', () => {
    expect(write('manager', 'runbooks', undefined, approvedByColleague)).toMatchObject(denied('approvedBy'));
  });

  it('rejects re-signing an approved runbook in someone else\'s name', () => {
    const approvedByMe = { ...approvedByColleague, approvedBy: USER };
    expect(write('manager', 'runbooks', approvedByMe, { ...approvedByMe, approvedBy: COLLEAGUE })).toMatchObject(denied('approvedBy'));
    expect(write('admin', 'runbooks', approvedByColleague, { ...approvedByColleague, approvedBy: USER })).toEqual(ALLOW);
  });

  it('refuses an edit of an approved runbook that leaves it approved, whoever writes it', () => {
    for (const role of ['manager', 'admin'] as const) {
      expect(write(role, 'runbooks', approvedByColleague, { ...approvedByColleague, title: 'Replace a thermal printer' })).toMatchObject({
        allowed: false,
        reason: 'an approved runbook cannot change: return it to draft to edit it, then approve it again',
        field: 'title',
      });
      const reworded = [{ id: STEP_1, instruction: 'Leave the terminal on' }, { id: STEP_2, instruction: 'Unplug the printer' }];
      expect(write(role, 'runbooks', approvedByColleague, { ...approvedByColleague, steps: reworded })).toMatchObject(denied('steps'));
      expect(write(role, 'runbooks', approvedByColleague, { ...approvedByColleague, appliesTo: { deviceKinds: ['kiosk'], tags: [], siteIds: [] } })).toMatchObject(denied('appliesTo'));
    }
  });

  it('lets a manager edit an approved runbook by returning it to draft or review, keeping the earlier approver on record', () => {
    expect(write('manager', 'runbooks', approvedByColleague, { ...approvedByColleague, status: 'draft', title: 'Replace a thermal printer' })).toEqual(ALLOW);
    expect(write('manager', 'runbooks', approvedByColleague, { ...approvedByColleague, status: 'in_review', steps: [] })).toEqual(ALLOW);
  });

  it('lets a manager change an approved runbook and approve the change at once, as a new version signed by themselves', () => {
    const approvedAgain = { ...approvedByColleague, title: 'Replace a thermal printer', version: 2, approvedBy: USER, approvedAt: T1 };
    expect(write('manager', 'runbooks', approvedByColleague, approvedAgain)).toEqual(ALLOW);
    expect(write('manager', 'runbooks', approvedByColleague, { ...approvedAgain, version: 1 })).toMatchObject(denied('title'));
  });

  it('still lets an approved runbook be re-signed or renumbered without content changes', () => {
    expect(write('admin', 'runbooks', approvedByColleague, { ...approvedByColleague, approvedBy: USER, approvedAt: T1, version: 2 })).toEqual(ALLOW);
    expect(write('manager', 'runbooks', approvedByColleague, { ...approvedByColleague, status: 'retired' })).toEqual(ALLOW);
  });

  it('lets a technician write a draft and submit it for review', () => {
    expect(write('technician', 'runbooks', undefined, draft)).toEqual(ALLOW);
    expect(write('technician', 'runbooks', undefined, inReview)).toEqual(ALLOW);
    expect(write('technician', 'runbooks', draft, inReview)).toEqual(ALLOW);
    expect(write('technician', 'runbooks', inReview, { ...draft, title: 'Back to the drawing board' })).toEqual(ALLOW);
  });

  it('does not let a technician approve or retire', () => {
    const approve = { ...inReview, status: 'approved', approvedBy: USER, approvedAt: T1 };
    expect(write('technician', 'runbooks', inReview, approve)).toMatchObject({ allowed: false, reason: 'only managers and admins approve runbooks', field: 'status' });
    expect(write('technician', 'runbooks', inReview, { ...inReview, status: 'retired' })).toMatchObject(denied('status'));
  });

  it('does not let a technician sign an approval, even on a draft', () => {
    expect(write('technician', 'runbooks', draft, { ...draft, approvedBy: USER })).toMatchObject(denied('approvedBy'));
    expect(write('technician', 'runbooks', undefined, { ...draft, approvedAt: T1 })).toMatchObject(denied('approvedAt'));
  });

  it('does not let a technician edit an approved runbook', () => {
    expect(write('technician', 'runbooks', approvedByColleague, { ...approvedByColleague, title: 'Shortcut' })).toMatchObject(denied('status'));
  });

  it('lets a technician delete only a draft', () => {
    expect(write('technician', 'runbooks', draft, deleted(draft))).toEqual(ALLOW);
    expect(write('technician', 'runbooks', inReview, deleted(inReview))).toMatchObject(denied('status'));
    expect(write('manager', 'runbooks', approvedByColleague, deleted(approvedByColleague))).toEqual(ALLOW);
  });

  it('judges a restored tombstone as a new runbook, or as an edit the writer could have made before the deletion', () => {
    const tombstone = deleted(approvedByColleague);
    expect(write('technician', 'runbooks', tombstone, approvedByColleague)).toMatchObject(denied('status'));
    // A manager may return a colleague's approved runbook to draft and edit it: that edit, meeting a deletion, brings it back.
    expect(write('manager', 'runbooks', tombstone, { ...approvedByColleague, status: 'draft', title: 'Edited meanwhile' })).toEqual(ALLOW);
    // An edit that left it approved could not have been made: it brings nothing back.
    expect(write('manager', 'runbooks', tombstone, { ...approvedByColleague, title: 'Edited meanwhile' })).toMatchObject({ allowed: false });
    // A restore never carries an approval its writer did not give.
    const approvedInColleaguesName = { ...draft, status: 'approved', approvedBy: COLLEAGUE, approvedAt: T1 };
    expect(write('manager', 'runbooks', deleted(draft), approvedInColleaguesName)).toMatchObject(denied('approvedBy'));
  });
});

describe('starting a run', () => {
  const run = (runbookId: string) => ({ ...documentOf('runs'), runbookId, stepResults: [] });
  const DRAFT_RUNBOOK = RUNBOOK;
  const MISSING_RUNBOOK = uuidv7();

  it('lets staff start an approved runbook of their organization', () => {
    expect(write('staff', 'runs', undefined, run(APPROVED_RUNBOOK))).toEqual(ALLOW);
  });

  it('does not let staff start a runbook that is not approved', () => {
    expect(write('staff', 'runs', undefined, run(DRAFT_RUNBOOK))).toMatchObject({ allowed: false, reason: 'staff can run only approved runbooks', field: 'runbookId' });
  });

  it('lets technicians and up start a runbook in any status', () => {
    for (const role of ['technician', 'manager', 'admin'] as const) {
      expect(write(role, 'runs', undefined, run(DRAFT_RUNBOOK))).toEqual(ALLOW);
    }
  });

  it('rejects a run of a missing runbook, for every role', () => {
    for (const role of ROLES) expect(write(role, 'runs', undefined, run(MISSING_RUNBOOK))).toMatchObject(denied('runbookId'));
  });

  it('rejects a run of another organization’s runbook, for every role', () => {
    for (const role of ROLES) expect(write(role, 'runs', undefined, run(OTHER_ORG_RUNBOOK))).toMatchObject(denied('runbookId'));
  });

  it('rejects a run started in someone else’s name', () => {
    for (const role of ROLES) {
      expect(write(role, 'runs', undefined, { ...run(APPROVED_RUNBOOK), startedBy: COLLEAGUE })).toMatchObject({
        allowed: false,
        reason: 'startedBy must be you',
        field: 'startedBy',
      });
    }
  });

  it('rejects a new run carrying someone else’s step results', () => {
    const withResults = { ...run(APPROVED_RUNBOOK), stepResults: [stepResult(STEP_1, COLLEAGUE)] };
    expect(write('technician', 'runs', undefined, withResults)).toMatchObject(denied('stepResults'));
  });
});

describe('step results are append-only', () => {
  const byColleague = stepResult(STEP_1, COLLEAGUE, { note: 'Printer was already off' });
  const started = { ...documentOf('runs'), stepResults: [byColleague] };

  it('lets anyone append their own result, and finish the run', () => {
    for (const role of ROLES) {
      const after = { ...started, stepResults: [byColleague, stepResult(STEP_2, USER)], finishedAt: T1, outcome: 'succeeded' };
      expect(write(role, 'runs', started, after)).toEqual(ALLOW);
    }
  });

  it('accepts a later result for the same step, which supersedes without erasing', () => {
    const retry = stepResult(STEP_1, USER, { result: 'failed', note: 'Paper jam' });
    expect(write('staff', 'runs', started, { ...started, stepResults: [byColleague, retry] })).toEqual(ALLOW);
  });

  it('rejects appending a result in someone else’s name', () => {
    const after = { ...started, stepResults: [byColleague, stepResult(STEP_2, COLLEAGUE)] };
    expect(write('admin', 'runs', started, after)).toMatchObject({ allowed: false, reason: 'new step results must be recorded by you', field: 'stepResults' });
  });

  it('rejects removing an earlier result, for every role', () => {
    for (const role of ROLES) expect(write(role, 'runs', started, { ...started, stepResults: [] })).toMatchObject(denied('stepResults'));
  });

  it('rejects changing an earlier result, for every role', () => {
    const rewritten = { ...byColleague, result: 'skipped' };
    for (const role of ROLES) expect(write(role, 'runs', started, { ...started, stepResults: [rewritten] })).toMatchObject(denied('stepResults'));
  });

  it('rejects changing who started a run, even for an admin', () => {
    expect(write('admin', 'runs', started, { ...started, startedBy: COLLEAGUE })).toMatchObject(denied('startedBy'));
  });

  it('lets a technician, not staff, correct the device of a run', () => {
    const moved = { ...started, deviceId: uuidv7() };
    expect(write('technician', 'runs', started, moved)).toEqual(ALLOW);
    expect(write('staff', 'runs', started, moved)).toMatchObject({ allowed: false, reason: 'staff cannot change the device of a run', field: 'deviceId' });
  });
});

describe('risk decisions are append-only', () => {
  const earlier = decision(COLLEAGUE, { rationale: 'Budget approved in Q1' });
  const risk = { ...documentOf('risks'), decisions: [earlier] };

  it('lets a manager record a decision in their own name', () => {
    expect(write('manager', 'risks', risk, { ...risk, decisions: [earlier, decision(USER)] })).toEqual(ALLOW);
  });

  it('rejects a decision recorded in someone else’s name', () => {
    expect(write('admin', 'risks', risk, { ...risk, decisions: [earlier, decision(COLLEAGUE)] })).toMatchObject({
      allowed: false,
      reason: 'new decisions must be recorded by you',
      field: 'decisions',
    });
  });

  it('rejects editing or removing an earlier decision', () => {
    expect(write('manager', 'risks', risk, { ...risk, decisions: [{ ...earlier, decision: 'Do nothing' }] })).toMatchObject(denied('decisions'));
    expect(write('manager', 'risks', risk, { ...risk, decisions: [] })).toMatchObject(denied('decisions'));
  });

  it('rejects a new risk carrying someone else’s decision', () => {
    expect(write('manager', 'risks', undefined, risk)).toMatchObject(denied('decisions'));
  });

  it('keeps staff out of the risk register entirely', () => {
    expect(write('staff', 'risks', undefined, documentOf('risks'))).toMatchObject({ allowed: false, reason: 'staff have no access to the risk register' });
  });
});

describe('incidents', () => {
  const incident = documentOf('incidents');

  it('lets staff open an incident in their own name, but not edit it', () => {
    expect(write('staff', 'incidents', undefined, incident)).toEqual(ALLOW);
    expect(write('staff', 'incidents', undefined, { ...incident, openedBy: COLLEAGUE })).toMatchObject(denied('openedBy'));
    expect(write('staff', 'incidents', incident, { ...incident, status: 'contained' })).toMatchObject({
      allowed: false,
      reason: 'staff can open incidents but not edit them',
    });
  });

  it('rejects an incident opened in someone else’s name, whatever the role', () => {
    expect(write('admin', 'incidents', undefined, { ...incident, openedBy: COLLEAGUE })).toMatchObject(denied('openedBy'));
  });

  it('lets an edit that met a deletion bring a colleague’s incident back, for those who may edit it', () => {
    const colleagues = { ...incident, openedBy: COLLEAGUE };
    const editedMeanwhile = { ...colleagues, summary: 'Edited while a manager deleted it' };
    expect(write('technician', 'incidents', deleted(colleagues), editedMeanwhile)).toEqual(ALLOW);
    expect(write('staff', 'incidents', deleted(colleagues), editedMeanwhile)).toMatchObject(denied('openedBy'));
  });

  it('leaves deleting incidents to managers and admins', () => {
    expect(write('technician', 'incidents', incident, deleted(incident))).toMatchObject({ allowed: false });
    expect(write('manager', 'incidents', incident, deleted(incident))).toEqual(ALLOW);
  });
});

describe('timeline entries are append-only', () => {
  const entry = documentOf('timeline');

  it('lets every role add an entry in their own name', () => {
    for (const role of ROLES) expect(write(role, 'timeline', undefined, entry)).toEqual(ALLOW);
  });

  it('rejects an entry in someone else’s name', () => {
    expect(write('admin', 'timeline', undefined, { ...entry, by: COLLEAGUE })).toMatchObject({ allowed: false, reason: 'by must be you', field: 'by' });
  });

  it('rejects editing or deleting an entry, even for an admin', () => {
    const appendOnly = { allowed: false, reason: 'timeline entries are append-only' };
    expect(write('admin', 'timeline', entry, { ...entry, text: 'Rewritten' })).toMatchObject(appendOnly);
    expect(write('admin', 'timeline', entry, { ...entry, updatedAt: T1 })).toMatchObject(appendOnly);
    expect(write('admin', 'timeline', entry, deleted(entry))).toMatchObject(appendOnly);
  });
});

describe('comparing fields', () => {
  it('ignores key order, nested too', () => {
    const before = documentOf('devices');
    const reordered = Object.fromEntries(Object.entries({ ...before, os: { version: '11', name: 'Windows' } }).reverse());
    expect(changedFields({ ...before, os: { name: 'Windows', version: '11' } }, reordered)).toEqual([]);
  });

  it('accepts earlier step results whose keys arrive in another order', () => {
    const run = documentOf('runs');
    const reordered = list(run['stepResults']).map((result) => Object.fromEntries(Object.entries(Object(result)).reverse()));
    expect(write('staff', 'runs', run, { ...run, stepResults: [...reordered, stepResult(STEP_2, USER)] })).toEqual(ALLOW);
  });

  it('accepts an acknowledgement whose unchanged fields arrive in another order', () => {
    const alert = documentOf('alerts');
    const acknowledged = EDITS.alerts.own.apply(alert);
    const reordered = { ...Object.fromEntries(Object.entries(acknowledged).reverse()), id: alert.id, orgId: ORG, _deleted: false };
    expect(write('staff', 'alerts', alert, reordered)).toEqual(ALLOW);
  });

  it('always lets updatedAt and conflicts change in an allowed update', () => {
    const conflicts = [{ id: uuidv7(), path: 'note', keptValue: 'a', otherValue: 'b', recordedAt: T1 }];
    const alert = documentOf('alerts');
    expect(write('staff', 'alerts', alert, { ...EDITS.alerts.own.apply(alert), updatedAt: T1, conflicts })).toEqual(ALLOW);
    expect(write('staff', 'alerts', alert, { ...alert, updatedAt: T1, conflicts })).toEqual(ALLOW);
    const run = documentOf('runs');
    expect(write('staff', 'runs', run, { ...EDITS.runs.own.apply(run), updatedAt: T1, conflicts })).toEqual(ALLOW);
  });

  it('does not turn a disallowed update into an allowed one', () => {
    const device = documentOf('devices');
    expect(write('staff', 'devices', device, { ...device, updatedAt: T1 })).toMatchObject({
      allowed: false,
      reason: 'staff have read-only access to devices',
    });
  });

  it('judges fields changed along with a delete like an update', () => {
    const run = documentOf('runs');
    expect(write('manager', 'runs', run, { ...deleted(run), updatedAt: T1 })).toEqual(ALLOW);
    expect(write('manager', 'runs', run, { ...deleted(run), startedBy: COLLEAGUE })).toMatchObject(denied('startedBy'));
  });
});
