import type { Subscription } from 'rxjs';
import * as Y from 'yjs';
import { textOf } from '../../shared/collab/collab-text.ts';
import { decodeUpdate, encodeUpdate } from '../../shared/collab/update-encoding.ts';
import { uuidv7 } from '../../shared/id/uuidv7.ts';
import { COLLAB_FIELDS, type CollabParentCollection, type DocUpdate } from '../../shared/schema/doc-update.ts';
import type { OutpostDatabase } from '../db/database.ts';

/** The runbook (its body) or incident (its review) whose collaborative text to open. */
export interface CollabTarget {
  collection: CollabParentCollection;
  id: string;
}

export interface CollabTextOptions {
  /** Local edits are written as one update once typing pauses this long (default 300 ms)… */
  idleMs?: number;
  /** …and at the latest this long after the first unwritten edit (default 1000 ms). */
  maxDelayMs?: number;
  /** Each update document this device writes (e.g. to count it as a pending change). */
  onWrite?(update: DocUpdate): void;
  /** A write that failed (storage full, the parent not on this device): the edits stay queued. */
  onError?(error: unknown): void;
}

export interface CollabText {
  readonly doc: Y.Doc;
  /** The Markdown text; bind the editor to it (y-codemirror.next's yCollab). */
  readonly text: Y.Text;
  /** Resolves once every update stored on this device is applied: before, the text may be partial. */
  readonly loaded: Promise<void>;
  /** Writes the queued local edits now: before approving, leaving the page, or going to background. */
  flush(): Promise<void>;
  /** Flushes, stops following the database and destroys the Y.Doc. */
  close(): Promise<void>;
}

/** Every text open in this tab (an editor, a reader), so its queued keystrokes can be written on demand. */
const openTexts = new Map<string, Set<{ flush(): Promise<void> }>>();

/** Writes the typing still queued in every editor of this text in this tab (e.g. before approving it). */
export async function flushOpenTexts(target: CollabTarget): Promise<void> {
  await Promise.all([...(openTexts.get(`${target.collection}/${target.id}`) ?? [])].map((open) => open.flush()));
}

export const DEFAULT_IDLE_MS = 300;
export const DEFAULT_MAX_DELAY_MS = 1000;

/**
 * A Y.Doc bound to the replica: it applies every stored update of the text (at open and as they
 * arrive, from the server or another tab) and writes its own edits as new update documents,
 * batched while someone types. The replica is the only persistence, so an offline reload shows
 * every edit written; replication carries them like any other document.
 */
export function openCollabText(db: OutpostDatabase, target: CollabTarget, options: CollabTextOptions = {}): CollabText {
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const doc = new Y.Doc();
  const text = textOf(doc);
  // Updates applied from the replica carry this origin, so they are never written back.
  const fromReplica = Symbol('replica');
  const applied = new Set<string>();
  let queued: Uint8Array[] = [];
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let maxTimer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();
  let isClosed = false;

  const applyStored = (documents: readonly DocUpdate[]) => {
    const fresh = documents.filter((d) => !applied.has(d.id) && d.targetCollection === target.collection);
    if (fresh.length === 0) return;
    doc.transact(() => {
      for (const document of fresh) {
        applied.add(document.id);
        try {
          Y.applyUpdate(doc, decodeUpdate(document.update), fromReplica);
        } catch (error) {
          // The server refuses malformed updates; one that slipped through must not block the rest.
          options.onError?.(error);
        }
      }
    }, fromReplica);
  };

  let subscription: Subscription | undefined;
  const loaded = new Promise<void>((resolve, reject) => {
    subscription = db.doc_updates.find({ selector: { targetId: target.id } }).$.subscribe({
      next: (documents) => {
        applyStored(documents.map((d) => d.toJSON() as DocUpdate));
        resolve();
      },
      error: reject,
    });
  });

  const clearTimers = () => {
    clearTimeout(idleTimer);
    clearTimeout(maxTimer);
    idleTimer = undefined;
    maxTimer = undefined;
  };

  const write = async (): Promise<void> => {
    clearTimers();
    if (queued.length === 0) return;
    const batch = queued;
    queued = [];
    try {
      const parent = await db[target.collection].findOne(target.id).exec();
      if (!parent) throw new Error(`${target.collection} ${target.id} is not on this device`);
      const siteId = 'siteId' in parent && typeof parent.siteId === 'string' ? parent.siteId : undefined;
      const document: DocUpdate = {
        id: uuidv7(),
        orgId: parent.orgId,
        ...(target.collection === 'incidents' && siteId !== undefined ? { siteId } : {}),
        targetCollection: target.collection,
        targetId: target.id,
        field: COLLAB_FIELDS[target.collection],
        update: encodeUpdate(Y.mergeUpdates(batch)),
        updatedAt: new Date().toISOString(),
      };
      applied.add(document.id);
      await db.doc_updates.insert(document);
      options.onWrite?.(document);
    } catch (error) {
      // Nothing typed is dropped: the edits go back to the front of the queue for the next write.
      queued = [...batch, ...queued];
      options.onError?.(error);
    }
  };

  /** Writes one at a time, in order, so a slow write never reorders or duplicates edits. */
  const flush = (): Promise<void> => {
    writing = writing.then(write);
    return writing;
  };

  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === fromReplica || isClosed) return;
    queued.push(update);
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => void flush(), idleMs);
    maxTimer ??= setTimeout(() => void flush(), maxDelayMs);
  };
  doc.on('update', onUpdate);

  const key = `${target.collection}/${target.id}`;
  const registered = { flush };
  const peers = openTexts.get(key) ?? new Set();
  peers.add(registered);
  openTexts.set(key, peers);

  return {
    doc,
    text,
    loaded,
    flush,
    async close() {
      if (isClosed) return;
      peers.delete(registered);
      if (peers.size === 0) openTexts.delete(key);
      await flush();
      isClosed = true;
      clearTimers();
      subscription?.unsubscribe();
      doc.off('update', onUpdate);
      doc.destroy();
    },
  };
}
