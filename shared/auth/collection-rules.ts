import { RISK_ACCEPTANCE_MAX_DAYS, isAcceptanceExpired, latestAcceptanceUntil } from '../risk/acceptance.ts';
import type { CollectionName } from '../schema/collections.ts';
import type { Role } from '../schema/user.ts';
import { appendOnlyViolation, type AppendOnlyViolation } from './changes.ts';
import type { Actor } from './membership.ts';
import { isAtLeast } from './roles.ts';
import { ALLOWED, deny, type Denial, type DocumentState, type WriteContext, type WriteDecision } from './write.ts';

/** One write, already inside the actor's organization and sites. */
export interface WriteRequest {
  actor: Actor;
  /** The actor's role in the document's organization. */
  role: Role;
  /** The live document replaced; undefined for a create (a restored tombstone is judged as new). */
  before: DocumentState | undefined;
  after: DocumentState;
  /** Content fields whose value changed (bookkeeping fields left out); every set field for a create. */
  changed: readonly string[];
  context: WriteContext;
  /** Whether the actor may edit another document (as stored): for rights that follow a parent's. */
  mayEdit(collection: CollectionName, document: DocumentState): WriteDecision;
}

export interface CollectionRules {
  create(request: WriteRequest): WriteDecision;
  /** Also judges any fields a delete changes along with its tombstone. */
  update(request: WriteRequest): WriteDecision;
  /** Who may delete; the tombstone's changed fields then go through `update`. */
  delete(request: WriteRequest): WriteDecision;
}

// ---------------------------------------------------------------------------------------------
// Building blocks: each check answers a denial, or undefined to go on.

type Check = (request: WriteRequest) => Denial | undefined;

const nobody = (reason: string) => (): WriteDecision => deny(reason);

/** Allowed from `minimum` up, once the extra checks pass. */
function atLeast(minimum: Role, reason: string | ((role: Role) => string), ...checks: Check[]) {
  return (request: WriteRequest): WriteDecision => {
    if (!isAtLeast(request.role, minimum)) return deny(typeof reason === 'string' ? reason : reason(request.role));
    return firstDenial(request, checks) ?? ALLOWED;
  };
}

/** Allowed for every role, once the extra checks pass. */
const anyone = (...checks: Check[]) => atLeast('staff', '', ...checks);

function firstDenial(request: WriteRequest, checks: readonly Check[]): Denial | undefined {
  for (const check of checks) {
    const denial = check(request);
    if (denial !== undefined) return denial;
  }
  return undefined;
}

/** The first changed field outside `owned`. */
function onlyFields(request: WriteRequest, owned: ReadonlySet<string>, reason: (field: string) => string): Denial | undefined {
  const field = request.changed.find((f) => !owned.has(f));
  return field === undefined ? undefined : deny(reason(field), field);
}

/** Attribution cannot be forged: a `field` that is required to name the writer. */
function mustBeActor(field: string): Check {
  return (request) => (request.after[field] === request.actor.userId ? undefined : deny(`${field} must be you`, field));
}

/** Attribution cannot be forged: when `field` changes to a value, that value is the writer. */
function setOnlyToActor(field: string): Check {
  return (request) => {
    if (!request.changed.includes(field)) return undefined;
    const value = request.after[field];
    return value === undefined || value === request.actor.userId ? undefined : deny(`${field} must be you`, field);
  };
}

function appendOnly(field: string, noun: string): Check {
  const reasons: Record<AppendOnlyViolation, string> = {
    malformed: `each of the ${noun} needs an id`,
    removed: `${noun} are append-only: earlier ones cannot be removed`,
    changed: `${noun} are append-only: earlier ones cannot be changed`,
    'not-by-author': `new ${noun} must be recorded by you`,
  };
  return (request) => {
    const violation = appendOnlyViolation(request.before?.[field], request.after[field], request.actor.userId);
    return violation === undefined ? undefined : deny(reasons[violation], field);
  };
}

// ---------------------------------------------------------------------------------------------
// Alerts: staff acknowledge; technicians and up handle them.

const STAFF_ALERT_FIELDS: ReadonlySet<string> = new Set(['status', 'acknowledgedAt', 'acknowledgedBy', 'incidentId']);

