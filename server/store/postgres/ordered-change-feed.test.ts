import { describe, expect, it } from 'vitest';
import type { CollectionName } from '../../../shared/schema/collections.ts';
import type { ChangeBatch, StoredDocument } from '../store.ts';
import { createLogger, type Logger } from '../../observability/logger.ts';
import { OrderedChangeFeed, type ChangeLoader } from './ordered-change-feed.ts';

const ORG = 'org-1';

/** A committed history of one organization: change n is document `d<n>` of `collections[n - 1]`. */
function history(collections: readonly CollectionName[]) {
  const documentAt = (seq: number) => ({ id: `d${seq}`, orgId: ORG, _deleted: false }) as StoredDocument;
  const loads: [number, number][] = [];
  const load: ChangeLoader = async (orgId, afterSeq, throughSeq, limit) => {
    loads.push([afterSeq, throughSeq]);
    const batches: ChangeBatch[] = [];
    for (let seq = afterSeq + 1; seq <= Math.min(throughSeq, afterSeq + limit, collections.length); seq++) {
      const collection = collections[seq - 1] ?? 'devices';
      const last = batches.at(-1);
      if (last?.collection === collection) {
        last.documents.push(documentAt(seq));
        last.seq = seq;
      } else {
        batches.push({ collection, orgId, documents: [documentAt(seq)], seq });
      }
    }
    return batches;
  };
  const written = (fromSeq: number, toSeq: number) => ({
    kind: 'written' as const,
    fromSeq,
    batch: { collection: collections[fromSeq - 1] ?? 'devices', orgId: ORG, documents: range(fromSeq, toSeq).map(documentAt), seq: toSeq },
  });
  return { load, loads, written };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function feedOf(load: ChangeLoader, logger?: Logger) {
  const emitted: ChangeBatch[] = [];
  const feed = new OrderedChangeFeed(load, (batches) => emitted.push(...batches), logger);
  const ids = () => emitted.flatMap((b) => b.documents.map((d) => d.id));
  return { feed, emitted, ids };
}

describe('OrderedChangeFeed', () => {
  it('emits batches written here as they are, without loading, when they arrive in order', async () => {
    const { load, loads, written } = history(['devices', 'devices', 'devices']);
    const { feed, emitted } = feedOf(load);
    feed.start([]);
    await feed.deliver(written(1, 2));
    await feed.deliver(written(3, 3));
    expect(emitted.map((b) => [b.documents.map((d) => d.id), b.seq])).toEqual([[['d1', 'd2'], 2], [['d3'], 3]]);
    expect(loads).toEqual([]);
  });

  it('loads the changes before a batch that arrives past a gap, emits them first and drops the late batch', async () => {
    const { load, loads, written } = history(['devices', 'runbooks', 'devices', 'devices']);
    const { feed, emitted, ids } = feedOf(load);
    feed.start([[ORG, 1]]);
    await feed.deliver(written(4, 4));
    await feed.deliver(written(2, 3));
    expect(loads).toEqual([[1, 3]]);
    expect(ids()).toEqual(['d2', 'd3', 'd4']);
    expect(emitted.map((b) => [b.collection, b.seq])).toEqual([
      ['runbooks', 2],
      ['devices', 3],
      ['devices', 4],
    ]);
    expect(feed.positionOf(ORG)).toBe(4);
  });

  it('loads announced changes of other instances by range, and skips what it already emitted', async () => {
    const { load, loads, written } = history(['devices', 'devices', 'devices', 'devices']);
    const { feed, ids } = feedOf(load);
    feed.start([]);
    await feed.deliver({ kind: 'announced', orgId: ORG, toSeq: 2 });
    await feed.deliver(written(3, 3));
    await feed.deliver({ kind: 'announced', orgId: ORG, toSeq: 3 });
    await feed.deliver({ kind: 'announced', orgId: ORG, toSeq: 4 });
    expect(ids()).toEqual(['d1', 'd2', 'd3', 'd4']);
    expect(loads).toEqual([
      [0, 2],
      [3, 4],
    ]);
  });

  it('moves past seeded changes without emitting them', async () => {
    const { load, loads, written } = history(['devices', 'devices', 'devices']);
    const { feed, ids } = feedOf(load);
    feed.start([]);
    await feed.deliver({ kind: 'silent', orgId: ORG, fromSeq: 1, toSeq: 2 });
    await feed.deliver(written(3, 3));
    expect(ids()).toEqual(['d3']);
    expect(loads).toEqual([]);
  });

  it('handles nothing before it knows where each organization stood, and nothing at or below that', async () => {
    const { load, written } = history(['devices', 'devices', 'devices']);
    const { feed, ids } = feedOf(load);
    const delivered = feed.deliver({ kind: 'announced', orgId: ORG, toSeq: 2 });
    const local = feed.deliver(written(3, 3));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ids()).toEqual([]);
    feed.start([[ORG, 2]]);
    await Promise.all([delivered, local]);
    expect(ids()).toEqual(['d3']);
  });

  it('pages through a long gap', async () => {
    const collections = Array.from({ length: 1_234 }, (): CollectionName => 'devices');
    const { load, loads } = history(collections);
    const { feed, ids } = feedOf(load);
    feed.start([]);
    await feed.deliver({ kind: 'announced', orgId: ORG, toSeq: 1_234 });
    expect(ids()).toEqual(range(1, 1_234).map((seq) => `d${seq}`));
    expect(loads).toEqual([
      [0, 1_234],
      [500, 1_234],
      [1_000, 1_234],
    ]);
  });

  it('emits a batch in hand even when the gap before it cannot be loaded, and retries an announced range later', async () => {
    const logged: string[] = [];
    const logger = createLogger({ level: 'error', destination: { write: (line: string) => void logged.push(line) } });
    const { load, written } = history(['devices', 'devices', 'devices', 'devices', 'devices']);
    let isDown = true;
    const flaky: ChangeLoader = (...args) => (isDown ? Promise.reject(new Error('database unreachable')) : load(...args));
    const { feed, ids } = feedOf(flaky, logger);
    feed.start([]);
    await feed.deliver(written(2, 2));
    expect(ids()).toEqual(['d2']);
    await feed.deliver({ kind: 'announced', orgId: ORG, toSeq: 4 });
    expect(ids()).toEqual(['d2']);
    isDown = false;
    await feed.deliver({ kind: 'announced', orgId: ORG, toSeq: 5 });
    expect(ids()).toEqual(['d2', 'd3', 'd4', 'd5']);
    expect(logged.join('')).toContain('database unreachable');
  });

  it('lets organizations proceed independently and settles idle() once all are handled', async () => {
    let release: () => void = () => undefined;
    const slow: ChangeLoader = async (orgId, afterSeq, throughSeq) => {
      if (orgId === 'slow') await new Promise<void>((resolve) => (release = resolve));
      const batch: ChangeBatch = { collection: 'devices', orgId, documents: [{ id: `${orgId}-${throughSeq}`, orgId, _deleted: false } as StoredDocument], seq: throughSeq };
      return afterSeq < throughSeq ? [batch] : [];
    };
    const { feed, ids } = feedOf(slow);
    feed.start([]);
    void feed.deliver({ kind: 'announced', orgId: 'slow', toSeq: 1 });
    await feed.deliver({ kind: 'announced', orgId: 'fast', toSeq: 1 });
    expect(ids()).toEqual(['fast-1']);
    let isIdle = false;
    const idle = feed.idle().then(() => (isIdle = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(isIdle).toBe(false);
    release();
    await idle;
    expect(ids()).toEqual(['fast-1', 'slow-1']);
  });
});
