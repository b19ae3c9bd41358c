import {
  categorizeBulkWriteRows,
  getPrimaryFieldOfPrimaryKey,
  now,
  randomToken,
  RXDB_VERSION,
  type BulkWriteRow,
  type EventBulk,
  type PreparedQuery,
  type RxDocumentData,
  type RxStorage,
  type RxStorageBulkWriteResponse,
  type RxStorageChangeEvent,
  type RxStorageCountResult,
  type RxStorageInstance,
  type RxStorageInstanceCreationParams,
  type RxStorageQueryResult,
} from 'rxdb';
import { getRxStorageMemory, removeDocFromState, type RxStorageInstanceMemory } from 'rxdb/plugins/storage-memory';
import { filter, Subject, takeUntil, type Observable } from 'rxjs';
import { ChunkLog, type KeyedRecord, type LogRecord, type ParsedStates } from './chunk-log.ts';
import { withWriteLock } from './write-lock.ts';

/**
 * Document states per log record. Fewer records cost less, but Chromium writes records of a few
 * hundred 2 KB documents faster than records of thousands (10,000 devices: 220 ms in records of
 * 500, 310-340 ms in records of 2,000).
 */
const STATES_PER_RECORD = 500;
/** A compaction runs once the log holds more states than this, and more than twice the live documents. */
const COMPACTION_SLACK = 2000;
/** Records read and applied per task when a collection first loads (500 devices: some 50 ms of work here). */
const REPLAY_RECORDS = 1;
/** Replaying the log at open: not a change anyone made, so not an event (see changeStream). */
const OPEN_CONTEXT = 'outpost-log-open';
const SNAPSHOT_CONTEXT = 'outpost-log-snapshot';

export interface LogStorageInternals {
  logName: string;
}

/** The IndexedDB database that holds one collection's log (its name contains the replica's name, so a wipe finds it). */
export const logNameOf = (databaseName: string, collectionName: string, schemaVersion: number) => `outpost-log:${databaseName}:${collectionName}:${schemaVersion}`;

/**
 * Outpost's client storage: each collection lives in RxDB's memory storage, and every write is
 * first committed to an append-only log of chunked records in IndexedDB (see chunk-log.ts), then
 * applied in memory. A collection replays its log when first used. IndexedDB costs per record, so
 * a page of 2,000 pulled documents costs four records instead of 2,000, and queries run in memory.
 *
 * Tabs: each tab holds its own copy in memory. Writes take a lock shared by every tab (Web
 * Locks), replay what other tabs appended since, check conflicts against that up-to-date state,
 * append, then tell the other tabs (BroadcastChannel) to replay the new record. A write refused
 * by IndexedDB (a full disk) changes nothing, in memory or on disk.
 */
export function getRxStorageLog(): RxStorage<LogStorageInternals, Record<string, never>> {
  return {
    name: 'outpost-log',
    rxdbVersion: RXDB_VERSION,
    createStorageInstance: <T>(params: RxStorageInstanceCreationParams<T, Record<string, never>>) => LogStorageInstance.open(params),
  };
}

export class LogStorageInstance<T> implements RxStorageInstance<T, LogStorageInternals, Record<string, never>> {
  readonly databaseName: string;
  readonly collectionName: string;
  readonly schema: RxStorageInstanceCreationParams<T, Record<string, never>>['schema'];
  readonly options: Readonly<Record<string, never>>;
  readonly internals: LogStorageInternals;
  private readonly primaryPath: Extract<keyof T, string>;
  private readonly channel: BroadcastChannel;
  private readonly inFlight = new Set<Promise<unknown>>();
  private replayed?: Promise<void>;
  private isClosed = false;
  /** The first close, which every later close (and a remove) waits for. */
  private closing: Promise<void> | undefined;
  /** Emits once the instance has closed: change streams complete then. */
  private readonly closed$ = new Subject<void>();
  private isCatchUpQueued = false;
  private isCompactionQueued = false;
  /** After a failed compaction, how many states the log must hold before the next attempt. */
  private compactionRetryAtStates = 0;
  /** Key of the last log record this copy has applied. */
  private lastKey = 0;
  /** Document states in the log since its last compaction (each write adds its documents). */
  private loggedStates = 0;
  /** The compaction snapshot being applied, record by record: what it holds so far. */
  private snapshot: { id: string; ids: Set<string> } | undefined;
  /** The tail of this copy's catch-ups and writes, which run one at a time (see exclusive). */
  private serial: Promise<unknown> = Promise.resolve();

