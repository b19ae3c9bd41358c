import 'fake-indexeddb/auto';
import {
  createRevision,
  fillWithDefaultSettings,
  getChangedDocumentsSince,
  normalizeMangoQuery,
  now,
  prepareQuery,
  randomToken,
  stackCheckpoints,
  type EventBulk,
  type MangoQuery,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorageChangeEvent,
  type RxStorageDefaultCheckpoint,
  type RxStorageInstance,
  type RxStorageWriteError,
  type RxStorageWriteErrorConflict,
} from 'rxdb';
import { afterEach, describe, expect, it } from 'vitest';
import { getRxStorageLog, type LogStorageInternals } from './log-storage.ts';

/**
 * The RxStorageInstance contract as RxDB relies on it (modelled on RxDB's own storage suite,
 * test/unit/rx-storage-implementations.test.ts), run against the log storage on fake-indexeddb.
 * log-storage.test.ts covers the log itself: replay, compaction, tabs.
 */

interface Item {
  key: string;
  value: string;
  n: number;
}

type Instance = RxStorageInstance<Item, LogStorageInternals, Record<string, never>>;
type Bulk = EventBulk<RxStorageChangeEvent<Item>, RxStorageDefaultCheckpoint>;

const itemSchema = (version = 0) =>
  fillWithDefaultSettings<Item>({
    version,
    primaryKey: 'key',
    type: 'object',
    properties: {
      key: { type: 'string', maxLength: 100 },
      value: { type: 'string', maxLength: 100 },
      n: { type: 'number', minimum: 0, maximum: 1000, multipleOf: 1 },
    },
    required: ['key', 'value', 'n'],
    indexes: ['value', 'n'],
  } as RxJsonSchema<Item>) as RxJsonSchema<RxDocumentData<Item>>;

const schema = itemSchema();
const writer = randomToken(10);
const context = 'contract';
const opened: Instance[] = [];

interface OpenOptions {
  collectionName?: string;
  version?: number;
  schema?: RxJsonSchema<RxDocumentData<Item>>;
}

async function openInstance(databaseName: string, options: OpenOptions = {}): Promise<Instance> {
  const instance = await getRxStorageLog().createStorageInstance<Item>({
    databaseInstanceToken: randomToken(10),
    databaseName,
    collectionName: options.collectionName ?? 'items',
    schema: options.schema ?? itemSchema(options.version),
    options: {},
    multiInstance: true,
    devMode: false,
  });
  opened.push(instance);
  return instance;
}

const newDatabase = () => `contract-${randomToken(8)}`;

function inserted(key: string, value: string, n = 0, lwt = now()): RxDocumentData<Item> {
  return { key, value, n, _deleted: false, _attachments: {}, _rev: createRevision(writer), _meta: { lwt } };
}

function changed(previous: RxDocumentData<Item>, changes: Partial<Item> & { _deleted?: boolean }, lwt = now()): RxDocumentData<Item> {
  return { ...previous, ...changes, _rev: createRevision(writer, previous), _meta: { lwt } };
}

const conflictOf = (error: RxStorageWriteError<Item> | undefined) => {
  expect(error?.status).toBe(409);
  return error as RxStorageWriteErrorConflict<Item>;
};

/** A query as RxQuery.getPreparedQuery() hands it to a storage: normalized, deleted documents excluded by the selector. */
function prepared(query: MangoQuery<Item>) {
  const normalized = normalizeMangoQuery<Item>(schema, query);
  normalized.selector = { ...normalized.selector, _deleted: { $eq: false } };
  return prepareQuery<Item>(schema, normalized);
}

const keysOf = (documents: readonly RxDocumentData<Item>[]) => documents.map((document) => document.key);

async function insertAll(instance: Instance, documents: RxDocumentData<Item>[]): Promise<void> {
  expect((await instance.bulkWrite(documents.map((document) => ({ document })), context)).error).toEqual([]);
}

afterEach(async () => {
  // Some tests close or remove on purpose; a second close must be harmless (it is part of the contract).
  await Promise.all(opened.splice(0).map((instance) => instance.close()));
});

