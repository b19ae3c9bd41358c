import type { RxCollection, RxDocumentData } from 'rxdb';
import type { Checkpoint } from '../../shared/sync/checkpoint.ts';
import type { PullResponse, Replicated } from '../../shared/sync/protocol.ts';
import type { ParsedStates } from '../db/log-storage/chunk-log.ts';
import { LogStorageInstance } from '../db/log-storage/log-storage.ts';
import { isPristine, PRISTINE_LWT, pristineDocument, pristineFields } from './pristine.ts';
import type { ParsedPullPage } from './pull-page.ts';
import { checkpointAfter } from './pull-url.ts';
import { idsWithAssumedMaster, openMetaInstance, readCheckpoint, replicationHash, writeCheckpoint, type MetaInstance } from './replication-meta.ts';

export interface BulkCatchUpOptions<T> {
  collection: RxCollection<T>;
  replicationIdentifier: string;
  pageSize: number;
  /** A smaller first page gets the first write going while the big pages download. */
  firstPageSize?: number;
  /** `nextLimit`: the size of the page that will be asked for after this one. */
  pullPage(checkpoint: Checkpoint | undefined, limit: number, signal: AbortSignal, nextLimit: number): Promise<ParsedPullPage<T>>;
  /** Called once per stored page (progress). */
  onPage?(page: PullResponse<T>): void;
  signal: AbortSignal;
}

/** RxDB's checkpoint of a storage's own change order. */
interface StorageCheckpoint {
  id: string;
  lwt: number;
}

const CATCH_UP_CONTEXT = 'replication-bulk-catch-up';

export type CatchUpOutcome = 'caught-up' | 'handed-over';

/**
 * Before RxDB's replication loop starts, pulls every page that needs no merge (documents the
 * client does not have, or has unchanged since it pulled them: a first sync, a long absence)
 * and writes it straight into the collection's storage, one bulk write per page, while the next
 * page downloads. RxDB's loop spends most of a first sync on per-document bookkeeping and on
 * waiting for itself; this path does what that bookkeeping would conclude, in RxDB's formats:
 * - the documents, marked pristine (see pristine.ts), without a copy of each as its conflict base;
 * - the push checkpoint past them, so they are never taken for local changes to push;
 * - the pull checkpoint after each page, so an interrupted catch-up resumes where it stopped.
 * At the first page holding a document changed locally, it stops without moving the
 * checkpoint: RxDB's loop pulls that page again and merges it document by document.
 */
export async function bulkCatchUp<T extends { id: string }>(options: BulkCatchUpOptions<T>): Promise<CatchUpOutcome> {
  const { collection, replicationIdentifier } = options;
  const database = collection.database;
  const replication = { identifier: replicationIdentifier, hash: await replicationHash(collection, replicationIdentifier), token: database.token };
  const meta = await openMetaInstance(collection, replicationIdentifier);
  // One controller per request: a listener per page on one long-lived signal would pile up.
  let inFlight = new AbortController();
  const request = (checkpoint: Checkpoint | undefined, limit: number) => {
    inFlight = new AbortController();
    const page = options.pullPage(checkpoint, limit, inFlight.signal, options.pageSize);
    // Awaited by the loop, unless a stop ends the loop first: then its abort must not go unhandled.
    page.catch(() => undefined);
    return page;
  };
  const stopPrefetch = () => inFlight.abort();
  options.signal.addEventListener('abort', stopPrefetch);
  try {
    let checkpoint = await readCheckpoint<Checkpoint>(meta, 'down');
    await skipBulkPulledOnPush(meta, replication.token);
    let next: Promise<ParsedPullPage<T>> | undefined = request(checkpoint, options.firstPageSize ?? options.pageSize);
    while (next && !options.signal.aborted) {
      const page: ParsedPullPage<T> = await next;
      const reached = checkpointAfter(checkpoint, page.checkpoint);
      // The next page downloads while this one is written.
      next = page.remaining > 0 && page.documents.length > 0 ? request(reached, options.pageSize) : undefined;
      if (page.documents.length > 0) {
        const isAllStored = await storePristine(collection, meta, page, replication);
        if (!isAllStored) return 'handed-over';
        await writeCheckpoint(meta, 'down', reached, replication.token);
      }
      checkpoint = reached;
      options.onPage?.(page);
    }
    return 'caught-up';
  } finally {
    options.signal.removeEventListener('abort', stopPrefetch);
    inFlight.abort();
    await meta.close();
  }
}

/**
 * The push side's first position after every bulk-pulled document (they all have lwt =
 * PRISTINE_LWT): RxDB starts its scan of local changes at the checkpoint's lwt, so from here it
 * never even reads them, and no real write (lwt = now) sorts before it.
 */
const PAST_BULK_PULLED: StorageCheckpoint = { id: '', lwt: PRISTINE_LWT + 0.01 };

/** Moves the push checkpoint past every bulk-pulled document before any is written (crash-safe). */
async function skipBulkPulledOnPush(meta: MetaInstance, token: string): Promise<void> {
  const current = await readCheckpoint<StorageCheckpoint>(meta, 'up');
  if (current && current.lwt > PRISTINE_LWT) return;
  await writeCheckpoint(meta, 'up', PAST_BULK_PULLED, token);
}

/**
 * Writes the page's master states: new documents as inserts, and documents still pristine
 * (unchanged locally since pulled, no conflict base stored) as updates. False when some
 * document is neither: RxDB's loop must merge it.
 */
async function storePristine<T extends { id: string }>(
  collection: RxCollection<T>,
  meta: MetaInstance,
  page: ParsedPullPage<T>,
  replication: { identifier: string; hash: string; token: string },
): Promise<boolean> {
  const documents = page.documents;
  const byId = new Map(documents.map((master) => [master.id, master]));
  const inserts = documents.map((master) => ({ document: pristineDocument(master, undefined, replication) as RxDocumentData<T> }));
  // Every insert gets the same fields (a first revision): a storage that can, logs the page's text.
  const parsed = page.documentsJson === undefined ? undefined : { json: page.documentsJson, shared: pristineFields(undefined, replication) };
  const existing = await conflictsOf(collection, inserts, parsed);
  if (existing.length === 0) return true;
  const withBase = await idsWithAssumedMaster(meta, existing.map((document) => document.id));
  const updatable = existing.filter((document) => isPristine(document) && !withBase.has(document.id));
  if (updatable.length < existing.length) return false;
  const updates = updatable.map((previous) => ({ previous, document: pristineDocument(byId.get(previous.id) as Replicated<T>, previous, replication) as RxDocumentData<T> }));
  return (await conflictsOf(collection, updates)).length === 0;
}

/** Writes the rows straight into the collection's storage; returns the stored states of the rows refused as conflicts. */
async function conflictsOf<T extends { id: string }>(
  collection: RxCollection<T>,
  rows: { document: RxDocumentData<T>; previous?: RxDocumentData<T> }[],
  parsed?: ParsedStates,
): Promise<RxDocumentData<T>[]> {
  const storage = collection.storageInstance.originalStorageInstance;
  const write = () =>
    parsed && storage instanceof LogStorageInstance ? storage.bulkWriteParsed(rows, CATCH_UP_CONTEXT, parsed) : storage.bulkWrite(rows, CATCH_UP_CONTEXT);
  const result = await collection.database.lockedRun(write);
  return result.error.map((error) => {
    if (error.status !== 409) throw new Error(`bulk catch-up could not write ${error.documentId} (status ${error.status})`);
    return error.documentInDb;
  });
}
