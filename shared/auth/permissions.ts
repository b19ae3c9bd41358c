import { COLLECTIONS, type CollectionName } from '../schema/collections.ts';
import type { Role } from '../schema/user.ts';
import { changedFields } from './changes.ts';
import { COLLECTION_RULES, type WriteRequest } from './collection-rules.ts';
import { membershipFor, reachesSite, type Actor, type Membership } from './membership.ts';
import { isAtLeast } from './roles.ts';
import { addedReferences, referenceKey } from './references.ts';
import { deny, writeKind, type Denial, type DocumentState, type WriteContext, type WriteDecision, type WriteKind } from './write.ts';

export type { Actor, Membership } from './membership.ts';
export type { DocumentState, WriteContext, WriteDecision, WriteKind } from './write.ts';
export { membershipFor, reachesSite } from './membership.ts';
export { writeKind } from './write.ts';
export { REFERENCES, allReferencedIds, referenceKey, type ReferencedDocument } from './references.ts';

/** The least role that may read each collection; the sync pull and stream filter by it. */
const READ_MINIMUM: Record<CollectionName, Role> = {
  orgs: 'staff',
  sites: 'staff',
  devices: 'staff',
  alerts: 'staff',
  runbooks: 'staff',
  runs: 'staff',
  risks: 'technician',
  incidents: 'staff',
  timeline: 'staff',
  users: 'staff',
  runbook_versions: 'staff',
  doc_updates: 'staff',
};

export function canRead(role: Role, collection: CollectionName): boolean {
  return isAtLeast(role, READ_MINIMUM[collection]);
}

/**
 * Whether the actor may replace `before` (what the server holds, if anything) with `after`.
 * First the tenant and site boundary, then the rules of the collection for the actor's role.
 */
export function authorizeWrite(input: {
  actor: Actor;
  collection: CollectionName;
  before: DocumentState | undefined;
  after: DocumentState;
  context: WriteContext;
}): WriteDecision {
  const { actor, collection, before, after, context } = input;
  const membership = membershipFor(actor, after.orgId);
  if (membership === undefined) return deny('you are not a member of this organization', 'orgId');
  if (before !== undefined && before.orgId !== after.orgId) return deny('a document cannot move to another organization', 'orgId');
  if (before !== undefined && before.id !== after.id) return deny('a document keeps its id', 'id');
  const outside = COLLECTIONS[collection].isSiteScoped ? siteDenial(collection, membership, before, after) : undefined;
  if (outside !== undefined) return outside;

  const kind = writeKind(before, after);
  // A restored tombstone is judged as a new document first: its old content grants nothing.
  const live = kind === 'create' ? undefined : before;
  const request: WriteRequest = {
    actor,
    role: membership.role,
    before: live,
    after,
    changed: changedFields(live, after),
    context,
    // "May edit it" is an edit that changes nothing: every boundary and role rule, no field rule.
    mayEdit: (parentCollection, parent) => authorizeWrite({ actor, collection: parentCollection, before: parent, after: parent, context }),
  };
  const decision = ruleDecision(collection, kind, request, before);
  // References are judged against what the server holds, a tombstone too: its links were judged when written.
  return decision.allowed ? (referenceDenial(collection, membership, before, after, context) ?? decision) : decision;
}

function ruleDecision(collection: CollectionName, kind: WriteKind, request: WriteRequest, before: DocumentState | undefined): WriteDecision {
  const rules = COLLECTION_RULES[collection];
  if (kind === 'create') {
    const created = rules.create(request);
    if (created.allowed || before === undefined) return created;
    // The merge lets an edit beat a concurrent delete, so an edit can arrive as a restore: it
    // stands when the writer could have made it to the document as it was before the deletion.
    const asEdit = rules.update({ ...request, before, changed: changedFields(before, request.after) });
    return asEdit.allowed ? asEdit : created;
  }
  if (kind === 'update') return rules.update(request);
  const deletion = rules.delete(request);
  // A tombstone normally carries the last content unchanged; any change in it is an update too.
  return deletion.allowed && request.changed.length > 0 ? rules.update(request) : deletion;
}

const NOUNS: Record<CollectionName, string> = {
  orgs: 'organization', sites: 'site', devices: 'device', alerts: 'alert', runbooks: 'runbook', runs: 'run', risks: 'risk',
  incidents: 'incident', timeline: 'timeline entry', users: 'user', runbook_versions: 'runbook version', doc_updates: 'text update',
};

/**
 * Every document a write newly refers to must be one the writer may read: of the same
 * organization and, where it has a site, at one of the writer's sites. Otherwise staff could
 * append to, or link their alerts to, incidents at sites they cannot see.
 */
function referenceDenial(collection: CollectionName, membership: Membership, before: DocumentState | undefined, after: DocumentState, context: WriteContext): Denial | undefined {
  for (const { reference, id } of addedReferences(collection, before, after)) {
    const target = context.references?.get(referenceKey(reference.collection, id));
    if (target === undefined) continue;
    const noun = NOUNS[reference.collection];
    const field = reference.path.join('.');
    if (target.orgId !== after.orgId) return deny(`this ${noun} does not exist in the organization`, field);
    if (COLLECTIONS[reference.collection].isSiteScoped && !reachesSite(membership, target.siteId)) return deny(`this ${noun} is at a site outside yours`, field);
    if (reference.isSameSite === true && target.siteId !== after.siteId) return deny(`siteId must be the ${noun}'s site`, 'siteId');
  }
  return undefined;
}

/**
 * Both where the document was and where it goes must be within the actor's sites. A document of
 * a site-scoped collection without a site (only where its schema allows it: a runbook's text)
 * belongs to the whole organization, as the store's scope treats it; its rules decide alone.
 */
function siteDenial(collection: CollectionName, membership: Membership, before: DocumentState | undefined, after: DocumentState): Denial | undefined {
  if (collection === 'sites' && after.siteId !== after.id) return deny("a site's siteId must be its own id", 'siteId');
  const reaches = (document: DocumentState) => document.siteId === undefined || reachesSite(membership, document.siteId);
  const isReachable = reaches(after) && (before === undefined || reaches(before));
  return isReachable ? undefined : deny('outside your sites', 'siteId');
}
