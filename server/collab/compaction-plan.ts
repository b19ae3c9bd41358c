import * as Y from 'yjs';
import { decodeUpdate, encodeUpdate } from '../../shared/collab/update-encoding.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import type { StoredDocument } from '../store/store.ts';

/** What a compacted update keeps: an empty Yjs update, so its tombstone syncs in a few bytes. */
export const EMPTY_UPDATE = encodeUpdate(Y.encodeStateAsUpdate(new Y.Doc()));

export interface CompactionPolicy {
  /** Compact once a text has this many live updates. */
  thresholdUpdates: number;
  /** Where the text's updates belong now: the incident's site (it may have moved); none for a runbook. */
  siteId: string | undefined;
  now: Date;
}

/**
 * One snapshot update holding everything the live updates hold, then their tombstones. A Y.Doc
 * garbage-collects deleted text on load (Y.mergeUpdates would keep it), and the snapshot comes
 * first so a reader who stops between the two never sees text vanish. Undefined: nothing to do.
 */
export function planCompaction(liveUpdates: readonly StoredDocument[], policy: CompactionPolicy): StoredDocument[] | undefined {
  const [first] = liveUpdates;
  if (first === undefined) return undefined;
  const isMisplaced = liveUpdates.some((u) => u.siteId !== policy.siteId);
  if (liveUpdates.length < policy.thresholdUpdates && !isMisplaced) return undefined;

  const doc = new Y.Doc();
  try {
    for (const update of liveUpdates) Y.applyUpdate(doc, decodeUpdate(String(update['update'])));
    // Updates whose dependencies never arrived stay pending in the doc; the encoding keeps them.
    const snapshot = Y.encodeStateAsUpdate(doc);
    const updatedAt = policy.now.toISOString();
    const merged: StoredDocument = {
      id: uuidv7(policy.now.getTime()),
      orgId: first.orgId,
      ...(policy.siteId === undefined ? {} : { siteId: policy.siteId }),
      targetCollection: first['targetCollection'],
      targetId: first['targetId'],
      field: first['field'],
      update: encodeUpdate(snapshot),
      updatedAt,
      _deleted: false,
    };
    const tombstones = liveUpdates.map((u): StoredDocument => ({ ...u, update: EMPTY_UPDATE, updatedAt, _deleted: true }));
    return [merged, ...tombstones];
  } finally {
    doc.destroy();
  }
}
