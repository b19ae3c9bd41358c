import { createRxDatabase, type RxReplicationPullStreamItem } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/client.ts';

interface Item {
  id: string;
  value: string;
}
type SeqCheckpoint = { seq: number };

/**
 * RxDB 17.6's downstream queue used to drop a RESYNC that arrived behind other stream events
 * (it shifted the RESYNC off the queue, then stopped without running it). The events after it
 * then moved the checkpoint past whatever the stream had lost while it was cut, and the replica
 * never pulled those documents: the chaos run's "replica stays a few documents behind". The
 * fix is a patch of rxdb (patches/rxdb+*.patch, applied by patch-package on install).
 */
describe('RxDB downstream: a RESYNC queued behind stream events', () => {
  it('still pulls what the stream lost, before later events move the checkpoint past it', async () => {
    const db = await createRxDatabase<{ items: import('rxdb').RxCollection<Item> }>({
      name: `resync-${Math.random().toString(36).slice(2)}`,
      storage: getRxStorageMemory(),
      multiInstance: false,
    });
    await db.addCollections({
      items: {
        schema: {
          version: 0,
          primaryKey: 'id',
          type: 'object',
          properties: { id: { type: 'string', maxLength: 40 }, value: { type: 'string' } },
          required: ['id', 'value'],
        },
      },
    });
    // The server: documents in commit order (sequence = index + 1).
    const committed: Item[] = [{ id: 'x0', value: 'first' }];
    const commit = (item: Item) => committed.push(item) as number;
    let heldPull: (() => void) | undefined;
    let holdNextPull = false;
    const stream = new Subject<RxReplicationPullStreamItem<Item, SeqCheckpoint>>();
    const replication = replicateRxCollection<Item, SeqCheckpoint>({
      collection: db.items,
      replicationIdentifier: 'resync-test',
      live: true,
      retryTime: 10,
      pull: {
        batchSize: 100,
        stream$: stream.asObservable(),
        handler: async (checkpoint) => {
          const since = checkpoint?.seq ?? 0;
          // The answer reflects the server at the time of the request, however late it arrives.
          const documents = committed.slice(since).map((item) => ({ ...item, _deleted: false }));
          if (holdNextPull) {
            holdNextPull = false;
            await new Promise<void>((resolve) => (heldPull = resolve));
          }
          return { documents, checkpoint: { seq: since + documents.length } };
        },
      },
    });
    try {
      await replication.awaitInitialReplication();
      // A slow pull is running (the stream reconnected once) while events and RESYNCs queue up.
      holdNextPull = true;
      stream.next('RESYNC');
      await waitFor(() => heldPull !== undefined, 5000, 'the held pull');
      const lost = { id: 'x2', value: 'committed while the stream was cut' };
      const x1 = { id: 'x1', value: 'streamed' };
      // Messages arrive a few milliseconds apart, as over a network.
      const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
      stream.next({ documents: [{ ...x1, _deleted: false }], checkpoint: { seq: commit(x1) } });
      await tick();
      commit(lost); // its event never reaches this client: the stream is cut here
      stream.next('RESYNC'); // the stream reconnected: the server says "pull"
      await tick();
      const x3 = { id: 'x3', value: 'streamed after the reconnect' };
      stream.next({ documents: [{ ...x3, _deleted: false }], checkpoint: { seq: commit(x3) } });
      // All three are queued behind the held pull before it answers.
      await new Promise((resolve) => setTimeout(resolve, 50));
      heldPull?.();

      await waitFor(async () => (await db.items.findByIds(['x3']).exec()).has('x3'), 5000, 'the event after the reconnect');
      await replication.awaitInSync();
      const ids = [...(await db.items.find().exec()).map((d) => d.id)].sort();
      expect(ids).toEqual(['x0', 'x1', 'x2', 'x3']);
    } finally {
      await replication.cancel();
      await db.close();
    }
  });
});
