import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../id/uuidv7.ts';
import type { Alert, Incident, Risk, Run, Runbook, TimelineEntry } from '../schema/index.ts';
import { authorizeWrite, type DocumentState, type Membership, type WriteContext, type WriteDecision } from './permissions.ts';
import { REFERENCES, addedReferences, allReferencedIds, referenceKey, type ReferencedDocument } from './references.ts';
import { COLLECTION_NAMES, type CollectionName } from '../schema/collections.ts';
import type { Role } from '../schema/user.ts';

const ORG = uuidv7();
const OTHER_ORG = uuidv7();
const S1 = uuidv7();
const S2 = uuidv7();
const USER = uuidv7();
const T0 = '2026-03-02T08:00:00.000Z';

/** Documents as the server holds them: at S1, at S2, and in another organization. */
const INCIDENT_S1 = uuidv7();
const INCIDENT_S2 = uuidv7();
const INCIDENT_OTHER_ORG = uuidv7();
const DEVICE_S1 = uuidv7();
const DEVICE_S2 = uuidv7();
const ALERT_S2 = uuidv7();
const RUN_S2 = uuidv7();
const RUNBOOK = uuidv7();
const RUNBOOK_OTHER_ORG = uuidv7();
const SITE_OTHER_ORG = uuidv7();
/** Known to nobody: created offline, its push still on the way. */
const NOT_ON_SERVER = uuidv7();

const stored: [CollectionName, string, ReferencedDocument][] = [
  ['incidents', INCIDENT_S1, { orgId: ORG, siteId: S1 }],
  ['incidents', INCIDENT_S2, { orgId: ORG, siteId: S2 }],
  ['incidents', INCIDENT_OTHER_ORG, { orgId: OTHER_ORG, siteId: SITE_OTHER_ORG }],
  ['devices', DEVICE_S1, { orgId: ORG, siteId: S1 }],
  ['devices', DEVICE_S2, { orgId: ORG, siteId: S2 }],
  ['alerts', ALERT_S2, { orgId: ORG, siteId: S2 }],
  ['runs', RUN_S2, { orgId: ORG, siteId: S2 }],
  ['runbooks', RUNBOOK, { orgId: ORG }],
  ['runbooks', RUNBOOK_OTHER_ORG, { orgId: OTHER_ORG }],
  ['sites', S1, { orgId: ORG, siteId: S1 }],
  ['sites', S2, { orgId: ORG, siteId: S2 }],
  ['sites', SITE_OTHER_ORG, { orgId: OTHER_ORG, siteId: SITE_OTHER_ORG }],
];

const CONTEXT: WriteContext = {
  runbooks: new Map([[RUNBOOK, { orgId: ORG, status: 'approved' }]]),
  references: new Map(stored.map(([collection, id, document]) => [referenceKey(collection, id), document])),
};

function write(role: Role, siteIds: Membership['siteIds'], collection: CollectionName, before: object | undefined, after: object): WriteDecision {
  const state = (document: object): DocumentState => ({ ...(document as DocumentState), _deleted: false });
  return authorizeWrite({
    actor: { userId: USER, memberships: [{ orgId: ORG, role, siteIds }] },
    collection,
    before: before === undefined ? undefined : state(before),
    after: state(after),
    context: CONTEXT,
  });
}

const staffAtS1 = (collection: CollectionName, before: object | undefined, after: object) => write('staff', [S1], collection, before, after);
const ALLOW = { allowed: true };