  private constructor(
    params: RxStorageInstanceCreationParams<T, Record<string, never>>,
    private readonly memory: RxStorageInstanceMemory<T>,
    private readonly log: ChunkLog,
  ) {
    this.databaseName = params.databaseName;
    this.collectionName = params.collectionName;
    this.schema = params.schema;
    this.options = params.options;
    this.internals = { logName: log.name };
    this.primaryPath = getPrimaryFieldOfPrimaryKey(params.schema.primaryKey) as Extract<keyof T, string>;
    this.channel = new BroadcastChannel(log.name);
    this.channel.onmessage = () => this.queueCatchUp();
  }

  static async open<T>(params: RxStorageInstanceCreationParams<T, Record<string, never>>): Promise<LogStorageInstance<T>> {
    if (params.schema.attachments) throw new Error(`${params.collectionName}: the log storage keeps no attachments (remove "attachments" from the schema)`);
    // A memory state of its own: RxDB's memory storage shares one per name within a realm and
    // keeps it after close, and this copy must hold exactly what the log replays.
    const memory = (await getRxStorageMemory().createStorageInstance<T>({
      ...params,
      databaseName: `${params.databaseName}#${randomToken(10)}`,
      multiInstance: false,
      options: {},
    })) as RxStorageInstanceMemory<T>;
    const log = await ChunkLog.open(logNameOf(params.databaseName, params.collectionName, params.schema.version));
    return new LogStorageInstance(params, memory, log);
  }

  /**
   * The log is replayed when first needed, not at open (RxDB opens every collection, used or
   * not), and a record per task: replaying 10,000 devices is most of a second of main-thread
   * work, and the page must keep painting meanwhile.
   */
  private ready(): Promise<void> {
    this.replayed ??= this.replay();
    return this.replayed;
  }

  /**
   * Another tab may append or compact meanwhile: its records come after the last key replayed,
   * and a compaction's snapshot is applied like any other (see apply).
   */
  private async replay(): Promise<void> {
    for (;;) {
      const records = await this.log.readAfter(this.lastKey, REPLAY_RECORDS);
      this.apply(records, OPEN_CONTEXT);
      if (records.length < REPLAY_RECORDS) return;
      await nextTask();
    }
  }

  bulkWrite(rows: BulkWriteRow<T>[], context: string): Promise<RxStorageBulkWriteResponse<T>> {
    return this.write(rows, context);
  }

  /**
   * A bulk write of documents parsed from `source.json` (an array), each then given `source.shared`'s
   * fields, in the same order as `rows`. When every row turns out to be a new document (a first
   * sync's page), the log keeps that text as one record: IndexedDB copies a string, where the
   * objects cost it a structured clone of each (about 50 µs per device here). Otherwise the
   * states are logged as in any write.
   */
  bulkWriteParsed(rows: BulkWriteRow<T>[], context: string, source: ParsedStates): Promise<RxStorageBulkWriteResponse<T>> {
    return this.write(rows, context, source);
  }

  private write(rows: BulkWriteRow<T>[], context: string, source?: ParsedStates): Promise<RxStorageBulkWriteResponse<T>> {
    return this.locked(async () => {
      await this.catchUp();
      const memory = this.memory;
      memory.ensurePersistence();
      const { errors, bulkInsertDocs, bulkUpdateDocs } = categorizeBulkWriteRows(memory, this.primaryPath, memory.internals.documents, rows, context);
      const written = bulkInsertDocs.length + bulkUpdateDocs.length;
      if (written === 0) return { error: errors };
      let records: LogRecord[];
      if (source && bulkInsertDocs.length === rows.length) {
        records = [{ context, parsed: source }];
      } else {
        const states = new Array<RxDocumentData<T>>(written);
        for (let i = 0; i < bulkInsertDocs.length; i++) states[i] = (bulkInsertDocs[i] as BulkWriteRow<T>).document;
        for (let i = 0; i < bulkUpdateDocs.length; i++) states[bulkInsertDocs.length + i] = (bulkUpdateDocs[i] as BulkWriteRow<T>).document;
        records = chunked(states).map((part) => ({ context, states: part }));
      }
      // On disk first: if IndexedDB refuses the write, memory must not hold it either.
      this.lastKey = await this.log.append(records);
      this.loggedStates += written;
      // Holding the lock, nothing changed memory since the check: the same rows fail the same way.
      const result = await memory.bulkWrite(rows, context);
      this.channel.postMessage(this.lastKey);
      if (this.isCompactionDue()) this.queueCompaction();
      return result;
    });
  }

  async findDocumentsById(ids: string[], withDeleted: boolean): Promise<RxDocumentData<T>[]> {
    await this.readable();
    return this.memory.findDocumentsById(ids, withDeleted);
  }

  async query(preparedQuery: PreparedQuery<T>): Promise<RxStorageQueryResult<T>> {
    await this.readable();
    return this.memory.query(preparedQuery);
  }

  async count(preparedQuery: PreparedQuery<T>): Promise<RxStorageCountResult> {
    await this.readable();
    return this.memory.count(preparedQuery);
  }