describe('log storage: RxDB storage contract', () => {
  describe('creation', () => {
    it('keeps the database and collection names it was given', async () => {
      const databaseName = newDatabase();
      const instance = await openInstance(databaseName, { collectionName: 'things' });
      expect([instance.databaseName, instance.collectionName]).toEqual([databaseName, 'things']);
    });

    it('opens many collections of one database side by side', async () => {
      const databaseName = newDatabase();
      const instances = await Promise.all(Array.from({ length: 20 }, (_, i) => openInstance(databaseName, { collectionName: `c${i}` })));
      await Promise.all(instances.map((instance, i) => insertAll(instance, [inserted('same-key', `in c${i}`)])));
      const stored = await Promise.all(instances.map((instance) => instance.findDocumentsById(['same-key'], false)));
      expect(stored.map(([document]) => document?.value)).toEqual(instances.map((_, i) => `in c${i}`));
    });

    it('refuses schema features it cannot honour: key compression (UT5) and encryption (UT6)', async () => {
      const compressed = { ...itemSchema(), keyCompression: true };
      await expect(openInstance(newDatabase(), { schema: compressed })).rejects.toThrow(/UT5/);
      const encrypted = { ...itemSchema(), encrypted: ['value'] };
      await expect(openInstance(newDatabase(), { schema: encrypted })).rejects.toThrow(/UT6/);
    });
  });

  describe('bulkWrite', () => {
    it('inserts documents and reads them back exactly as written', async () => {
      const instance = await openInstance(newDatabase());
      const a = inserted('a', 'one', 1);
      const b = inserted('b', 'two', 2);
      await insertAll(instance, [a, b]);
      const stored = await instance.findDocumentsById(['a', 'b'], false);
      expect(stored.sort((x, y) => x.key.localeCompare(y.key))).toEqual([a, b]);
    });

    it('updates and deletes a document whose previous state is the stored one', async () => {
      const instance = await openInstance(newDatabase());
      const a = inserted('a', 'one');
      await insertAll(instance, [a]);
      const a2 = changed(a, { value: 'one, edited' });
      expect((await instance.bulkWrite([{ previous: a, document: a2 }], context)).error).toEqual([]);
      const a3 = changed(a2, { _deleted: true });
      expect((await instance.bulkWrite([{ previous: a2, document: a3 }], context)).error).toEqual([]);
      expect(await instance.findDocumentsById(['a'], true)).toEqual([a3]);
    });

    it('refuses with 409 and the stored state an update from a stale previous, and keeps the stored state', async () => {
      const instance = await openInstance(newDatabase());
      const a = inserted('a', 'one');
      await insertAll(instance, [a]);
      const a2 = changed(a, { value: 'two' });
      await instance.bulkWrite([{ previous: a, document: a2 }], context);
      const staleRow = { previous: a, document: changed(a, { value: 'from a stale copy' }) };
      const result = await instance.bulkWrite([staleRow], context);
      const conflict = conflictOf(result.error[0]);
      expect(result.error).toHaveLength(1);
      expect([conflict.documentId, conflict.isError, conflict.writeRow]).toEqual(['a', true, staleRow]);
      expect(conflict.documentInDb).toEqual(a2);
      // Nothing of the storage's own bookkeeping leaks into the stored state it reports.
      expect(Object.keys(conflict.documentInDb).sort()).toEqual(Object.keys(a2).sort());
      expect(await instance.findDocumentsById(['a'], true)).toEqual([a2]);
    });

    it('refuses with 409 an insert of an id that exists, live or deleted', async () => {
      const instance = await openInstance(newDatabase());
      const live = inserted('live', 'here');
      const gone = inserted('gone', 'soon deleted');
      await insertAll(instance, [live, gone]);
      const tombstone = changed(gone, { _deleted: true });
      await instance.bulkWrite([{ previous: gone, document: tombstone }], context);
      const result = await instance.bulkWrite([{ document: inserted('live', 'again') }, { document: inserted('gone', 'again') }], context);
      expect(result.error.map((error) => [error.documentId, conflictOf(error).documentInDb])).toEqual([
        ['live', live],
        ['gone', tombstone],
      ]);
    });

    it('writes the other rows of a bulk when some conflict', async () => {
      const instance = await openInstance(newDatabase());
      const a = inserted('a', 'one');
      await insertAll(instance, [a]);
      const result = await instance.bulkWrite([{ document: inserted('a', 'duplicate') }, { document: inserted('b', 'new') }, { previous: a, document: changed(a, { value: 'edited' }) }], context);
      expect(result.error.map((error) => error.documentId)).toEqual(['a']);
      const stored = await instance.findDocumentsById(['a', 'b'], false);
      expect(Object.fromEntries(stored.map((document) => [document.key, document.value]))).toEqual({ a: 'edited', b: 'new' });
    });

    it('lets the first of two simultaneous inserts of one id win and refuses the second', async () => {
      const instance = await openInstance(newDatabase());
      const [first, second] = await Promise.all([instance.bulkWrite([{ document: inserted('a', 'first') }], context), instance.bulkWrite([{ document: inserted('a', 'second') }], context)]);
      expect(first.error).toEqual([]);
      expect(conflictOf(second.error[0]).writeRow.document.value).toBe('second');
      expect((await instance.findDocumentsById(['a'], false))[0]?.value).toBe('first');
    });

    it('answers an empty bulk with no errors and no event', async () => {
      const instance = await openInstance(newDatabase());
      const bulks: Bulk[] = [];
      const subscription = instance.changeStream().subscribe((bulk) => bulks.push(bulk));
      expect(await instance.bulkWrite([], context)).toEqual({ error: [] });
      expect(bulks).toEqual([]);
      subscription.unsubscribe();
    });
  });

  describe('findDocumentsById', () => {
    it('returns deleted documents only when asked to, and nothing for unknown ids', async () => {
      const instance = await openInstance(newDatabase());
      const live = inserted('live', 'here');
      const gone = inserted('gone', 'here');
      await insertAll(instance, [live, gone]);
      const tombstone = changed(gone, { _deleted: true });
      await instance.bulkWrite([{ previous: gone, document: tombstone }], context);
      expect(await instance.findDocumentsById(['live', 'gone', 'unknown'], false)).toEqual([live]);
      const withDeleted = await instance.findDocumentsById(['live', 'gone', 'unknown'], true);
      expect(withDeleted.sort((x, y) => x.key.localeCompare(y.key))).toEqual([tombstone, live]);
    });
  });

  describe('query and count', () => {
    /** 20 documents: value "even"/"odd", n = 19 - i so that key order and n order differ. */
    async function filled(): Promise<Instance> {
      const instance = await openInstance(newDatabase());
      await insertAll(
        instance,
        Array.from({ length: 20 }, (_, i) => inserted(`k${String(i).padStart(2, '0')}`, i % 2 === 0 ? 'even' : 'odd', 19 - i)),
      );
      return instance;
    }

    it('selects, sorts, skips and limits a query as RxDB prepares it', async () => {
      const instance = await filled();
      const { documents } = await instance.query(prepared({ selector: { value: 'even', n: { $gt: 3 } }, sort: [{ n: 'asc' }], skip: 2, limit: 3 }));
      // even keys k00..k18 have n 19, 17, ... 1; those above 3 in ascending n: 5, 7, 9, 11, ...
      expect(documents.map((document) => document.n)).toEqual([9, 11, 13]);
      expect(keysOf(documents)).toEqual(['k10', 'k08', 'k06']);
    });

    it('sorts by the primary key, descending, across every document', async () => {
      const instance = await filled();
      const { documents } = await instance.query(prepared({ selector: {}, sort: [{ key: 'desc' }], limit: 4 }));
      expect(keysOf(documents)).toEqual(['k19', 'k18', 'k17', 'k16']);
    });

    it('counts what the query finds, and leaves deleted documents out of both', async () => {
      const instance = await filled();
      const [k01] = await instance.findDocumentsById(['k01'], false);
      if (!k01) throw new Error('k01 was not stored');
      await instance.bulkWrite([{ previous: k01, document: changed(k01, { _deleted: true }) }], context);
      const odd = prepared({ selector: { value: 'odd' } });
      const { documents } = await instance.query(odd);
      expect(documents).toHaveLength(9);
      expect(keysOf(documents)).not.toContain('k01');
      expect((await instance.count(odd)).count).toBe(9);
      expect((await instance.count(prepared({ selector: { n: { $lte: 4 } } }))).count).toBe(5);
      expect((await instance.count(prepared({ selector: {} }))).count).toBe(19);
    });

    it('answers queries after a reopen from what the log replays', async () => {
      const databaseName = newDatabase();
      const instance = await openInstance(databaseName);
      await insertAll(instance, [inserted('a', 'x', 3), inserted('b', 'x', 1), inserted('c', 'y', 2)]);
      await instance.close();
      const reopened = await openInstance(databaseName);
      expect(keysOf((await reopened.query(prepared({ selector: { value: 'x' }, sort: [{ n: 'asc' }] }))).documents)).toEqual(['b', 'a']);
    });
  });

  describe('getChangedDocumentsSince (RxDB runs it as a query on this storage)', () => {
    it('pages through changes in write order, each document once at its latest state, and resumes from the checkpoint', async () => {
      const instance = await openInstance(newDatabase());
      const empty = await getChangedDocumentsSince(instance, 5);
      expect(empty.documents).toEqual([]);

      const first = Array.from({ length: 6 }, (_, i) => inserted(`a${i}`, 'first', i));
      await insertAll(instance, first);
      await insertAll(instance, Array.from({ length: 6 }, (_, i) => inserted(`b${i}`, 'second', i)));
      // a2 changes after everything else: it moves to the end of the order.
      const a1 = first[1] as RxDocumentData<Item>;
      const a2 = first[2] as RxDocumentData<Item>;
      await instance.bulkWrite([{ previous: a2, document: changed(a2, { value: 'edited' }) }], context);
      await instance.bulkWrite([{ previous: a1, document: changed(a1, { _deleted: true }) }], context);

      const seen: RxDocumentData<Item>[] = [];
      let checkpoint: RxStorageDefaultCheckpoint | undefined;
      for (let page = 0; page < 10; page++) {
        const result = await getChangedDocumentsSince<Item, RxStorageDefaultCheckpoint>(instance, 5, checkpoint);
        if (result.documents.length === 0) {
          // Nothing new: the very checkpoint given comes back.
          expect(result.checkpoint).toEqual(checkpoint);
          break;
        }
        seen.push(...result.documents);
        checkpoint = result.checkpoint;
      }
      expect(keysOf(seen)).toEqual(['a0', 'a3', 'a4', 'a5', 'b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'a2', 'a1']);
      expect(seen.slice(-2).map((document) => [document.value, document._deleted])).toEqual([
        ['edited', false],
        ['first', true],
      ]);
      expect(checkpoint).toEqual({ id: 'a1', lwt: seen.at(-1)?._meta.lwt });

      await insertAll(instance, [inserted('c0', 'later')]);
      expect(keysOf((await getChangedDocumentsSince(instance, 5, checkpoint)).documents)).toEqual(['c0']);
    });
  });

  describe('changeStream', () => {
    it('emits one bulk per write before the write returns: ids, operations, the context, the states and a checkpoint', async () => {
      const instance = await openInstance(newDatabase());
      const bulks: Bulk[] = [];
      const subscription = instance.changeStream().subscribe((bulk) => bulks.push(bulk));
      const a = inserted('a', 'one');
      const b = inserted('b', 'two');
      await instance.bulkWrite([{ document: a }, { document: b }], 'the insert');
      // No waiting: the bulk is out by the time the write resolves.
      expect(bulks).toHaveLength(1);
      const a2 = changed(a, { value: 'edited' });
      await instance.bulkWrite([{ previous: a, document: a2 }], 'the update');
      const a3 = changed(a2, { _deleted: true });
      await instance.bulkWrite([{ previous: a2, document: a3 }], 'the delete');
      expect(bulks.map((bulk) => [bulk.context, bulk.events.map((event) => `${event.documentId}:${event.operation}`)])).toEqual([
        ['the insert', ['a:INSERT', 'b:INSERT']],
        ['the update', ['a:UPDATE']],
        ['the delete', ['a:DELETE']],
      ]);
      const [update, remove] = [bulks[1]?.events[0], bulks[2]?.events[0]];
      expect([update?.documentData, update?.previousDocumentData]).toEqual([a2, a]);
      expect([remove?.documentData, remove?.previousDocumentData]).toEqual([a3, a2]);
      expect(bulks.map((bulk) => bulk.checkpoint)).toEqual([
        { id: 'b', lwt: b._meta.lwt },
        { id: 'a', lwt: a2._meta.lwt },
        { id: 'a', lwt: a3._meta.lwt },
      ]);
      // Replication resumes from the events' checkpoints: nothing written is after them.
      const since = await getChangedDocumentsSince(instance, 100, stackCheckpoints(bulks.map((bulk) => bulk.checkpoint)));
      expect(since.documents).toEqual([]);
      subscription.unsubscribe();
    });

    it('emits nothing for a write refused as a whole', async () => {
      const instance = await openInstance(newDatabase());
      const a = inserted('a', 'one');
      await insertAll(instance, [a]);
      const bulks: Bulk[] = [];
      const subscription = instance.changeStream().subscribe((bulk) => bulks.push(bulk));
      expect((await instance.bulkWrite([{ document: a }], context)).error).toHaveLength(1);
      expect(bulks).toEqual([]);
      subscription.unsubscribe();
    });

    it('completes when the instance closes', async () => {
      const instance = await openInstance(newDatabase());
      let isComplete = false;
      instance.changeStream().subscribe({ complete: () => (isComplete = true) });
      await instance.close();
      expect(isComplete).toBe(true);
    });
  });

  describe('cleanup', () => {
    it('purges tombstones older than minimumDeletedTime only, on disk too', async () => {
      const databaseName = newDatabase();
      const instance = await openInstance(databaseName);
      const live = inserted('live', 'kept', 0, now() - 60_000);
      const old = inserted('old', 'deleted long ago', 0, now() - 60_000);
      const recent = inserted('recent', 'deleted just now', 0, now() - 60_000);
      await insertAll(instance, [live, old, recent]);
      await instance.bulkWrite([{ previous: old, document: changed(old, { _deleted: true }, now() - 30_000) }], context);
      await instance.bulkWrite([{ previous: recent, document: changed(recent, { _deleted: true }) }], context);

      expect(await instance.cleanup(10_000)).toBe(true);
      expect(keysOf(await instance.findDocumentsById(['live', 'old', 'recent'], true)).sort()).toEqual(['live', 'recent']);
      await instance.close();
      const reopened = await openInstance(databaseName);
      expect(keysOf(await reopened.findDocumentsById(['live', 'old', 'recent'], true)).sort()).toEqual(['live', 'recent']);

      expect(await reopened.cleanup(0)).toBe(true);
      expect(keysOf(await reopened.findDocumentsById(['live', 'old', 'recent'], true))).toEqual(['live']);
      // A purged id is free again: inserting it is not a conflict.
      expect((await reopened.bulkWrite([{ document: inserted('old', 'new life') }], context)).error).toEqual([]);
    });
  });

  describe('close and remove', () => {
    it('closes twice, even at once, without failing', async () => {
      const instance = await openInstance(newDatabase());
      await Promise.all([instance.close(), instance.close()]);
      await instance.close();
    });

    it('refuses every call after close', async () => {
      const instance = await openInstance(newDatabase());
      await insertAll(instance, [inserted('a', 'one')]);
      await instance.close();
      await expect(instance.bulkWrite([{ document: inserted('b', 'two') }], context)).rejects.toThrow(/closed/);
      await expect(instance.findDocumentsById(['a'], true)).rejects.toThrow(/closed/);
      await expect(instance.query(prepared({ selector: {} }))).rejects.toThrow(/closed/);
      await expect(instance.count(prepared({ selector: {} }))).rejects.toThrow(/closed/);
      await expect(instance.cleanup(0)).rejects.toThrow(/closed/);
      // (It refuses when open too: the storage keeps no attachments.)
      await expect(instance.getAttachmentData('a', 'file', 'digest')).rejects.toThrow();
      expect(() => instance.changeStream()).toThrow(/closed/);
    });

    it('refuses remove() after close() and leaves the data where it was', async () => {
      const databaseName = newDatabase();
      const instance = await openInstance(databaseName);
      await insertAll(instance, [inserted('a', 'one')]);
      await instance.close();
      await expect(instance.remove()).rejects.toThrow(/closed/);
      const reopened = await openInstance(databaseName);
      expect(keysOf(await reopened.findDocumentsById(['a'], false))).toEqual(['a']);
    });

    it('remove() deletes the data: a new instance of the same name starts empty', async () => {
      const databaseName = newDatabase();
      const instance = await openInstance(databaseName);
      await insertAll(instance, [inserted('a', 'one')]);
      await instance.remove();
      const reopened = await openInstance(databaseName);
      expect(await reopened.findDocumentsById(['a'], true)).toEqual([]);
      expect((await reopened.count(prepared({ selector: {} }))).count).toBe(0);
    });

    it('accepts close() after remove()', async () => {
      const instance = await openInstance(newDatabase());
      await instance.remove();
      await instance.close();
    });

    it('removes one collection and leaves the others of its database', async () => {
      const databaseName = newDatabase();
      const removed = await openInstance(databaseName, { collectionName: 'removed' });
      const kept = await openInstance(databaseName, { collectionName: 'kept' });
      await insertAll(removed, [inserted('a', 'one')]);
      await insertAll(kept, [inserted('a', 'one')]);
      await removed.remove();
      await kept.close();
      expect(keysOf(await (await openInstance(databaseName, { collectionName: 'kept' })).findDocumentsById(['a'], false))).toEqual(['a']);
    });

    it('keeps databases and schema versions apart', async () => {
      const databaseName = newDatabase();
      const v0 = await openInstance(databaseName, { version: 0 });
      const v1 = await openInstance(databaseName, { version: 1 });
      const elsewhere = await openInstance(newDatabase());
      await insertAll(v0, [inserted('a', 'v0')]);
      await insertAll(v1, [inserted('a', 'v1')]);
      expect((await v0.findDocumentsById(['a'], false))[0]?.value).toBe('v0');
      expect((await v1.findDocumentsById(['a'], false))[0]?.value).toBe('v1');
      expect(await elsewhere.findDocumentsById(['a'], true)).toEqual([]);
    });
  });

  describe('several instances on one database and collection (multiInstance)', () => {
    async function pair(): Promise<{ a: Instance; b: Instance }> {
      const databaseName = newDatabase();
      const a = await openInstance(databaseName);
      const b = await openInstance(databaseName);
      // Both have loaded (replayed) the collection: what comes later reaches their streams.
      await a.findDocumentsById(['nothing'], true);
      await b.findDocumentsById(['nothing'], true);
      return { a, b };
    }

    it("reads, queries and streams the other's writes", async () => {
      const { a, b } = await pair();
      const bulksOfA: Bulk[] = [];
      const bulksOfB: Bulk[] = [];
      a.changeStream().subscribe((bulk) => bulksOfA.push(bulk));
      b.changeStream().subscribe((bulk) => bulksOfB.push(bulk));

      const doc = inserted('x', 'from A');
      await insertAll(a, [doc]);
      const { documents } = await b.query(prepared({ selector: {}, sort: [{ key: 'asc' }], limit: 1 }));
      expect(documents).toEqual([doc]);

      const fromB = changed(doc, { value: 'updated by B' });
      expect((await b.bulkWrite([{ previous: doc, document: fromB }], 'B writes')).error).toEqual([]);
      expect(await a.findDocumentsById(['x'], false)).toEqual([fromB]);
      expect((await a.count(prepared({ selector: { value: 'updated by B' } }))).count).toBe(1);

      const operations = (bulks: Bulk[]) => bulks.flatMap((bulk) => bulk.events.map((event) => `${bulk.context}:${event.documentId}:${event.operation}`));
      await expect.poll(() => operations(bulksOfA)).toEqual([`${context}:x:INSERT`, 'B writes:x:UPDATE']);
      await expect.poll(() => operations(bulksOfB)).toEqual([`${context}:x:INSERT`, 'B writes:x:UPDATE']);
    });

    it("checks a write against the other's writes: a stale previous conflicts", async () => {
      const { a, b } = await pair();
      const doc = inserted('x', 'one');
      await insertAll(a, [doc]);
      const fromA = changed(doc, { value: 'A' });
      await a.bulkWrite([{ previous: doc, document: fromA }], context);
      const result = await b.bulkWrite([{ previous: doc, document: changed(doc, { value: 'B' }) }], context);
      expect(conflictOf(result.error[0]).documentInDb).toEqual(fromA);
    });

    it("applies the other's cleanup", async () => {
      const { a, b } = await pair();
      const doc = inserted('x', 'one');
      await insertAll(a, [doc]);
      await a.bulkWrite([{ previous: doc, document: changed(doc, { _deleted: true }) }], context);
      expect(await b.findDocumentsById(['x'], true)).toHaveLength(1);
      await a.cleanup(0);
      expect(await b.findDocumentsById(['x'], true)).toEqual([]);
    });

    it('finishes a query on one while the other closes', async () => {
      const { a, b } = await pair();
      await insertAll(a, [inserted('x', 'one')]);
      const running = b.query(prepared({ selector: {} }));
      const closing = a.close();
      expect(keysOf((await running).documents)).toEqual(['x']);
      await closing;
      expect(keysOf((await b.query(prepared({ selector: {} }))).documents)).toEqual(['x']);
    });
  });

  describe('attachments', () => {
    it('refuses a schema with attachments when the instance is created, saying the storage keeps none', async () => {
      const withAttachments = { ...itemSchema(), attachments: {} };
      await expect(openInstance(newDatabase(), { schema: withAttachments })).rejects.toThrow(/keeps no attachments/);
    });

    it('answers getAttachmentData with an error naming the attachment', async () => {
      const instance = await openInstance(newDatabase());
      await insertAll(instance, [inserted('a', 'one')]);
      await expect(instance.getAttachmentData('a', 'photo.jpg', 'some-digest')).rejects.toThrow(/photo\.jpg/);
    });
  });
});
