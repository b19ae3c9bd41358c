import { createRevision, getHeightOfRevision, type RxDocumentData } from 'rxdb';

/**
 * A "pristine" document is one whose local state is exactly the master state a replication
 * pulled: nobody has written it locally since. Its conflict base (the assumed master state the
 * three-way merge starts from) is then the document itself, so the bulk catch-up stores no copy
 * of it; conflict-bases.ts writes that copy the moment a local write first changes it.
 *
 * The marker is RxDB's own `_meta.o` (the replication's hash and the revision height it wrote;
 * RxDB's downstream accepts master updates of such documents without an assumed master state)
 * plus `_meta.pristineOf`, the replication's identifier, naming where the copy goes.
 */
export interface PristineMeta {
  lwt: number;
  o: { _rev: number; hash: string };
  pristineOf: string;
}

/**
 * Bulk-pulled documents are written with the smallest last-write time RxDB allows. The push side
 * scans local changes in (lwt, id) order from its checkpoint; with every bulk-pulled document
 * below any real write time, one checkpoint just past PRISTINE_LWT skips exactly them, and a
 * local write made meanwhile (lwt = now) can never fall behind it.
 */
export const PRISTINE_LWT = 1;

export function isPristine(document: RxDocumentData<unknown>): boolean {
  const meta = document._meta as Partial<PristineMeta>;
  return typeof meta.pristineOf === 'string' && meta.o?._rev === getHeightOfRevision(document._rev);
}

/**
 * Whether the document is, unchanged since, a master state the replication with this hash wrote
 * into it: RxDB's downstream (and the bulk catch-up) mark their writes with `_meta.o`, and any
 * local write moves the revision past it. Such a state is no local change.
 */
export function isAsPulledBy(document: RxDocumentData<unknown>, hash: string): boolean {
  const origin = (document._meta as Partial<PristineMeta>).o;
  return origin?.hash === hash && origin._rev === getHeightOfRevision(document._rev);
}

export function pristineOf(document: RxDocumentData<unknown>): string | undefined {
  return isPristine(document) ? (document._meta as Partial<PristineMeta>).pristineOf : undefined;
}

/** The fields that make a master state the local state after `previous`: the next revision, marked pristine. */
export function pristineFields(previous: RxDocumentData<unknown> | undefined, replication: { identifier: string; hash: string; token: string }) {
  const revision = createRevision(replication.token, previous);
  const meta: PristineMeta = { lwt: PRISTINE_LWT, o: { _rev: getHeightOfRevision(revision), hash: replication.hash }, pristineOf: replication.identifier };
  return { _meta: meta, _rev: revision, _attachments: {} };
}

/**
 * The local state for a master state: the next revision after `previous`, marked pristine.
 * Takes the master object over (a first sync parses thousands: no copy of each is made).
 */
export function pristineDocument<T extends object>(
  master: T,
  previous: RxDocumentData<unknown> | undefined,
  replication: { identifier: string; hash: string; token: string },
): RxDocumentData<T> {
  return Object.assign(master, pristineFields(previous, replication)) as unknown as RxDocumentData<T>;
}
