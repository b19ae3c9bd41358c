import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../id/uuidv7.ts';
import type { Role } from '../schema/user.ts';
import { authorizeWrite, type DocumentState, type Membership, type WriteContext, type WriteDecision } from './permissions.ts';

/*
 * Collaborative text (doc_updates) takes its rights from the runbook or incident it edits;
 * runbook versions are frozen by their approver, one document per runbook and number.
 */

const ORG = uuidv7();
const OTHER_ORG = uuidv7();
const SITE = uuidv7();
const OTHER_SITE = uuidv7();
const USER = uuidv7();
const COLLEAGUE = uuidv7();
const T0 = '2026-03-02T08:00:00.000Z';

const DRAFT = uuidv7();
const APPROVED = uuidv7();
const DELETED = uuidv7();
const FOREIGN = uuidv7();
const INCIDENT = uuidv7();
const VERSION = uuidv7();

const live = (document: { id: string; orgId: string; siteId?: string } & Record<string, unknown>): DocumentState => ({ ...document, _deleted: false });

const CONTEXT: WriteContext = {
  runbooks: new Map([
    [APPROVED, { orgId: ORG, status: 'approved' }],
    [FOREIGN, { orgId: OTHER_ORG, status: 'approved' }],
  ]),
  runbookVersionIds: new Map([[`${APPROVED}/3`, VERSION]]),
  collabParents: new Map([
    [DRAFT, live({ id: DRAFT, orgId: ORG, status: 'draft' })],
    [APPROVED, live({ id: APPROVED, orgId: ORG, status: 'approved', approvedBy: COLLEAGUE })],
    [DELETED, { id: DELETED, orgId: ORG, status: 'draft', _deleted: true }],
    [FOREIGN, live({ id: FOREIGN, orgId: OTHER_ORG, status: 'draft' })],
    [INCIDENT, live({ id: INCIDENT, orgId: ORG, siteId: SITE, status: 'triage' })],
  ]),
};

function write(role: Role, collection: 'doc_updates' | 'runbook_versions', after: DocumentState, siteIds: Membership['siteIds'] = 'all'): WriteDecision {
  const actor = { userId: USER, memberships: [{ orgId: ORG, role, siteIds }, { orgId: OTHER_ORG, role, siteIds: 'all' as const }] };
  return authorizeWrite({ actor, collection, before: undefined, after, context: CONTEXT });
}

const runbookText = (targetId: string, extra: Record<string, unknown> = {}): DocumentState =>
  live({ id: uuidv7(), orgId: ORG, updatedAt: T0, targetCollection: 'runbooks', targetId, field: 'body', update: 'AQID', ...extra });
const review = (siteId: string | undefined): DocumentState =>
  live({ id: uuidv7(), orgId: ORG, updatedAt: T0, targetCollection: 'incidents', targetId: INCIDENT, field: 'review', update: 'AQID', ...(siteId ? { siteId } : {}) });

const ALLOW = { allowed: true };

describe('the text of a runbook', () => {
  it('is written by whoever may edit the runbook: technicians on a draft, managers on an approved one', () => {
    expect(write('technician', 'doc_updates', runbookText(DRAFT))).toEqual(ALLOW);
    expect(write('technician', 'doc_updates', runbookText(APPROVED))).toMatchObject({ allowed: false, field: 'targetId' });
    expect(write('manager', 'doc_updates', runbookText(APPROVED))).toEqual(ALLOW);
  });

  it('is never written by staff, even for a runbook the server has not received yet', () => {
    expect(write('staff', 'doc_updates', runbookText(DRAFT))).toMatchObject({ allowed: false, field: 'targetId' });
    expect(write('staff', 'doc_updates', runbookText(uuidv7()))).toMatchObject({ allowed: false, field: 'targetId' });
  });

  it('may reach the server before its runbook: judged as the text of a new draft', () => {
    expect(write('technician', 'doc_updates', runbookText(uuidv7()))).toEqual(ALLOW);
  });

  it('belongs to the whole organization, so a technician limited to one site writes it too', () => {
    expect(write('technician', 'doc_updates', runbookText(DRAFT), [SITE])).toEqual(ALLOW);
  });

  it('carries no site', () => {
    expect(write('manager', 'doc_updates', runbookText(DRAFT, { siteId: SITE }))).toMatchObject({ allowed: false, field: 'siteId' });
  });

  it('is refused for a deleted runbook or one of another organization', () => {
    expect(write('admin', 'doc_updates', runbookText(DELETED))).toMatchObject({ allowed: false, reason: 'this runbook was deleted' });
    expect(write('admin', 'doc_updates', runbookText(FOREIGN))).toMatchObject({ allowed: false, reason: 'this runbook does not exist in the organization' });
  });
});

