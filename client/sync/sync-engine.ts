import type { RxReplicationPullStreamItem } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import { Subject } from 'rxjs';
import { COLLECTION_NAMES, type CollectionName } from '../../shared/schema/collections.ts';
import type { Checkpoint } from '../../shared/sync/checkpoint.ts';
import { RESYNC } from '../../shared/sync/protocol.ts';
import type { OutpostDatabase } from '../db/database.ts';
import { startBackgroundFetch } from './background-fetch.ts';
import { replicateOverHttp, type PullProgress } from './http-replication.ts';
import { LiveStream } from './live-stream.ts';
import type { RejectionLog } from './rejections.ts';

export interface SyncEngineOptions {
  db: OutpostDatabase;
  baseUrl: string;
  fetch?: typeof fetch;
  /** false: pull and push once, no live stream (a one-shot sync). */
  live?: boolean;
  collections?: readonly CollectionName[];
  pullBatchSize?: number;
  retryTime?: number;
  /** Deadline of one pull or push request (see http-replication.ts). */
  requestTimeoutMs?: number;
  /** Silence on the live stream for this long means a dead link: reconnect (the server sends heartbeats). */
  streamIdleTimeoutMs?: number;
  onPullProgress?(progress: PullProgress): void;
  onStreamConnectionChange?(isConnected: boolean): void;
  rejections?: RejectionLog;
}

type AnyReplication = RxReplicationState<{ id: string }, Checkpoint>;

export interface SyncEngine {
  replications: Map<CollectionName, AnyReplication>;
  stream: LiveStream | undefined;
  /** Resolves when every collection has pulled and pushed what it could (online only). */
  awaitInSync(): Promise<void>;
  /** Asks every collection to pull now, and a waiting live stream to reconnect at once (e.g. after coming back online). */
  resync(): void;
  stop(): Promise<void>;
}

/** One live stream for all collections, demultiplexed into each collection's replication. */
export function startSync(options: SyncEngineOptions): SyncEngine {
  const live = options.live ?? true;
  const names = options.collections ?? COLLECTION_NAMES;
  const subjects = new Map<CollectionName, Subject<RxReplicationPullStreamItem<{ id: string }, Checkpoint>>>();
  const replications = new Map<CollectionName, AnyReplication>();
  // A caller's own fetch (Node, tests) is used as given; the browser's default goes to a worker.
  const background = options.fetch ? undefined : startBackgroundFetch();

  for (const name of names) {
    const subject = new Subject<RxReplicationPullStreamItem<{ id: string }, Checkpoint>>();
    subjects.set(name, subject);
    const replication = replicateOverHttp({
      collection: options.db.collections[name] as never,
      name,
      baseUrl: options.baseUrl,
      live,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(background ? { fetchText: background.fetchText } : {}),
      ...(live ? { stream$: subject.asObservable() } : {}),
      ...(options.pullBatchSize ? { pullBatchSize: options.pullBatchSize } : {}),
      ...(options.retryTime ? { retryTime: options.retryTime } : {}),
      ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(options.onPullProgress ? { onPullProgress: options.onPullProgress } : {}),
      ...(options.rejections ? { rejections: options.rejections } : {}),
    }) as unknown as AnyReplication;
    replications.set(name, replication);
  }

  const stream = live
    ? new LiveStream({
        url: `${options.baseUrl}/api/sync/stream`,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.streamIdleTimeoutMs ? { idleTimeoutMs: options.streamIdleTimeoutMs } : {}),
        ...(options.onStreamConnectionChange ? { onConnectionChange: options.onStreamConnectionChange } : {}),
        onMessage: (message) => {
          if (message === RESYNC) {
            for (const subject of subjects.values()) subject.next(RESYNC);
            return;
          }
          subjects.get(message.collection)?.next({ documents: message.documents as never, checkpoint: message.checkpoint });
        },
      })
    : undefined;
  stream?.start();

  return {
    replications,
    stream,
    async awaitInSync() {
      await Promise.all([...replications.values()].map((r) => r.awaitInSync()));
    },
    resync() {
      stream?.connectNow();
      for (const replication of replications.values()) replication.reSync();
    },
    async stop() {
      stream?.stop();
      await Promise.all([...replications.values()].map((r) => r.cancel()));
      for (const subject of subjects.values()) subject.complete();
      background?.stop();
    },
  };
}
