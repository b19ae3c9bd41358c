import 'fake-indexeddb/auto';
import { createRevision, fillWithDefaultSettings, now, randomToken, type RxDocumentData, type RxJsonSchema, type RxStorageInstance, type RxStorageWriteError, type RxStorageWriteErrorConflict } from 'rxdb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChunkLog } from './chunk-log.ts';
import { getRxStorageLog, logNameOf, LogStorageInstance, type LogStorageInternals } from './log-storage.ts';

interface Item {
  id: string;
  label: string;
}

const schema = fillWithDefaultSettings<Item>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 }, label: { type: 'string', maxLength: 64 } },
  required: ['id', 'label'],
  indexes: ['label'],
} as RxJsonSchema<Item>) as RxJsonSchema<RxDocumentData<Item>>;

type Instance = RxStorageInstance<Item, LogStorageInternals, Record<string, never>>;
const open: Instance[] = [];

async function openInstance(databaseName: string, collectionName = 'items'): Promise<Instance> {
  const instance = await getRxStorageLog().createStorageInstance<Item>({
    databaseInstanceToken: randomToken(10),
    databaseName,
    collectionName,
    schema,
    options: {},
    multiInstance: true,
    devMode: false,
  });
  open.push(instance);
  return instance;
}

function state(id: string, label: string, previous?: RxDocumentData<Item>, isDeleted = false): RxDocumentData<Item> {
  return { id, label, _deleted: isDeleted, _attachments: {}, _rev: createRevision(randomToken(6), previous), _meta: { lwt: now() } };
}

const storedOf = (error: RxStorageWriteError<Item>) => (error as RxStorageWriteErrorConflict<Item>).documentInDb;

const labels = async (instance: Instance, ids: string[]) =>
  Object.fromEntries((await instance.findDocumentsById(ids, true)).map((document) => [document.id, document._deleted ? 'deleted' : document.label]));

afterEach(async () => {
  await Promise.all(open.splice(0).map((instance) => instance.close()));
});