const staffAcknowledgeOnly: Check = (request) => {
  if (request.role !== 'staff') return undefined;
  const outside = onlyFields(request, STAFF_ALERT_FIELDS, () => 'staff can only acknowledge alerts and link them to incidents');
  if (outside !== undefined) return outside;
  const isAcknowledging = request.before?.['status'] === 'open' && request.after['status'] === 'acknowledged';
  return request.changed.includes('status') && !isAcknowledging ? deny('staff can only acknowledge an open alert', 'status') : undefined;
};

const alertAttribution = [setOnlyToActor('acknowledgedBy'), setOnlyToActor('resolvedBy')];

// ---------------------------------------------------------------------------------------------
// Runbooks: technicians write drafts and submit them for review; managers and admins approve.

const TECHNICIAN_RUNBOOK_STATUSES: ReadonlySet<unknown> = new Set(['draft', 'in_review']);
const APPROVAL_FIELDS = ['approvedBy', 'approvedAt'] as const;

function technicianStatusDenial(status: unknown): Denial | undefined {
  if (TECHNICIAN_RUNBOOK_STATUSES.has(status)) return undefined;
  if (status === 'approved') return deny('only managers and admins approve runbooks', 'status');
  if (status === 'retired') return deny('only managers and admins retire runbooks', 'status');
  return deny('technicians can only set a runbook to draft or in review', 'status');
}

const technicianDraftsOnly: Check = (request) => {
  if (request.role !== 'technician') return undefined;
  if (request.before !== undefined && !TECHNICIAN_RUNBOOK_STATUSES.has(request.before['status'])) {
    return deny('technicians can edit only draft or in-review runbooks', 'status');
  }
  const approval = APPROVAL_FIELDS.find((field) => request.changed.includes(field));
  return technicianStatusDenial(request.after['status']) ?? (approval === undefined ? undefined : deny('only managers and admins approve runbooks', approval));
};

/** Whoever makes a runbook approved signs the approval, and nobody signs in someone else's name. */
const approvalSignedByActor: Check = (request) => {
  const becomesApproved = request.after['status'] === 'approved' && request.before?.['status'] !== 'approved';
  const signerChanged = request.changed.includes('approvedBy') && request.after['approvedBy'] !== undefined;
  return (becomesApproved || signerChanged) && request.after['approvedBy'] !== request.actor.userId
    ? deny('approvedBy must be you', 'approvedBy')
    : undefined;
};

/** What an approval vouches for is everything but the approval itself. */
const APPROVAL_FIELDS_AND_STATUS: ReadonlySet<string> = new Set(['status', 'version', ...APPROVAL_FIELDS]);

/**
 * An approved runbook shows its approver and version: its content cannot change under them. The
 * change returns it to draft (or review), or is approved at once as a new version signed by the
 * writer (what an offline edit-and-approve pushes).
 */
const approvedContentFrozen: Check = (request) => {
  if (request.before?.['status'] !== 'approved' || request.after['status'] !== 'approved') return undefined;
  const field = request.changed.find((f) => !APPROVAL_FIELDS_AND_STATUS.has(f));
  if (field === undefined) return undefined;
  const isApprovedAgain = request.changed.includes('version') && request.after['approvedBy'] === request.actor.userId;
  return isApprovedAgain ? undefined : deny('an approved runbook cannot change: return it to draft to edit it, then approve it again', field);
};

const deleteDraftsOnly: Check = (request) =>
  request.role === 'technician' && request.before?.['status'] !== 'draft' ? deny('technicians can delete only draft runbooks', 'status') : undefined;

// ---------------------------------------------------------------------------------------------
// Runs: anyone may run what they may see, and record results; the record itself is fixed.

const RUN_PROGRESS_FIELDS: ReadonlySet<string> = new Set(['stepResults', 'finishedAt', 'outcome', 'incidentId']);
const RUN_PROGRESS_AND_DEVICE_FIELDS: ReadonlySet<string> = new Set([...RUN_PROGRESS_FIELDS, 'deviceId']);

const runbookAvailable: Check = (request) => {
  const runbookId = request.after['runbookId'];
  const runbook = typeof runbookId === 'string' ? request.context.runbooks.get(runbookId) : undefined;
  if (runbook === undefined || runbook.orgId !== request.after.orgId) {
    return deny('this runbook does not exist in the organization', 'runbookId');
  }
  return request.role === 'staff' && runbook.status !== 'approved' ? deny('staff can run only approved runbooks', 'runbookId') : undefined;
};

