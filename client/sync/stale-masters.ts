import { isDeepEqual } from '../../shared/merge/canonical.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import { findAssumedMasters, readPushedStates, type MetaInstance } from './replication-meta.ts';

/**
 * Drops the master states that arrive after this replica learnt the server had moved past them.
 * A pull page fetched, or a stream message sent, before this replica's push was answered can be
 * stored after it; RxDB's downstream writes any master into a document with nothing left to
 * push, so the person would see their acknowledged value go back to the older one (and their
 * next edit start from it). The states known to be replaced are those this replica's pushes
 * went out on (the server then answered with something else), and the master a conflict answer
 * named once the replica's assumed master has moved on from that push's base. A state equal to
 * the current assumed master is never dropped.
 */
export async function withoutStaleMasters<T extends { id: string }>(meta: MetaInstance | undefined, documents: T[]): Promise<T[]> {
  if (!meta || documents.length === 0) return documents;
  const ids = documents.map((document) => document.id);
  const [pushed, assumed] = await Promise.all([readPushedStates(meta, ids), findAssumedMasters(meta, ids)]);
  return documents.filter((document) => {
    const known = pushed.get(document.id);
    const master = assumed.get(document.id);
    if (!known?.row || !master) return true;
    const current = withoutLocalFields(master);
    const incoming = withoutLocalFields(document as Record<string, unknown>);
    if (isDeepEqual(current, incoming)) return true;
    const answered = known.answered;
    const replaced = [known.base, answered?.on, answered && !isDeepEqual(answered.on, current) ? answered.master : undefined];
    return !replaced.some((state) => state !== undefined && isDeepEqual(state, incoming));
  });
}