describe('log storage', () => {
  it('keeps every acknowledged write, update and delete across a reopen', async () => {
    const name = `db-${randomToken(8)}`;
    const first = await openInstance(name);
    const a = state('a', 'one');
    const b = state('b', 'two');
    expect((await first.bulkWrite([{ document: a }, { document: b }], 'test')).error).toEqual([]);
    const a2 = state('a', 'one, edited', a);
    const b2 = state('b', 'two', b, true);
    expect((await first.bulkWrite([{ previous: a, document: a2 }, { previous: b, document: b2 }], 'test')).error).toEqual([]);
    await first.close();

    const reopened = await openInstance(name);
    expect(await labels(reopened, ['a', 'b'])).toEqual({ a: 'one, edited', b: 'deleted' });
    expect((await reopened.findDocumentsById(['a'], false))[0]?._rev).toBe(a2._rev);
  });

  it('replays the log at open without announcing it as changes, and waits for it before answering', async () => {
    const name = `db-${randomToken(8)}`;
    const first = await openInstance(name);
    await first.bulkWrite(Array.from({ length: 1200 }, (_, i) => ({ document: state(`n${i}`, 'stored') })), 'test');
    await first.close();
    const reopened = await openInstance(name);
    const seen: string[] = [];
    const subscription = reopened.changeStream().subscribe((bulk) => seen.push(...bulk.events.map((event) => event.documentId)));
    expect(await reopened.findDocumentsById(['n0', 'n1199'], false)).toHaveLength(2);
    expect(seen).toEqual([]);
    await reopened.bulkWrite([{ document: state('later', 'new') }], 'test');
    expect(seen).toEqual(['later']);
    subscription.unsubscribe();
  });

  it('refuses a write whose previous state is not the stored one, and stores nothing of it', async () => {
    const name = `db-${randomToken(8)}`;
    const instance = await openInstance(name);
    const a = state('a', 'one');
    await instance.bulkWrite([{ document: a }], 'test');
    const stale = state('a', 'stale', state('a', 'never stored'));
    const result = await instance.bulkWrite([{ previous: { ...a, _rev: stale._rev }, document: stale }, { document: state('a', 'again') }], 'test');
    expect(result.error.map((error) => error.status)).toEqual([409, 409]);
    await instance.close();
    expect(await labels(await openInstance(name), ['a'])).toEqual({ a: 'one' });
  });

  it('answers queries from memory after a reopen, with the index', async () => {
    const name = `db-${randomToken(8)}`;
    const instance = await openInstance(name);
    await instance.bulkWrite(
      Array.from({ length: 50 }, (_, i) => ({ document: state(`id-${String(i).padStart(2, '0')}`, `label ${i % 5}`) })),
      'test',
    );
    await instance.close();
    const reopened = await openInstance(name);
    const query = {
      query: { selector: { label: 'label 3' }, sort: [{ label: 'asc' as const }, { id: 'asc' as const }], skip: 0 },
      queryPlan: { index: ['_deleted', 'label', 'id'], startKeys: [false, 'label 3', ''], endKeys: [false, 'label 3', '\uffff'], inclusiveStart: true, inclusiveEnd: true, sortSatisfiedByIndex: true, selectorSatisfiedByIndex: true },
    };
    const { documents } = await reopened.query(query as never);
    expect(documents.map((document) => document.id)).toEqual(['id-03', 'id-08', 'id-13', 'id-18', 'id-23', 'id-28', 'id-33', 'id-38', 'id-43', 'id-48']);
  });

  it('leaves memory and disk unchanged when IndexedDB refuses the write (a full disk)', async () => {
    const name = `db-${randomToken(8)}`;
    const instance = await openInstance(name);
    const a = state('a', 'one');
    await instance.bulkWrite([{ document: a }], 'test');
    const add = IDBObjectStore.prototype.add;
    IDBObjectStore.prototype.add = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    try {
      await expect(instance.bulkWrite([{ previous: a, document: state('a', 'too much', a) }, { document: state('c', 'new') }], 'test')).rejects.toMatchObject({ name: 'QuotaExceededError' });
    } finally {
      IDBObjectStore.prototype.add = add;
    }
    expect(await labels(instance, ['a', 'c'])).toEqual({ a: 'one' });
    // Space again: the same write goes through against the state that was kept.
    expect((await instance.bulkWrite([{ previous: a, document: state('a', 'fits now', a) }], 'test')).error).toEqual([]);
    await instance.close();
    expect(await labels(await openInstance(name), ['a', 'c'])).toEqual({ a: 'fits now' });
  });

  it('gives two copies (two tabs) one order of writes: the second writer sees the first and conflicts', async () => {
    const name = `db-${randomToken(8)}`;
    const tabA = await openInstance(name);
    const tabB = await openInstance(name);
    const a = state('a', 'one');
    await tabA.bulkWrite([{ document: a }], 'tab A');
    // Tab B never heard of it, yet its insert of the same id is checked against it.
    const result = await tabB.bulkWrite([{ document: state('a', 'from B') }], 'tab B');
    expect(result.error.map((error) => [error.status, storedOf(error).label])).toEqual([[409, 'one']]);
    const fromB = state('a', 'B edits A', a);
    expect((await tabB.bulkWrite([{ previous: a, document: fromB }], 'tab B')).error).toEqual([]);
    const lateA = await tabA.bulkWrite([{ previous: a, document: state('a', 'A edits its stale copy', a) }], 'tab A');
    expect(lateA.error.map((error) => storedOf(error)._rev)).toEqual([fromB._rev]);
  });

  it('lets a replication meta instance read at once what another copy of its log wrote', async () => {
    const name = `db-${randomToken(8)}`;
    // RxDB's name for a replication's meta instance; the conflict bases open a second copy of it.
    const replication = await openInstance(name, 'rx-replication-meta-0123abcd');
    const bases = await openInstance(name, 'rx-replication-meta-0123abcd');
    await replication.findDocumentsById(['a'], true);
    for (let round = 0; round < 20; round++) {
      const id = `base-${round}`;
      expect((await bases.bulkWrite([{ document: state(id, `master ${round}`) }], 'test')).error).toEqual([]);
      // No waiting for the other copy's notice: the next read must already see the row.
      expect(await labels(replication, [id])).toEqual({ [id]: `master ${round}` });
      const stored = (await replication.findDocumentsById([id], true))[0] as RxDocumentData<Item>;
      expect((await replication.bulkWrite([{ previous: stored, document: state(id, `pushed ${round}`, stored) }], 'test')).error).toEqual([]);
      expect(await labels(bases, [id])).toEqual({ [id]: `pushed ${round}` });
    }
  });

  it('shows another tab its writes through its change stream', async () => {
    const name = `db-${randomToken(8)}`;
    const tabA = await openInstance(name);
    const tabB = await openInstance(name);
    const seen: string[] = [];
    const subscription = tabB.changeStream().subscribe((bulk) => seen.push(...bulk.events.map((event) => `${bulk.context}:${event.documentId}:${event.operation}`)));
    // Tab B has answered a read (its log is replayed): what comes later reaches its stream.
    expect(await tabB.findDocumentsById(['x'], false)).toEqual([]);
    await tabA.bulkWrite([{ document: state('x', 'from A') }], 'tab A write');
    await expect.poll(() => seen).toEqual(['tab A write:x:INSERT']);
    expect(await labels(tabB, ['x'])).toEqual({ x: 'from A' });
    subscription.unsubscribe();
  });

  it('compacts a long log into a snapshot that reopens to the same state, purged tombstones gone', async () => {
    const name = `db-${randomToken(8)}`;
    const instance = await openInstance(name);
    let current = Array.from({ length: 300 }, (_, i) => state(`d${i}`, 'v0'));
    await instance.bulkWrite(current.map((document) => ({ document })), 'test');
    // 300 documents rewritten 10 times one at a time: well past the compaction threshold.
    for (let round = 1; round <= 10; round++) {
      const next = current.map((document) => state(document.id, `v${round}`, document, round === 10 && document.id === 'd7'));
      for (let i = 0; i < next.length; i++) await instance.bulkWrite([{ previous: current[i] as RxDocumentData<Item>, document: next[i] as RxDocumentData<Item> }], 'test');
      current = next;
    }
    const log = await ChunkLog.open(logNameOf(name, 'items', 0));
    const records = await log.readAfter();
    log.close();
    expect(records.length).toBeLessThan(2000);
    expect(records.some((record) => record.record.snapshot)).toBe(true);
    expect(await instance.cleanup(0)).toBe(true);
    await instance.close();
    const reopened = await openInstance(name);
    const stored = await reopened.findDocumentsById(current.map((document) => document.id), true);
    expect(stored).toHaveLength(299);
    expect(new Set(stored.map((document) => document.label))).toEqual(new Set(['v10']));
  });

  it('keeps another tab equal to the writer through a compaction spanning several records', async () => {
    const name = `db-${randomToken(8)}`;
    const writer = await openInstance(name);
    const reader = await openInstance(name);
    let current = Array.from({ length: 600 }, (_, i) => state(`s${i}`, 'v0'));
    await writer.bulkWrite(current.map((document) => ({ document })), 'test');
    expect(await reader.findDocumentsById(['s0'], false)).toHaveLength(1);
    for (let round = 1; round <= 5; round++) {
      const next = current.map((document) => state(document.id, `v${round}`, document, round === 5 && document.id === 's9'));
      for (let i = 0; i < next.length; i++) await writer.bulkWrite([{ previous: current[i] as RxDocumentData<Item>, document: next[i] as RxDocumentData<Item> }], 'test');
      current = next;
    }
    const log = await ChunkLog.open(logNameOf(name, 'items', 0));
    const snapshots = (await log.readAfter()).filter(({ record }) => record.snapshot);
    log.close();
    expect(snapshots.length).toBeGreaterThan(1);
    const ids = current.map((document) => document.id);
    const stateOf = async (instance: Instance) => (await instance.findDocumentsById(ids, true)).map((document) => [document.id, document._rev, document._deleted]);
    await expect.poll(() => stateOf(reader)).toEqual(await stateOf(writer));
  });

  it('keeps the write that made a compaction due when the compaction fails: the write succeeds, the failure is logged and retried', async () => {
    const name = `db-${randomToken(8)}`;
    const instance = await openInstance(name);
    const seen: string[] = [];
    const subscription = instance.changeStream().subscribe((bulk) => seen.push(bulk.context));
    let current = Array.from({ length: 800 }, (_, i) => state(`c${i}`, 'v0'));
    await instance.bulkWrite(current.map((document) => ({ document })), 'v0');
    const rewrite = async (label: string) => {
      const next = current.map((document) => state(document.id, label, document));
      const result = await instance.bulkWrite(
        next.map((document, i) => ({ previous: current[i] as RxDocumentData<Item>, document })),
        label,
      );
      current = next;
      return result;
    };
    await rewrite('v1');
    // Only a compaction clears the log: make every compaction fail (a disk too full for the snapshot).
    const clear = IDBObjectStore.prototype.clear;
    IDBObjectStore.prototype.clear = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // 2,400 states logged for 800 documents: this write makes a compaction due.
      expect((await rewrite('v2')).error).toEqual([]);
      expect(seen).toEqual(['v0', 'v1', 'v2']);
      await expect.poll(() => warn.mock.calls.length).toBe(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/compact/);
    } finally {
      IDBObjectStore.prototype.clear = clear;
      warn.mockRestore();
    }
    expect(await labels(instance, ['c0', 'c799'])).toEqual({ c0: 'v2', c799: 'v2' });
    const log = await ChunkLog.open(logNameOf(name, 'items', 0));
    expect((await log.readAfter()).some(({ record }) => record.snapshot)).toBe(false);
    // Writes go on, and a later one retries the compaction, which now succeeds.
    for (const label of ['v3', 'v4', 'v5']) expect((await rewrite(label)).error).toEqual([]);
    await expect.poll(async () => (await log.readAfter()).filter(({ record }) => !record.snapshot).length).toBe(0);
    log.close();
    subscription.unsubscribe();
    await instance.close();
    expect(await labels(await openInstance(name), ['c0', 'c799'])).toEqual({ c0: 'v5', c799: 'v5' });
  });

  it('writes a first sync page of thousands of documents as a few records, without compacting', async () => {
    const name = `db-${randomToken(8)}`;
    const instance = await openInstance(name);
    await instance.bulkWrite(Array.from({ length: 5000 }, (_, i) => ({ document: state(`p${i}`, 'page') })), 'test');
    const log = await ChunkLog.open(logNameOf(name, 'items', 0));
    const records = await log.readAfter();
    log.close();
    expect(records.map(({ record }) => [record.states?.length, record.snapshot])).toEqual(Array.from({ length: 10 }, () => [500, undefined]));
  });

  describe('documents written with the JSON text they were parsed from', () => {
    /** Documents as a pulled page: parsed from text, then each given the same fields. */
    function parsedPage(ids: string[], label: string) {
      const json = JSON.stringify(ids.map((id) => ({ id, label, _deleted: false })));
      const shared = { _attachments: {}, _rev: createRevision(randomToken(6)), _meta: { lwt: 1 } };
      const rows = (JSON.parse(json) as Item[]).map((document) => ({ document: { ...document, ...structuredClone(shared) } as RxDocumentData<Item> }));
      return { rows, source: { json, shared } };
    }

    it('logs a page of new documents as its text, one record, and reopens to the same states', async () => {
      const name = `db-${randomToken(8)}`;
      const instance = (await openInstance(name)) as LogStorageInstance<Item>;
      const { rows, source } = parsedPage(['p1', 'p2', 'p3'], 'pulled');
      expect((await instance.bulkWriteParsed(rows, 'test', source)).error).toEqual([]);
      const log = await ChunkLog.open(logNameOf(name, 'items', 0));
      expect((await log.readAfter()).map(({ record }) => [record.parsed?.json, record.states])).toEqual([[source.json, undefined]]);
      log.close();
      await instance.close();
      const reopened = await openInstance(name);
      const stored = await reopened.findDocumentsById(['p1', 'p2', 'p3'], true);
      expect(stored.sort((x, y) => x.id.localeCompare(y.id))).toEqual(rows.map(({ document }) => document));
      // Each document has fields of its own, not one object shared by all.
      expect(stored[0]?._meta).not.toBe(stored[1]?._meta);
    });

    it('logs the states as usual when a document already exists, and refuses only that one', async () => {
      const name = `db-${randomToken(8)}`;
      const instance = (await openInstance(name)) as LogStorageInstance<Item>;
      await instance.bulkWrite([{ document: state('q2', 'local') }], 'test');
      const { rows, source } = parsedPage(['q1', 'q2'], 'pulled');
      const result = await instance.bulkWriteParsed(rows, 'test', source);
      expect(result.error.map((error) => [error.documentId, error.status])).toEqual([['q2', 409]]);
      const log = await ChunkLog.open(logNameOf(name, 'items', 0));
      expect((await log.readAfter()).map(({ record }) => [record.parsed, record.states?.length])).toEqual([[undefined, 1], [undefined, 1]]);
      log.close();
      await instance.close();
      expect(await labels(await openInstance(name), ['q1', 'q2'])).toEqual({ q1: 'pulled', q2: 'local' });
    });

    it('reaches another tab like any write', async () => {
      const name = `db-${randomToken(8)}`;
      const writer = (await openInstance(name)) as LogStorageInstance<Item>;
      const reader = await openInstance(name);
      expect(await reader.findDocumentsById(['r1'], false)).toEqual([]);
      const { rows, source } = parsedPage(['r1', 'r2'], 'pulled');
      await writer.bulkWriteParsed(rows, 'test', source);
      await expect.poll(() => labels(reader, ['r1', 'r2'])).toEqual({ r1: 'pulled', r2: 'pulled' });
    });
  });

  it('remove deletes the collection for good', async () => {
    const name = `db-${randomToken(8)}`;
    const instance = await openInstance(name);
    await instance.bulkWrite([{ document: state('a', 'one') }], 'test');
    open.splice(open.indexOf(instance), 1);
    await instance.remove();
    expect(await labels(await openInstance(name), ['a'])).toEqual({});
  });
});