  /**
   * Memory is ready to answer a read: replayed, and caught up with every record committed before
   * the read began, by any tab or any other copy of this log in this one (IndexedDB transactions
   * are serializable: the log read sees exactly those). Waiting for the other copy's notice is
   * not enough: it has no order against IndexedDB's completions. RxDB's replication compares a
   * collection's documents with its meta instance's assumed master states, and both are written
   * by several copies (the conflict bases in whichever tab edits, the replication in the tab that
   * syncs, the replication of the tab that synced before it): a stale meta read sent pushes with
   * no base or an old one (false conflicts, issue 16), and a stale document read beside a fresh
   * meta read pushed an older local state over a newer one.
   */
  private async readable(): Promise<void> {
    this.ensureOpen();
    await this.ready();
    this.ensureOpen();
    await this.track(this.exclusive(() => this.catchUp()));
  }

  getAttachmentData(documentId: string, attachmentId: string): Promise<never> {
    return Promise.reject(new Error(`${this.collectionName}: no attachment ${attachmentId} on ${documentId} (the log storage keeps none)`));
  }

  /** Completes when the instance closes (memory's own stream never does: its state outlives instances). */
  changeStream(): Observable<EventBulk<RxStorageChangeEvent<RxDocumentData<T>>, unknown>> {
    this.ensureOpen();
    return this.memory.changeStream().pipe(
      filter((bulk) => bulk.context !== OPEN_CONTEXT),
      takeUntil(this.closed$),
    );
  }

  /** Purges tombstones older than `minimumDeletedTime` ms, on disk (a purge record) and in memory. */
  cleanup(minimumDeletedTime: number): Promise<boolean> {
    return this.locked(async () => {
      await this.catchUp();
      this.memory.ensurePersistence();
      const olderThan = now() - minimumDeletedTime;
      const purged = [...this.memory.internals.documents.values()].filter((document) => document._deleted && document._meta.lwt <= olderThan);
      if (purged.length === 0) return true;
      this.lastKey = await this.log.append([{ purged: purged.map((document) => this.idOf(document)) }]);
      for (const document of purged) removeDocFromState(this.primaryPath, this.schema, this.memory.internals, document);
      this.channel.postMessage(this.lastKey);
      return true;
    });
  }

