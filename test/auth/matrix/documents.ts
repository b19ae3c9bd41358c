import * as Y from 'yjs';
import { textOf } from '../../../shared/collab/collab-text.ts';
import { encodeUpdate } from '../../../shared/collab/update-encoding.ts';
import { uuidv7 } from '../../../shared/id/uuidv7.ts';
import { runbookVersionId } from '../../../shared/runbook/version-id.ts';
import type { Alert, Device, DocUpdate, Incident, Org, Risk, Run, Runbook, RunbookVersion, Site, TimelineEntry, UserEntry } from '../../../shared/schema/index.ts';
import type { StoredDocument } from '../../../server/store/store.ts';

/**
 * Valid documents of every collection for the authorization matrix: small, explicit and
 * schema-valid, so a refused push is refused by the role rules and never by validation.
 */

export const OPENED_AT = '2026-01-30T08:00:00.000Z';

/** A timestamp for edits; the author's clock is informational only. */
export const now = (): string => new Date().toISOString();

const live = <T extends { id: string; orgId: string }>(document: T): StoredDocument => ({ ...document, _deleted: false });

export function org(id: string = uuidv7(), name = 'Northwind Retail'): StoredDocument {
  const document: Org = { id, orgId: id, name, updatedAt: OPENED_AT };
  return live(document);
}

export function site(orgId: string, id: string = uuidv7(), name = 'Store 14'): StoredDocument {
  const document: Site = { id, orgId, siteId: id, name, timezone: 'Europe/Berlin', contacts: [], updatedAt: OPENED_AT };
  return live(document);
}

export function device(orgId: string, siteId: string): StoredDocument {
  const document: Device = {
    id: uuidv7(),
    orgId,
    siteId,
    hostname: `pos-${uuidv7().slice(-6)}`,
    kind: 'pos',
    ips: ['10.0.14.21'],
    macs: ['00:1a:2b:3c:4d:5e'],
    tags: ['checkout'],
    trend: [],
    status: 'online',
    health: 'ok',
    healthReasons: [],
    notes: 'as installed',
    updatedAt: OPENED_AT,
  };
  return live(document);
}

export function alert(orgId: string, siteId: string, deviceId: string = uuidv7()): StoredDocument {
  const document: Alert = {
    id: uuidv7(),
    orgId,
    siteId,
    deviceId,
    rule: 'disk.free',
    severity: 'warning',
    message: 'C: has 4% free',
    status: 'open',
    openedAt: OPENED_AT,
    updatedAt: OPENED_AT,
  };
  return live(document);
}

export const STEP_1 = '0190f3a1-0000-7000-8000-0000000000a1';
export const STEP_2 = '0190f3a1-0000-7000-8000-0000000000a2';

export function runbook(orgId: string, status: Runbook['status'], approvedBy?: string): StoredDocument {
  const document: Runbook = {
    id: uuidv7(),
    orgId,
    title: 'Printer offline',
    summary: 'Bring a receipt printer back.',
    tags: ['printer'],
    appliesTo: { deviceKinds: ['printer'], tags: [], siteIds: [] },
    steps: [
      { id: STEP_1, instruction: 'Check the power and the cable.' },
      { id: STEP_2, instruction: 'Print a test page.' },
    ],
    status,
    version: 1,
    ...(approvedBy === undefined ? {} : { approvedBy, approvedAt: OPENED_AT }),
    updatedAt: OPENED_AT,
  };
  return live(document);
}

export function stepResult(by: string, stepId = STEP_1): Run['stepResults'][number] {
  return { id: uuidv7(), stepId, result: 'done', by, at: now() };
}

export function run(orgId: string, siteId: string, runbookId: string, startedBy: string, stepResults: Run['stepResults'] = []): StoredDocument {
  const document: Run = {
    id: uuidv7(),
    orgId,
    siteId,
    runbookId,
    runbookVersion: 1,
    startedBy,
    startedAt: OPENED_AT,
    stepResults,
    updatedAt: OPENED_AT,
  };
  return live(document);
}

export function decision(by: string, text = 'Approved budget for the mitigation plan.'): Risk['decisions'][number] {
  return { id: uuidv7(), at: now(), by, decision: text };
}