describe('the review of an incident', () => {
  it("carries the incident's site and is written by technicians and up who reach it", () => {
    expect(write('technician', 'doc_updates', review(SITE), [SITE])).toEqual(ALLOW);
    expect(write('staff', 'doc_updates', review(SITE), [SITE])).toMatchObject({ allowed: false, field: 'targetId' });
  });

  it("is refused under another site than the incident's", () => {
    expect(write('manager', 'doc_updates', review(OTHER_SITE))).toMatchObject({ allowed: false, field: 'siteId' });
    expect(write('manager', 'doc_updates', review(undefined))).toMatchObject({ allowed: false, field: 'siteId' });
  });

  it("is refused to a technician outside the incident's site", () => {
    expect(write('technician', 'doc_updates', review(SITE), [OTHER_SITE])).toMatchObject({ allowed: false, field: 'siteId' });
  });
});

describe('text updates are immutable', () => {
  const update = runbookText(DRAFT);
  const actor = { userId: USER, memberships: [{ orgId: ORG, role: 'admin' as const, siteIds: 'all' as const }] };

  it('refuses every change and every deletion, even by an admin', () => {
    expect(authorizeWrite({ actor, collection: 'doc_updates', before: update, after: { ...update, update: 'BAUG' }, context: CONTEXT })).toMatchObject({ allowed: false });
    expect(authorizeWrite({ actor, collection: 'doc_updates', before: update, after: { ...update, _deleted: true }, context: CONTEXT })).toMatchObject({ allowed: false });
  });

  it('judges an update coming back over its compacted tombstone as a new one (its text is already in the snapshot)', () => {
    const tombstone = { ...update, _deleted: true };
    expect(authorizeWrite({ actor, collection: 'doc_updates', before: tombstone, after: update, context: CONTEXT })).toEqual(ALLOW);
  });
});

describe('runbook versions', () => {
  const version = (extra: Record<string, unknown> = {}): DocumentState =>
    live({ id: VERSION, orgId: ORG, updatedAt: T0, runbookId: APPROVED, version: 3, title: 'T', summary: '', tags: [], steps: [], body: '', approvedBy: USER, approvedAt: T0, ...extra });

  it('are frozen by managers and admins, in their own name', () => {
    expect(write('manager', 'runbook_versions', version())).toEqual(ALLOW);
    expect(write('technician', 'runbook_versions', version())).toMatchObject({ allowed: false });
    expect(write('admin', 'runbook_versions', version({ approvedBy: COLLEAGUE }))).toMatchObject({ allowed: false, field: 'approvedBy' });
  });

  it('have the id derived from their runbook and number', () => {
    expect(write('manager', 'runbook_versions', version({ id: uuidv7() }))).toMatchObject({ allowed: false, field: 'id' });
  });

  it('may reach the server before their runbook, but never name a runbook of another organization', () => {
    expect(write('manager', 'runbook_versions', version({ runbookId: uuidv7() }))).toEqual(ALLOW);
    expect(write('manager', 'runbook_versions', version({ runbookId: FOREIGN }))).toMatchObject({ allowed: false, field: 'runbookId' });
  });
});