  /** Safe to call more than once, even at the same time (RxDB may close an instance from several places). */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.isClosed = true;
    this.channel.close();
    // Writes under way finish, and announce themselves, before the streams complete.
    await Promise.allSettled([...this.inFlight]);
    this.closed$.next();
    this.closed$.complete();
    this.log.close();
    await this.memory.remove();
  }

  /**
   * Deletes the collection's log for good. A closed instance refuses, as RxDB's own storages do:
   * a closed instance is finished, and a remove through it would delete data that a newer
   * instance of the same collection may be using.
   */
  async remove(): Promise<void> {
    if (this.isClosed) throw new Error(`${this.collectionName}: this storage instance is closed; open a new one to remove the collection`);
    await this.close();
    await ChunkLog.delete(this.log.name);
  }

  private ensureOpen(): void {
    if (this.isClosed) throw this.closedError();
  }

  private closedError(): Error {
    return new Error(`${this.collectionName}: this storage instance is closed (open a new one to use the collection again)`);
  }

  /** Documents in memory, tombstones included (memory applies a write lazily: settle it first). */
  private documentCount(): number {
    this.memory.ensurePersistence();
    return this.memory.internals.documents.size;
  }

  private idOf(document: RxDocumentData<T>): string {
    return (document as Record<string, unknown>)[this.primaryPath] as string;
  }

  private locked<R>(task: () => Promise<R>): Promise<R> {
    if (this.isClosed) return Promise.reject(this.closedError());
    return this.track(this.ready().then(() => withWriteLock(this.log.name, () => this.exclusive(task))));
  }

  /** Close waits for it. */
  private track<R>(running: Promise<R>): Promise<R> {
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  /**
   * One at a time in this copy: a catch-up that ran between a write's append and its memory
   * write would apply that write twice (and the write would then find its own rows conflicting).
   * A write takes the cross-tab lock first and then this; a read takes only this.
   */
  private exclusive<R>(task: () => Promise<R>): Promise<R> {
    const run = this.serial.then(task, task);
    this.serial = run.catch(() => undefined);
    return run;
  }

  /** Another tab appended: replay it here, once for any number of notices meanwhile. */
  private queueCatchUp(): void {
    if (this.isCatchUpQueued || this.isClosed) return;
    this.isCatchUpQueued = true;
    void this.locked(async () => {
      this.isCatchUpQueued = false;
      await this.catchUp();
    }).catch(() => undefined);
  }

  private async catchUp(): Promise<void> {
    const records = await this.log.readAfter(this.lastKey);
    if (records.length > 0) this.apply(records);
  }

  /**
   * Applies log records to memory in order: document states newer than what memory holds (with
   * the context they were written in, as RxDB's own multi-tab events carry), purges, and after a
   * complete compaction snapshot, the removal of whatever it does not hold.
   */
  private apply(records: readonly KeyedRecord[], contextOverride?: string): void {
    const memory = this.memory;
    for (const { key, record } of records) {
      memory.ensurePersistence();
      const documents = memory.internals.documents;
      if (record.snapshot?.part === 0) this.snapshot = { id: record.snapshot.id, ids: new Set() };
      const snapshotIds = record.snapshot && this.snapshot?.id === record.snapshot.id ? this.snapshot.ids : undefined;
      const states = (record.states ?? (record.parsed && statesOf(record.parsed))) as RxDocumentData<T>[] | undefined;
      if (states) {
        this.loggedStates += states.length;
        const rows: BulkWriteRow<T>[] = [];
        for (const state of states) {
          const id = this.idOf(state);
          snapshotIds?.add(id);
          const current = documents.get(id);
          if (current && current._rev === state._rev && current._meta.lwt === state._meta.lwt) continue;
          rows.push(current ? { previous: current, document: state } : { document: state });
        }
        if (rows.length > 0) void memory.bulkWrite(rows, contextOverride ?? record.context ?? SNAPSHOT_CONTEXT);
      }
      for (const id of record.purged ?? []) {
        const current = memory.internals.documents.get(id);
        if (current) removeDocFromState(this.primaryPath, this.schema, memory.internals, current);
      }
      if (record.snapshot && snapshotIds && record.snapshot.part === record.snapshot.parts - 1) {
        memory.ensurePersistence();
        for (const [id, current] of memory.internals.documents) if (!snapshotIds.has(id)) removeDocFromState(this.primaryPath, this.schema, memory.internals, current);
        this.loggedStates = memory.internals.documents.size;
        this.compactionRetryAtStates = 0;
        this.snapshot = undefined;
      }
      this.lastKey = key;
    }
  }

  /** The log holds more than COMPACTION_SLACK states, more than twice the documents, and no failed attempt is waiting to retry. */
  private isCompactionDue(): boolean {
    return this.loggedStates > COMPACTION_SLACK && this.loggedStates > 2 * this.documentCount() && this.loggedStates > this.compactionRetryAtStates;
  }

  /**
   * Compacts after the write that made it due, as a task of its own: that write is committed,
   * applied and announced, so its result must not depend on rewriting the whole log (a caller
   * told it failed would retry it, and conflict with itself). A compaction that fails (a disk
   * too full for the snapshot) changes nothing; it is logged, and retried once COMPACTION_SLACK
   * more states are logged, not on every write.
   */
  private queueCompaction(): void {
    if (this.isCompactionQueued || this.isClosed) return;
    this.isCompactionQueued = true;
    void this.locked(async () => {
      this.isCompactionQueued = false;
      try {
        // Another tab may have appended, or compacted, since: the snapshot must hold its writes.
        await this.catchUp();
        if (this.isCompactionDue()) await this.compact();
      } catch (error) {
        this.compactionRetryAtStates = this.loggedStates + COMPACTION_SLACK;
        console.warn(`${this.log.name}: compacting the log failed; every write is kept, and compaction is tried again after ${COMPACTION_SLACK} more document states`, error);
      }
    }).catch(() => undefined);
  }

  /** Rewrites the log as a snapshot of what memory holds (tombstones included), atomically. */
  private async compact(): Promise<void> {
    this.memory.ensurePersistence();
    const states = [...this.memory.internals.documents.values()];
    const id = randomToken(10);
    const parts = chunked(states);
    const records: LogRecord[] = parts.map((chunk, part) => ({ states: chunk, context: SNAPSHOT_CONTEXT, snapshot: { id, part, parts: parts.length } }));
    this.lastKey = await this.log.replaceAll(records);
    this.loggedStates = states.length;
    this.compactionRetryAtStates = 0;
    this.channel.postMessage(this.lastKey);
  }
}

/** The states of a parsed record: each document gets its own copy of the shared fields. */
function statesOf({ json, shared }: ParsedStates): unknown[] {
  const documents = JSON.parse(json) as Record<string, unknown>[];
  const sharedJson = JSON.stringify(shared);
  for (const document of documents) Object.assign(document, JSON.parse(sharedJson));
  return documents;
}

/** States in records of STATES_PER_RECORD; one empty record for none (a snapshot of nothing is still a snapshot). */
function chunked<S>(states: readonly S[]): S[][] {
  if (states.length === 0) return [[]];
  const parts: S[][] = [];
  for (let start = 0; start < states.length; start += STATES_PER_RECORD) parts.push(states.slice(start, start + STATES_PER_RECORD));
  return parts;
}

/** Lets the page paint and handle input before the next piece of work. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
