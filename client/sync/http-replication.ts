import type { RxCollection, RxError, RxReplicationPullStreamItem } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { concatMap, type Observable } from 'rxjs';
import type { CollectionName } from '../../shared/schema/collections.ts';
import type { Checkpoint } from '../../shared/sync/checkpoint.ts';
import {
  PULL_MAX_LIMIT,
  RESYNC_REQUIRED,
  type ApiErrorBody,
  type PullResponse,
  type PushResponse,
  type PushRow,
  type Replicated,
} from '../../shared/sync/protocol.ts';
import { mainThreadTextFetch, type TextFetch, type TextResponse } from './background-fetch.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import { parsePullPage } from './pull-page.ts';
import { pullUrl } from './pull-url.ts';

export interface PullProgress {
  collection: CollectionName;
  pulled: number;
  remaining: number;
}

import type { RejectionLog } from './rejections.ts';
import { bulkCatchUp } from './bulk-catch-up.ts';
import { conflictProvenanceOf } from './conflict-provenance.ts';
import { ancestorsOf, isOwnPushedState, ownBaseIn, ownPushBasesOf, rebaseOnAnswers, rememberAnswers, rememberPushes } from './own-pushes.ts';
import { idsHeldAsPulled } from './as-pulled.ts';
import { noteReplication } from './conflict-bases.ts';
import { replicationHash, type MetaInstance } from './replication-meta.ts';
import { runBeforeFirstStart } from './run-before-first-start.ts';
import { replacedStatesOf } from './replaced-states.ts';
import { withoutStaleMasters } from './stale-masters.ts';

export interface HttpReplicationOptions<T> {
  collection: RxCollection<T>;
  name: CollectionName;
  baseUrl: string;
  fetch?: typeof fetch;
  /** How pull pages are fetched (default: `fetch` on this thread; see background-fetch.ts). */
  fetchText?: TextFetch;
  live: boolean;
  stream$?: Observable<RxReplicationPullStreamItem<T, Checkpoint>>;
  /** Documents per pull request (default: RxDB's loop 500, the bulk catch-up the server's maximum). */
  pullBatchSize?: number;
  pushBatchSize?: number;
  retryTime?: number;
  /** A request with no answer after this long is abandoned and retried (default 30 s). */
  requestTimeoutMs?: number;
  onPullProgress?(progress: PullProgress): void;
  rejections?: RejectionLog;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Names a collection's replication with one server: its checkpoints and conflict bases are kept under it. */
export const replicationIdentifierFor = (name: CollectionName, baseUrl: string) => `outpost-http-${name}-${baseUrl}`;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | undefined,
  ) {
    super(body?.error.message ?? `HTTP ${status}`);
  }
}

/** The bulk catch-up's first page: small, so storing starts while the big pages download. */
const FIRST_BULK_PAGE = 200;

