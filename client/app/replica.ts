import { addRxPlugin, removeRxDatabase } from 'rxdb';
import { RxDBLeaderElectionPlugin } from 'rxdb/plugins/leader-election';
import { createSignal, type Accessor } from 'solid-js';
import { combineLatest, debounceTime, map, type Subscription } from 'rxjs';
import type { CollectionName } from '../../shared/schema/collections.ts';
import { createOutpostDatabase, type OutpostDatabase } from '../db/database.ts';
import { deleteIndexedDb } from '../db/delete-indexed-db.ts';
import { storageForReplica } from '../db/replica-storage.ts';
import type { PullProgress } from '../sync/http-replication.ts';
import { isQuotaError } from '../data/storage-errors.ts';
import { documentsInStep } from '../sync/in-step.ts';
import { PendingWrites } from '../sync/pending-writes.ts';
import type { MetaInstance } from '../sync/replication-meta.ts';
import { RejectionLog } from '../sync/rejections.ts';
import { startSync, type SyncEngine } from '../sync/sync-engine.ts';
import type { SignedInUser } from './session.ts';

addRxPlugin(RxDBLeaderElectionPlugin);

export interface FirstSync {
  pulled: number;
  remaining: number;
  isPaused: boolean;
}

export interface SyncStatus {
  /** The browser has a network and the live stream is connected. */
  isOnline: Accessor<boolean>;
  /** This tab replicates; other tabs of the same user see its writes through the database. */
  isLeader: Accessor<boolean>;
  lastSyncedAt: Accessor<string | undefined>;
  pendingCount: Accessor<number>;
  /** The user's scope changed while writes were pending: rebuild once they reach the server. */
  needsRebuild: boolean;
  /** Set while the very first sync of this device runs. */
  firstSync: Accessor<FirstSync | undefined>;
  lastError: Accessor<string | undefined>;
}

export interface Replica {
  user: SignedInUser;
  db: OutpostDatabase;
  status: SyncStatus;
  pending: PendingWrites;
  rejections: RejectionLog;
  pauseFirstSync(): Promise<void>;
  resumeFirstSync(): void;
  /** Pull and push now (after coming back online, or on request). */
  syncNow(): void;
  close(): Promise<void>;
}

export const databaseNameFor = (userId: string) => `outpost-${userId}`;

/**
 * What the server lets this user read. When it changes (a site added or removed, a new role),
 * checkpoints no longer describe what is on the device: documents newly in scope are older than
 * the checkpoint and would never arrive, and documents out of scope would stay. The replica is
 * then rebuilt from zero, once nothing is waiting to be pushed.
 */