const entry = (incidentId: string, siteId = S1): TimelineEntry => ({
  id: uuidv7(), orgId: ORG, siteId, incidentId, at: T0, by: USER, kind: 'note', text: 'Rebooted the till.', updatedAt: T0,
});
const alert = (extra: Partial<Alert> = {}): Alert => ({
  id: uuidv7(), orgId: ORG, siteId: S1, deviceId: DEVICE_S1, rule: 'disk.free', severity: 'warning', message: 'C: has 4% free', status: 'open', openedAt: T0, updatedAt: T0, ...extra,
});
const incident = (extra: Partial<Incident> = {}): Incident => ({
  id: uuidv7(), orgId: ORG, siteId: S1, title: 'Tills offline', summary: '', severity: 'sev3', status: 'triage', deviceIds: [], alertIds: [], runIds: [],
  openedBy: USER, openedAt: T0, updatedAt: T0, ...extra,
});
const run = (extra: Partial<Run> = {}): Run => ({
  id: uuidv7(), orgId: ORG, siteId: S1, runbookId: RUNBOOK, runbookVersion: 1, startedBy: USER, startedAt: T0, stepResults: [], updatedAt: T0, ...extra,
});
const risk = (links: Partial<Risk['links']> = {}): Risk => ({
  id: uuidv7(), orgId: ORG, title: 'Single uplink', description: '', category: 'availability', likelihood: 2, impact: 3, score: 6, treatment: 'mitigate',
  mitigations: [], status: 'open', nextReviewAt: T0, links: { deviceIds: [], siteIds: [], runbookIds: [], incidentIds: [], ...links }, decisions: [], updatedAt: T0,
});
const runbook = (siteIds: string[]): Runbook => ({
  id: uuidv7(), orgId: ORG, title: 'Printer offline', summary: '', tags: [], appliesTo: { deviceKinds: [], tags: [], siteIds }, steps: [], status: 'draft', version: 1, updatedAt: T0,
});

describe('timeline entries name an incident the writer may read, at its site', () => {
  it('lets staff add an entry to an incident at their site', () => {
    expect(staffAtS1('timeline', undefined, entry(INCIDENT_S1))).toEqual(ALLOW);
  });

  it('refuses staff an entry (filed at their own site) on an incident at a site they cannot read', () => {
    expect(staffAtS1('timeline', undefined, entry(INCIDENT_S2))).toMatchObject({ allowed: false, reason: 'this incident is at a site outside yours', field: 'incidentId' });
  });

  it("refuses an entry filed at another site than its incident's, even for an org-wide admin", () => {
    expect(write('admin', 'all', 'timeline', undefined, entry(INCIDENT_S2, S1))).toMatchObject({ allowed: false, field: 'siteId' });
    expect(write('admin', 'all', 'timeline', undefined, entry(INCIDENT_S2, S2))).toEqual(ALLOW);
  });

  it("refuses an entry on another organization's incident, for every role", () => {
    for (const role of ['staff', 'technician', 'manager', 'admin'] as const) {
      expect(write(role, 'all', 'timeline', undefined, entry(INCIDENT_OTHER_ORG))).toMatchObject({ allowed: false, reason: 'this incident does not exist in the organization', field: 'incidentId' });
    }
  });

  it('accepts an entry on an incident the server does not have yet (created offline, on its way)', () => {
    expect(staffAtS1('timeline', undefined, entry(NOT_ON_SERVER))).toEqual(ALLOW);
  });
});

describe('alerts link only to incidents and devices the writer may read', () => {
  it('lets staff link an alert at their site to an incident at their site', () => {
    const open = alert();
    expect(staffAtS1('alerts', open, { ...open, incidentId: INCIDENT_S1 })).toEqual(ALLOW);
  });

  it('refuses staff linking their alert to an incident at a site they cannot read', () => {
    const open = alert();
    expect(staffAtS1('alerts', open, { ...open, incidentId: INCIDENT_S2 })).toMatchObject({ allowed: false, field: 'incidentId' });
  });

  it("refuses linking to another organization's incident, even for an admin", () => {
    const open = alert();
    expect(write('admin', 'all', 'alerts', open, { ...open, incidentId: INCIDENT_OTHER_ORG })).toMatchObject({ allowed: false, field: 'incidentId' });
  });

  it('refuses a technician of S1 raising an alert for a device at S2', () => {
    expect(write('technician', [S1], 'alerts', undefined, alert({ deviceId: DEVICE_S2 }))).toMatchObject({ allowed: false, field: 'deviceId' });
    expect(write('technician', [S1], 'alerts', undefined, alert({ deviceId: DEVICE_S1 }))).toEqual(ALLOW);
  });

  it('judges only references a write adds: an alert whose incident moved out of reach can still be acknowledged', () => {
    const linked = alert({ incidentId: INCIDENT_S2 });
    expect(staffAtS1('alerts', linked, { ...linked, status: 'acknowledged', acknowledgedAt: T0, acknowledgedBy: USER })).toEqual(ALLOW);
  });
});