export function risk(orgId: string, decisions: Risk['decisions'] = []): StoredDocument {
  const document: Risk = {
    id: uuidv7(),
    orgId,
    title: 'Backups not tested for restore',
    description: 'No full restore has been tested this year.',
    category: 'data',
    likelihood: 4,
    impact: 3,
    score: 12,
    treatment: 'mitigate',
    mitigations: [],
    status: 'open',
    nextReviewAt: '2026-03-01T08:00:00.000Z',
    links: { deviceIds: [], siteIds: [], runbookIds: [], incidentIds: [] },
    decisions,
    updatedAt: OPENED_AT,
  };
  return live(document);
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** A risk acceptance signed by `approvedBy` now, running `forMs` from now (negative: already expired). */
export function acceptance(approvedBy: string, forMs: number): NonNullable<Risk['acceptance']> {
  const now = Date.now();
  return { approvedBy, approvedAt: new Date(now - Math.max(0, -forMs) - DAY_MS).toISOString(), until: new Date(now + forMs).toISOString() };
}

export function incident(orgId: string, siteId: string, openedBy: string): StoredDocument {
  const document: Incident = {
    id: uuidv7(),
    orgId,
    siteId,
    title: 'Tills offline',
    summary: 'Both tills lost the network.',
    severity: 'sev3',
    status: 'triage',
    deviceIds: [],
    alertIds: [],
    runIds: [],
    openedBy,
    openedAt: OPENED_AT,
    updatedAt: OPENED_AT,
  };
  return live(document);
}

export function timelineEntry(orgId: string, siteId: string, by: string, incidentId: string = uuidv7()): StoredDocument {
  const document: TimelineEntry = {
    id: uuidv7(),
    orgId,
    siteId,
    incidentId,
    at: now(),
    by,
    kind: 'note',
    text: 'Restarted the switch.',
    updatedAt: OPENED_AT,
  };
  return live(document);
}

export function userEntry(orgId: string, userId: string, role: UserEntry['role'] = 'staff'): StoredDocument {
  const document: UserEntry = {
    id: uuidv7(),
    orgId,
    userId,
    name: 'Sam Store',
    email: `sam.${uuidv7().slice(-6)}@outpost.test`,
    role,
    siteIds: [],
    updatedAt: OPENED_AT,
  };
  return live(document);
}

/** A real Yjs update that inserts `text`. */
export function yjsInsert(text: string): string {
  const doc = new Y.Doc();
  textOf(doc).insert(0, text);
  return encodeUpdate(Y.encodeStateAsUpdate(doc));
}

/** An update of a runbook's text: organization-wide, no site. */
export function runbookText(orgId: string, runbookId: string, text = 'Check the paper roll first.'): StoredDocument {
  const document: DocUpdate = { id: uuidv7(), orgId, targetCollection: 'runbooks', targetId: runbookId, field: 'body', update: yjsInsert(text), updatedAt: OPENED_AT };
  return live(document);
}

/** An update of an incident's review, at the incident's site. */
export function incidentReview(orgId: string, siteId: string, incidentId: string, text = 'Root cause: a failed switch port.'): StoredDocument {
  const document: DocUpdate = { id: uuidv7(), orgId, siteId, targetCollection: 'incidents', targetId: incidentId, field: 'review', update: yjsInsert(text), updatedAt: OPENED_AT };
  return live(document);
}

let versionNumber = 1;

/** A frozen version of a runbook, under its derived id; each call takes a new number. */
export async function runbookVersion(orgId: string, runbookId: string, approvedBy: string, version = ++versionNumber): Promise<StoredDocument> {
  return versionDocument(await runbookVersionId(runbookId, version), orgId, runbookId, approvedBy, version);
}

export function versionDocument(id: string, orgId: string, runbookId: string, approvedBy: string, version: number): StoredDocument {
  const document: RunbookVersion = {
    id,
    orgId,
    runbookId,
    version,
    title: 'Printer offline',
    summary: 'Bring a receipt printer back.',
    tags: ['printer'],
    steps: [{ id: STEP_1, instruction: 'Check the power and the cable.' }],
    body: 'Check the paper roll first.',
    approvedBy,
    approvedAt: OPENED_AT,
    updatedAt: OPENED_AT,
  };
  return live(document);
}
