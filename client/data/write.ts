import * as v from 'valibot';
import { authorizeWrite, type DocumentState } from '../../shared/auth/permissions.ts';
import { COLLECTIONS, type CollectionName, type EntityOf } from '../../shared/schema/collections.ts';
import { actorOf } from '../app/session.ts';
import type { Replica } from '../app/replica.ts';
import { STORAGE_FULL_MESSAGE, isQuotaError } from './storage-errors.ts';

/** Field path ("steps.2.instruction") → what is wrong with it, shown beside the field. */
export type FieldErrors = Record<string, string>;
export type SaveResult = { ok: true } | { ok: false; message: string; errors: FieldErrors };

class Refused extends Error {
  constructor(readonly result: Extract<SaveResult, { ok: false }>) {
    super(result.message);
  }
}

/** RxDB's own fields (`_rev`, `_meta`, `_deleted`…) are not part of the entity. */
function entityFields(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith('_')));
}

const asState = (entity: unknown, isDeleted: boolean): DocumentState => ({ ...(entity as DocumentState), _deleted: isDeleted });

/** Validates with the shared schema and the shared role rules, as the server will. */
async function check<C extends CollectionName>(replica: Replica, collection: C, before: DocumentState | undefined, after: Record<string, unknown>): Promise<EntityOf<C>> {
  const parsed = v.safeParse(COLLECTIONS[collection].schema, after);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.issues) errors[v.getDotPath(issue) ?? ''] ??= issue.message;
    const first = Object.entries(errors)[0];
    throw new Refused({ ok: false, message: first ? `${first[0] || 'document'} ${first[1]}` : 'invalid', errors });
  }
  const runbooks = new Map<string, { orgId: string; status: string }>();
  if (collection === 'runs') {
    const runbook = await replica.db.runbooks.findOne(String(after['runbookId'])).exec();
    if (runbook) runbooks.set(runbook.id, { orgId: runbook.orgId, status: runbook.status });
  }
  const decision = authorizeWrite({
    actor: actorOf(replica.user),
    collection,
    before,
    after: asState(parsed.output, after['_deleted'] === true),
    context: { runbooks },
  });
  if (!decision.allowed) {
    throw new Refused({ ok: false, message: `Not allowed: ${decision.reason}`, errors: decision.field ? { [decision.field]: decision.reason } : {} });
  }
  return parsed.output as EntityOf<C>;
}

async function settle(work: () => Promise<void>): Promise<SaveResult> {
  try {
    await work();
    return { ok: true };
  } catch (error) {
    if (error instanceof Refused) return error.result;
    // A storage failure (quota, a closed database) must be said, never swallowed.
    if (isQuotaError(error)) return { ok: false, message: STORAGE_FULL_MESSAGE, errors: {} };
    return { ok: false, message: `Could not save on this device: ${error instanceof Error ? error.message : String(error)}`, errors: {} };
  }
}

const now = () => new Date().toISOString();

export function createDocument<C extends CollectionName>(replica: Replica, collection: C, draft: Omit<EntityOf<C>, 'updatedAt'>): Promise<SaveResult> {
  return settle(async () => {
    const document = await check(replica, collection, undefined, { ...draft, updatedAt: now() });
    const stored = await replica.db.collections[collection].insert(document as never);
    replica.pending.add(collection, document.id, document.updatedAt, stored.revision);
  });
}

/**
 * Applies `change` to the latest local state, so a pull that lands meanwhile is never
 * overwritten by a stale copy (only the fields `change` sets are replaced).
 */
export function updateDocument<C extends CollectionName>(replica: Replica, collection: C, id: string, change: (current: EntityOf<C>) => EntityOf<C>): Promise<SaveResult> {
  return settle(async () => {
    const document = await replica.db.collections[collection].findOne(id).exec();
    if (!document) throw new Refused({ ok: false, message: 'This record is no longer on this device.', errors: {} });
    let written: EntityOf<C> | undefined;
    const stored = await document.incrementalModify(async (stored) => {
      const data = stored as unknown as Record<string, unknown>;
      const current = entityFields(data) as EntityOf<C>;
      const before = asState(current, false);
      written = await check(replica, collection, before, { ...(change(structuredClone(current)) as Record<string, unknown>), updatedAt: now() });
      // Only RxDB's own fields carry over: an optional field `change` dropped stays dropped.
      const internal = Object.fromEntries(Object.entries(data).filter(([key]) => key.startsWith('_')));
      return { ...internal, ...written } as never;
    });
    if (written) replica.pending.add(collection, id, written.updatedAt, stored.revision);
  });
}

export function deleteDocument(replica: Replica, collection: CollectionName, id: string): Promise<SaveResult> {
  return settle(async () => {
    const document = await replica.db.collections[collection].findOne(id).exec();
    if (!document) return;
    const current = entityFields(document.toMutableJSON() as Record<string, unknown>);
    const updatedAt = now();
    await check(replica, collection, asState(current, false), { ...current, updatedAt, _deleted: true });
    await document.incrementalPatch({ updatedAt } as never);
    const removed = await document.remove();
    replica.pending.add(collection, id, updatedAt, removed.revision);
  });
}