describe('incidents, runs, risks and runbooks refer only to what the writer may read', () => {
  it('refuses staff opening an incident that lists devices, alerts or runs of a site they cannot read', () => {
    expect(staffAtS1('incidents', undefined, incident({ deviceIds: [DEVICE_S1] }))).toEqual(ALLOW);
    expect(staffAtS1('incidents', undefined, incident({ deviceIds: [DEVICE_S1, DEVICE_S2] }))).toMatchObject({ allowed: false, field: 'deviceIds' });
    expect(staffAtS1('incidents', undefined, incident({ alertIds: [ALERT_S2] }))).toMatchObject({ allowed: false, field: 'alertIds' });
    expect(staffAtS1('incidents', undefined, incident({ runIds: [RUN_S2] }))).toMatchObject({ allowed: false, field: 'runIds' });
  });

  it('refuses a run on a device, or for an incident, at a site the writer cannot read', () => {
    expect(staffAtS1('runs', undefined, run({ deviceId: DEVICE_S2 }))).toMatchObject({ allowed: false, field: 'deviceId' });
    expect(staffAtS1('runs', undefined, run({ incidentId: INCIDENT_S2 }))).toMatchObject({ allowed: false, field: 'incidentId' });
    const started = run();
    expect(staffAtS1('runs', started, { ...started, incidentId: INCIDENT_S2 })).toMatchObject({ allowed: false, field: 'incidentId' });
    expect(staffAtS1('runs', started, { ...started, incidentId: INCIDENT_S1 })).toEqual(ALLOW);
  });

  it('refuses risk links outside the writer’s organization or sites', () => {
    expect(write('manager', [S1], 'risks', undefined, risk({ deviceIds: [DEVICE_S1], siteIds: [S1], runbookIds: [RUNBOOK], incidentIds: [INCIDENT_S1] }))).toEqual(ALLOW);
    expect(write('manager', [S1], 'risks', undefined, risk({ incidentIds: [INCIDENT_S2] }))).toMatchObject({ allowed: false, field: 'links.incidentIds' });
    expect(write('manager', 'all', 'risks', undefined, risk({ runbookIds: [RUNBOOK_OTHER_ORG] }))).toMatchObject({ allowed: false, field: 'links.runbookIds' });
    expect(write('manager', 'all', 'risks', undefined, risk({ siteIds: [SITE_OTHER_ORG] }))).toMatchObject({ allowed: false, field: 'links.siteIds' });
  });

  it("refuses a runbook written for another organization's site", () => {
    expect(write('technician', 'all', 'runbooks', undefined, runbook([S1, S2]))).toEqual(ALLOW);
    expect(write('technician', 'all', 'runbooks', undefined, runbook([SITE_OTHER_ORG]))).toMatchObject({ allowed: false, field: 'appliesTo.siteIds' });
  });
});

describe('the reference table', () => {
  it('names only fields of the schemas, and finds the ids a document adds', () => {
    const before = incident({ deviceIds: [DEVICE_S1] });
    const after = { ...before, deviceIds: [DEVICE_S1, DEVICE_S2], alertIds: [ALERT_S2] };
    expect(addedReferences('incidents', before, after).map(({ id }) => id)).toEqual([DEVICE_S2, ALERT_S2]);
    expect(allReferencedIds('risks', [risk({ siteIds: [S1] })]).get('sites')).toEqual(new Set([S1]));
    for (const collection of COLLECTION_NAMES) for (const reference of REFERENCES[collection]) expect(COLLECTION_NAMES).toContain(reference.collection);
  });
});