export function scopeKeyOf(user: SignedInUser): string {
  const memberships = user.memberships.map((m) => [m.orgId, m.role, m.siteIds ? [...m.siteIds].sort() : null] as const);
  return JSON.stringify(memberships.sort((a, b) => a[0].localeCompare(b[0])));
}
/** Opens this user's replica and, in the tab that wins leadership, starts replicating it. */
export async function openReplica(user: SignedInUser): Promise<Replica> {
  const rejections = new RejectionLog();
  const scopeStorageKey = `outpost.scope.${user.id}`;
  const storedScope = localStorage.getItem(scopeStorageKey);
  const scopeKey = scopeKeyOf(user);
  let storage = await storageForReplica(databaseNameFor(user.id));
  if (storedScope !== null && storedScope !== scopeKey && new PendingWrites(user.id).count === 0) {
    await wipeReplicaDatabases(user.id, storage);
    storage = await storageForReplica(databaseNameFor(user.id));
    localStorage.removeItem(`outpost.lastSynced.${user.id}`);
  }
  // With writes still pending, the old replica syncs them first (see `needsRebuild`).
  const needsRebuild = storedScope !== null && storedScope !== scopeKey && new PendingWrites(user.id).count > 0;
  if (!needsRebuild) localStorage.setItem(scopeStorageKey, scopeKey);
  const db = await createOutpostDatabase({ name: databaseNameFor(user.id), storage, multiInstance: true, rejections, author: { id: user.id, name: user.name } });
  const pending = new PendingWrites(user.id);
  // Ask the browser not to evict the replica under storage pressure (it may still say no).
  void navigator.storage?.persist?.().catch(() => false);
  const lastSyncedKey = `outpost.lastSynced.${user.id}`;

  const [isOnline, setOnline] = createSignal(false);
  const [isLeader, setLeader] = createSignal(false);
  const [lastSyncedAt, setLastSyncedAt] = createSignal(localStorage.getItem(lastSyncedKey) ?? undefined);
  const [pendingCount, setPendingCount] = createSignal(pending.count);
  const [firstSync, setFirstSync] = createSignal<FirstSync | undefined>();
  const [lastError, setLastError] = createSignal<string | undefined>();
  pending.subscribe(setPendingCount);

  const onStorage = (event: StorageEvent) => {
    if (event.key === pending.storageKey) pending.reload();
    if (event.key === lastSyncedKey) setLastSyncedAt(event.newValue ?? undefined);
  };
  window.addEventListener('storage', onStorage);

  let engine: SyncEngine | undefined;
  let subscriptions: Subscription[] = [];
  let isClosed = false;
  const progress = new Map<CollectionName, PullProgress>();

  const markSynced = () => {
    const now = new Date().toISOString();
    localStorage.setItem(lastSyncedKey, now);
    setLastSyncedAt(now);
    setFirstSync(undefined);
    setLastError(undefined);
  };

  const start = () => {
    const isFirst = lastSyncedAt() === undefined;
    if (isFirst) setFirstSync({ pulled: 0, remaining: 0, isPaused: false });
    const running = startSync({
      db,
      baseUrl: '',
      rejections,
      onStreamConnectionChange: (connected) => setOnline(connected && navigator.onLine),
      onPullProgress: (p) => {
        progress.set(p.collection, p);
        if (!isFirst || lastSyncedAt() !== undefined) return;
        let pulled = 0;
        let remaining = 0;
        for (const item of progress.values()) {
          pulled += item.pulled;
          remaining += item.remaining;
        }
        setFirstSync({ pulled, remaining, isPaused: false });
      },
    });
    engine = running;
    for (const [collection, replication] of running.replications) {
      subscriptions.push(
        replication.sent$.subscribe((document) => pending.acknowledge(collection, [document as { id: string; updatedAt?: string }])),
        replication.error$.subscribe((error) => setLastError(describeSyncError(error))),
      );
    }
    // Settled when every collection has finished its first pull-and-push cycle, the stream is
    // connected, and no collection is pulling or pushing. Before the first cycle ends, every
    // replication can look idle for a moment: that is not "synced".
    let hasCompletedFirstCycle = false;
    void Promise.all([...running.replications.values()].map((r) => r.awaitInitialReplication())).then(() => {
      hasCompletedFirstCycle = true;
      if (engine === running && running.stream?.isConnected) markSynced();
    }, () => undefined);
    const idle$ = combineLatest([...running.replications.values()].map((r) => r.active$)).pipe(
      map((states) => states.every((isActive) => !isActive)),
      debounceTime(150),
    );
    subscriptions.push(
      idle$.subscribe((isIdle) => {
        if (!isIdle || engine !== running) return;
        if (hasCompletedFirstCycle && running.stream?.isConnected) markSynced();
        void settleInStep(running).catch(() => undefined);
      }),
    );
  };

  /**
   * Settles every pending entry whose document the server already holds as it is here: a push
   * settles its own entry as it succeeds, but a write can also end without one (merged into
   * the master, refused and reverted, edited back), and its entry must not wait forever.
   */
  const settleInStep = async (running: SyncEngine) => {
    for (const [collection, ids] of pending.byCollection()) {
      const meta = running.replications.get(collection)?.metaInstance as MetaInstance | undefined;
      if (!meta || engine !== running) continue;
      pending.settle(collection, await documentsInStep(db.collections[collection], meta, ids));
    }
  };

  const stop = async () => {
    for (const subscription of subscriptions) subscription.unsubscribe();
    subscriptions = [];
    const running = engine;
    engine = undefined;
    await running?.stop();
  };

  const onOnline = () => engine?.resync();
  // The stream's connection may outlive the network (nothing is sent to notice it is dead):
  // drop it, so coming back online reconnects at once and the indicator follows.
  const onOffline = () => {
    setOnline(false);
    engine?.stream?.reconnect();
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);

  void db.waitForLeadership().then(() => {
    if (isClosed) return;
    setLeader(true);
    start();
  });

  return {
    user,
    db,
    pending,
    rejections,
    status: { isOnline, isLeader, lastSyncedAt, pendingCount, firstSync, lastError, needsRebuild },
    async pauseFirstSync() {
      const current = firstSync();
      await stop();
      if (current) setFirstSync({ ...current, isPaused: true });
    },
    resumeFirstSync() {
      if (!engine && isLeader()) start();
    },
    syncNow() {
      engine?.resync();
    },
    async close() {
      isClosed = true;
      window.removeEventListener('storage', onStorage);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      await stop();
      await db.close();
    },
  };
}

/** RxDB wraps the failing request's error; the useful part is somewhere down the chain. */
function causesOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth++) {
    chain.push(current);
    const holder = current as { parameters?: { error?: unknown; errors?: unknown[] }; cause?: unknown };
    current = holder.parameters?.errors?.[0] ?? holder.parameters?.error ?? holder.cause;
  }
  return chain;
}

/** What to tell the user about a failed sync; undefined when "Offline" already says it all. */
function describeSyncError(error: unknown): string | undefined {
  if (isQuotaError(error)) return 'This device is out of storage space: new data cannot be downloaded. Your changes are kept and still sync.';
  const causes = causesOf(error);
  if (causes.some((cause) => (cause as { status?: number }).status === 401)) return 'Your session has ended: sign in again to sync.';
  const isNetwork = causes.some((cause) => cause instanceof TypeError || (cause as { name?: string }).name === 'AbortError' || (cause as { name?: string }).name === 'TimeoutError');
  if (isNetwork || !navigator.onLine) return undefined;
  const last = causes[causes.length - 1];
  return last instanceof Error ? `Sync failed (${last.message}); it will retry.` : 'Sync failed; it will retry.';
}

/** Removes the replica's RxDB database and every IndexedDB database under its name. */
async function wipeReplicaDatabases(userId: string, storage: Awaited<ReturnType<typeof storageForReplica>>): Promise<void> {
  const name = databaseNameFor(userId);
  await removeRxDatabase(name, storage, true);
  // RxDB empties its storages; the IndexedDB databases themselves must go too.
  for (const database of await indexedDB.databases()) {
    if (database.name?.includes(name)) await deleteIndexedDb(database.name);
  }
}

/** Removes every trace of a user's replica from this browser (shared-device sign-out). */
export async function wipeReplica(userId: string): Promise<void> {
  await wipeReplicaDatabases(userId, await storageForReplica(databaseNameFor(userId)));
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith('outpost.')) localStorage.removeItem(key);
  }
  if ('caches' in window) {
    for (const name of await caches.keys()) await caches.delete(name);
  }
  const registrations = (await navigator.serviceWorker?.getRegistrations()) ?? [];
  for (const registration of registrations) await registration.unregister();
}