/** Errors of the link or the server, which the replication retries; anything else is a bug to report. */
const isTransient = (error: unknown) =>
  error instanceof HttpError || error instanceof TypeError || (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'));

/**
 * A half-open connection (the link died without a FIN or RST) never answers and never fails:
 * without a deadline the collection's replication would wait on it forever.
 */
function withDeadline(timeoutMs: number, signal?: AbortSignal): AbortSignal {
  const deadline = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}

function parseJsonResponse<R>(response: TextResponse): R {
  const body = response.text ? (JSON.parse(response.text) as unknown) : undefined;
  if (!response.ok) throw new HttpError(response.status, body as ApiErrorBody | undefined);
  return body as R;
}

async function requestJson<R>(doFetch: typeof fetch, url: string, timeoutMs: number, init: RequestInit): Promise<R> {
  const response = await doFetch(url, { credentials: 'same-origin', ...init, signal: withDeadline(timeoutMs, init.signal ?? undefined) });
  return parseJsonResponse<R>({ status: response.status, ok: response.ok, text: await response.text() });
}

/**
 * Replicates one collection with the server's sync protocol. When the server answers that the
 * checkpoint predates purged tombstones, it pulls everything again and then deletes the local
 * documents the server no longer has, so no deletion is silently missed. Before RxDB's loop
 * starts, new documents are pulled in bulk (bulk-catch-up.ts): a first sync is that path.
 */
export function replicateOverHttp<T extends { id: string }>(options: HttpReplicationOptions<T>): RxReplicationState<T, Checkpoint> {
  const doFetch = options.fetch ?? fetch;
  const base = `${options.baseUrl}/api/sync/${options.name}`;
  const pullBatchSize = options.pullBatchSize ?? 500;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  let pulled = 0;
  let resyncSeenIds: Set<string> | undefined;

  const fetchText = options.fetchText ?? mainThreadTextFetch(doFetch);

  /** `nextLimit`: the size the page after this one will be asked for in (fetched ahead by a worker). */
  const pullPage = async (checkpoint: Checkpoint | undefined, limit: number, signal?: AbortSignal, nextLimit = limit) => {
    const response = await fetchText(pullUrl(base, checkpoint, limit), withDeadline(timeoutMs, signal), { base, checkpoint, limit: nextLimit });
    return response.ok ? parsePullPage<T>(response.text) : parseJsonResponse<never>(response);
  };
  const replicationIdentifier = replicationIdentifierFor(options.name, options.baseUrl);
  let replicationHashPromise: Promise<string> | undefined;
  const replicationHashOf = () => (replicationHashPromise ??= replicationHash(options.collection, replicationIdentifier));
  void noteReplication(options.collection, replicationIdentifier);
  const metaOf = (): MetaInstance | undefined => replication.metaInstance as MetaInstance | undefined;

  const replication: RxReplicationState<T, Checkpoint> = replicateRxCollection<T, Checkpoint>({
    collection: options.collection,
    replicationIdentifier,
    live: options.live,
    retryTime: options.retryTime ?? 2000,
    waitForLeadership: true,
    autoStart: true,
    pull: {
      batchSize: pullBatchSize,
      // In order: a message's stale masters are dropped before the next message is looked at.
      ...(options.stream$
        ? {
            stream$: options.stream$.pipe(
              concatMap(
                async (item): Promise<RxReplicationPullStreamItem<T, Checkpoint>> =>
                  item === 'RESYNC' ? item : { ...item, documents: await withoutStaleMasters(metaOf(), item.documents) },
              ),
            ),
          }
        : {}),
      handler: async (lastCheckpoint, batchSize) => {
        let checkpoint = lastCheckpoint ?? undefined;
        if (resyncSeenIds) checkpoint = checkpoint ?? {};
        let page: PullResponse<T>;
        try {
          page = await pullPage(checkpoint, batchSize);
        } catch (error) {
          if (!(error instanceof HttpError) || error.body?.error.code !== RESYNC_REQUIRED) throw error;
          // Every organization restarts from zero: stacking keeps keys, so reset them explicitly.
          const zeroed = Object.fromEntries(Object.keys(checkpoint ?? {}).map((orgId) => [orgId, 0]));
          resyncSeenIds = new Set();
          page = await pullPage(zeroed, batchSize);
          page.checkpoint = { ...zeroed, ...page.checkpoint };
        }
        pulled += page.documents.length;
        options.onPullProgress?.({ collection: options.name, pulled, remaining: page.remaining });
        if (resyncSeenIds) {
          for (const document of page.documents) resyncSeenIds.add(document.id);
          if (page.remaining === 0) {
            const seen = resyncSeenIds;
            resyncSeenIds = undefined;
            const local = await options.collection.find().exec();
            for (const document of local) {
              if (seen.has(document.primary)) continue;
              page.documents.push({ ...(document.toMutableJSON() as T), _deleted: true } as Replicated<T>);
            }
          }
        }
        return { documents: await withoutStaleMasters(metaOf(), page.documents), checkpoint: page.checkpoint };
      },
    },
    push: {
      batchSize: options.pushBatchSize ?? 200,
      handler: async (rows) => {
        const asPulled = await idsHeldAsPulled(options.collection, await replicationHashOf(), rows.map((row) => row.newDocumentState));
        const body: PushRow<T>[] = rows
          .filter((row) => !asPulled.has(row.newDocumentState.id))
          .map((row) => ({
            newDocumentState: row.newDocumentState as Replicated<T>,
            ...(row.assumedMasterState ? { assumedMasterState: row.assumedMasterState as Replicated<T> } : {}),
          }));
        // Nothing of this replica's own to send: RxDB records those states as the assumed masters they are.
        if (body.length === 0) return [];
        const push = (pushed: PushRow<T>[]) =>
          requestJson<PushResponse<T>>(doFetch, `${base}/push`, timeoutMs, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(pushed),
          });
        const meta = replication.metaInstance as MetaInstance | undefined;
        const token = options.collection.database.token;
        const rebased = meta ? await rebaseOnAnswers(meta, body as { newDocumentState: Record<string, unknown>; assumedMasterState?: Record<string, unknown> }[]) : new Set<string>();
        const pushedBefore = meta ? await rememberPushes(meta, body, token) : new Map();
        // The base each row last went out on, for rememberAnswers.
        const sentOn = new Map(body.map((row) => [row.newDocumentState.id, row.assumedMasterState]));
        let response = await push(body);
        // A master that is this replica's own earlier push (its answer lost) is no conflict: push again on it.
        const rowOf = (id: string) => body.find((row) => row.newDocumentState.id === id);
        const ancestors = (id: string) => ancestorsOf(pushedBefore.get(id), rowOf(id)?.newDocumentState ?? {});
        const own = response.conflicts.filter((master) => isOwnPushedState(ancestors(master.id), master));
        if (own.length > 0) {
          for (const master of own) sentOn.set(master.id, master);
          const again = await push(own.map((master) => ({ newDocumentState: rowOf(master.id)?.newDocumentState as Replicated<T>, assumedMasterState: master })));
          response = {
            conflicts: [...response.conflicts.filter((master) => !own.includes(master)), ...again.conflicts],
            rejected: [...response.rejected, ...again.rejected],
            conflictProvenance: [...(response.conflictProvenance ?? []), ...(again.conflictProvenance ?? [])],
          };
        }
        if (meta) await rememberAnswers(meta, response.conflicts.map((master) => ({ master, on: sentOn.get(master.id) })), token);
        // Every base the server answered on is replaced now (accepted on it, or answered with another master).
        const replaced = replacedStatesOf(options.collection.database);
        const refusedIds = new Set(response.rejected.map((rejection) => rejection.id));
        for (const [id, sent] of sentOn) if (sent && !refusedIds.has(id)) replaced.remember(options.name, sent);
        // A master holding an own earlier push and others' later changes: merge from that push.
        for (const master of response.conflicts) {
          const sent = rowOf(master.id)?.assumedMasterState;
          const base = ownBaseIn(ancestors(master.id), sent, master) ?? (rebased.has(master.id) && sent ? (withoutLocalFields(sent) as Record<string, unknown>) : undefined);
          if (base) ownPushBasesOf(options.collection.database).set(options.name, master, base);
        }
        // Refused rows come back to RxDB as conflicts with the server's state (a tombstone when
        // the server has none), which the conflict handler takes as-is.
        const refused = response.rejected.map((rejection) => {
          const attempted = body.find((row) => row.newDocumentState.id === rejection.id)?.newDocumentState;
          options.rejections?.record({
            collection: options.name,
            id: rejection.id,
            reason: rejection.reason,
            ...(rejection.field === undefined ? {} : { field: rejection.field }),
            rejectedState: attempted,
            at: new Date().toISOString(),
          });
          return rejection.master ?? ({ ...attempted, _deleted: true } as Replicated<T>);
        });
        // Who wrote each master, for the merge's conflict records (read by the collection's conflict handler).
        conflictProvenanceOf(options.collection.database).record(options.name, response.conflicts, response.conflictProvenance);
        return [...response.conflicts, ...refused];
      },
    },
  });

  runBeforeFirstStart(replication, async (signal) => {
    try {
      await bulkCatchUp({
        collection: options.collection,
        replicationIdentifier,
        pageSize: options.pullBatchSize ?? PULL_MAX_LIMIT,
        firstPageSize: options.pullBatchSize ?? FIRST_BULK_PAGE,
        pullPage,
        signal,
        onPage: (page) => {
          pulled += page.documents.length;
          options.onPullProgress?.({ collection: options.name, pulled, remaining: page.remaining });
        },
      });
    } catch (error) {
      // RxDB's loop continues from the last stored page either way and retries the link itself.
      if (!signal.aborted && !isTransient(error)) replication.subjects.error.next(error as RxError);
    }
  });
  return replication;
}