const runProgressOnly: Check = (request) => {
  const owned = isAtLeast(request.role, 'technician') ? RUN_PROGRESS_AND_DEVICE_FIELDS : RUN_PROGRESS_FIELDS;
  return onlyFields(request, owned, (field) =>
    field === 'deviceId' ? 'staff cannot change the device of a run' : `${field} of a run cannot change once it has started`,
  );
};

const stepResultsAppendOnly = appendOnly('stepResults', 'step results');

// ---------------------------------------------------------------------------------------------
// Runbook versions: frozen at approval, by the approver. A run names its version by number.

const VERSIONS_FROZEN = 'approved versions are frozen: approve the runbook again to make a new version';

/** A version written offline may reach the server before its runbook does: only a known runbook of another organization is refused. */
const versionOfOwnRunbook: Check = (request) => {
  const runbookId = request.after['runbookId'];
  const runbook = typeof runbookId === 'string' ? request.context.runbooks.get(runbookId) : undefined;
  return runbook !== undefined && runbook.orgId !== request.after.orgId ? deny('this runbook does not exist in the organization', 'runbookId') : undefined;
};

/** One document per runbook and number: two approvals of the same version cannot both stand. */
const versionIdDerived: Check = (request) => {
  const expected = request.context.runbookVersionIds?.get(`${String(request.after['runbookId'])}/${String(request.after['version'])}`);
  return expected === undefined || expected === request.after.id ? undefined : deny('a runbook version has the id runbookVersionId(runbookId, version)', 'id');
};

// ---------------------------------------------------------------------------------------------
// Collaborative text: a Yjs update is written by whoever may edit its parent, and never changes.

const PARENT_NOUNS: Record<string, string> = { runbooks: 'runbook', incidents: 'incident' };
const UPDATES_IMMUTABLE = 'text updates are immutable: an edit is a new update';
const UPDATES_COMPACTED_BY_SERVER = 'only the server removes text updates, when it compacts them into a snapshot';

/**
 * The same right as editing the runbook or incident. A parent the server has not received yet
 * (created offline, its push still on the way) is judged as a new one: technicians and up.
 */
const mayEditParent: Check = (request) => {
  const collection = request.after['targetCollection'];
  if (collection !== 'runbooks' && collection !== 'incidents') return deny('targetCollection must be runbooks or incidents', 'targetCollection');
  const noun = PARENT_NOUNS[collection] ?? collection;
  const parent = request.context.collabParents?.get(String(request.after['targetId']));
  if (parent === undefined) return isAtLeast(request.role, 'technician') ? undefined : deny(`staff cannot edit the text of a ${noun}`, 'targetId');
  if (parent.orgId !== request.after.orgId) return deny(`this ${noun} does not exist in the organization`, 'targetId');
  if (parent._deleted) return deny(`this ${noun} was deleted`, 'targetId');
  const decision = request.mayEdit(collection, parent);
  if (!decision.allowed) return deny(`you cannot edit this ${noun}: ${decision.reason}`, 'targetId');
  const siteId = collection === 'incidents' ? parent.siteId : undefined;
  if (request.after.siteId === siteId) return undefined;
  return deny(siteId === undefined ? "a runbook's text has no siteId" : "siteId must be the incident's site", 'siteId');
};

// ---------------------------------------------------------------------------------------------
// Risks, incidents, timeline, users.

const riskRegisterDenial = (role: Role) =>
  role === 'staff' ? 'staff have no access to the risk register' : 'only managers and admins edit the risk register';
const decisionsAppendOnly = appendOnly('decisions', 'decisions');

function acceptanceOf(document: DocumentState): { approvedBy?: unknown; until?: unknown } | undefined {
  const acceptance = document['acceptance'];
  return typeof acceptance === 'object' && acceptance !== null ? (acceptance as Record<string, unknown>) : undefined;
}

/**
 * Whoever records (or changes) an acceptance signs it, and it runs at most the configured time
 * from now (the server's clock): an acceptance "until 2099" accepts nothing.
 */
const acceptanceSignedAndBounded: Check = (request) => {
  const acceptance = acceptanceOf(request.after);
  if (!request.changed.includes('acceptance') || acceptance === undefined) return undefined;
  if (acceptance.approvedBy !== request.actor.userId) return deny('acceptance.approvedBy must be you', 'acceptance');
  const maxDays = request.context.riskAcceptanceMaxDays ?? RISK_ACCEPTANCE_MAX_DAYS;
  const until = typeof acceptance.until === 'string' ? Date.parse(acceptance.until) : Number.NaN;
  return until <= latestAcceptanceUntil(request.context.now ?? Date.now(), maxDays)
    ? undefined
    : deny(`an acceptance can run at most ${maxDays} days: choose an earlier end, and review the risk again then`, 'acceptance');
};

/** An expired acceptance reopened the risk: accepting it again takes a new acceptance. */
const acceptedOnlyWhileAcceptanceRuns: Check = (request) => {
  const isBecomingAccepted = request.after['status'] === 'accepted' && request.changed.includes('status');
  const acceptance = acceptanceOf(request.after);
  const until = acceptance === undefined ? undefined : { until: String(acceptance.until) };
  return isBecomingAccepted && isAcceptanceExpired({ acceptance: until }, request.context.now ?? Date.now())
    ? deny('the acceptance has expired: record a new acceptance to accept the risk again', 'status')
    : undefined;
};

const TIMELINE_APPEND_ONLY = 'timeline entries are append-only';
const USERS_ELSEWHERE = 'user accounts are managed through the administration API';

/** The role rules of each collection (DESIGN.md, Security). Admins can do all that is not "nobody". */
export const COLLECTION_RULES: Record<CollectionName, CollectionRules> = {
  orgs: {
    create: nobody('organizations are created by the server operator'),
    update: atLeast('admin', 'only admins edit the organization'),
    delete: nobody('organizations are deleted by the server operator'),
  },
  sites: {
    create: atLeast('admin', 'only admins add sites'),
    update: atLeast('admin', 'only admins edit sites'),
    delete: atLeast('admin', 'only admins delete sites'),
  },
  devices: {
    create: atLeast('technician', 'staff have read-only access to devices'),
    update: atLeast('technician', 'staff have read-only access to devices'),
    delete: atLeast('technician', 'staff have read-only access to devices'),
  },
  alerts: {
    create: atLeast('technician', 'staff cannot raise alerts', ...alertAttribution),
    update: anyone(staffAcknowledgeOnly, ...alertAttribution),
    delete: atLeast('manager', 'only managers and admins delete alerts'),
  },
  runbooks: {
    create: atLeast('technician', 'staff have read-only access to runbooks', technicianDraftsOnly, approvalSignedByActor),
    update: atLeast('technician', 'staff have read-only access to runbooks', technicianDraftsOnly, approvalSignedByActor, approvedContentFrozen),
    delete: atLeast('technician', 'staff have read-only access to runbooks', deleteDraftsOnly),
  },
  runs: {
    create: anyone(runbookAvailable, mustBeActor('startedBy'), stepResultsAppendOnly),
    update: anyone(runProgressOnly, stepResultsAppendOnly),
    delete: atLeast('manager', 'only managers and admins delete runs'),
  },
  risks: {
    create: atLeast('manager', riskRegisterDenial, decisionsAppendOnly, acceptanceSignedAndBounded, acceptedOnlyWhileAcceptanceRuns),
    update: atLeast('manager', riskRegisterDenial, decisionsAppendOnly, acceptanceSignedAndBounded, acceptedOnlyWhileAcceptanceRuns),
    delete: atLeast('manager', riskRegisterDenial),
  },
  incidents: {
    create: anyone(mustBeActor('openedBy')),
    update: atLeast('technician', 'staff can open incidents but not edit them'),
    delete: atLeast('manager', 'only managers and admins delete incidents'),
  },
  timeline: {
    create: anyone(mustBeActor('by')),
    update: nobody(TIMELINE_APPEND_ONLY),
    delete: nobody(TIMELINE_APPEND_ONLY),
  },
  users: {
    create: nobody(USERS_ELSEWHERE),
    update: nobody(USERS_ELSEWHERE),
    delete: nobody(USERS_ELSEWHERE),
  },
  runbook_versions: {
    create: atLeast('manager', 'only managers and admins approve runbooks', mustBeActor('approvedBy'), versionOfOwnRunbook, versionIdDerived),
    update: nobody(VERSIONS_FROZEN),
    delete: nobody(VERSIONS_FROZEN),
  },
  doc_updates: {
    create: anyone(mayEditParent),
    update: nobody(UPDATES_IMMUTABLE),
    delete: nobody(UPDATES_COMPACTED_BY_SERVER),
  },
};
