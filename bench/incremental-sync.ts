import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { createOutpostDatabase, type OutpostDatabase } from '../client/db/database.ts';
import { startSync } from '../client/sync/sync-engine.ts';
import type { Device } from '../shared/schema/index.ts';
import { PEER_BATCH_SIZE, SITE_DATASET } from './initial-sync-node.ts';
import { PEER_COLLECTIONS } from './peers/couch-documents.ts';
import { startPouchServer } from './peers/pouch-process.ts';
import { interleaved } from './repeat.ts';
import { startSeededOutpost, type SeededOutpost } from './seeded-outpost.ts';
import { median, type BenchRow } from './table.ts';

const CHANGED = 100;
const MemoryPouch = PouchDB.plugin(memoryAdapter).defaults({ adapter: 'memory' });
let names = 0;

/**
 * 2: after the first sync, one client changes 100 devices; the round trip is the time from its
 * local write, through its sync (push) and the server, to another client's sync (pull) having
 * stored all 100. Both sides sync all three collections once per step, as a client that syncs
 * on demand does: Outpost's engine with `live: false`, PouchDB's one-shot replications.
 */
export async function benchIncrementalSync(options: { quick: boolean }): Promise<BenchRow[]> {
  const outpost = await startSeededOutpost(SITE_DATASET);
  const pouch = await startPouchServer(SITE_DATASET);
  const outpostClients = await Promise.all([outpostClient(outpost), outpostClient(outpost)]);
  const pouchClients = [pouchClient(pouch.url), pouchClient(pouch.url)];
  try {
    await Promise.all(pouchClients.map((client) => client.sync('from')));
    let round = 0;
    const samples = await interleaved(
      {
        outpost: () => outpostRoundTrip(outpost, outpostClients, ++round),
        pouch: () => pouchRoundTrip(pouchClients, round),
      },
      { runs: options.quick ? 3 : 7, warmUps: 1 },
    );
    return [
      {
        metric: `incremental sync: ${CHANGED} devices changed on one client, until another has them (one-shot syncs), Node`,
        unit: 'ms',
        outpost: Math.round(median(samples.outpost)),
        peer: Math.round(median(samples.pouch)),
        peerName: 'PouchDB ↔ express-pouchdb (memory)',
        better: 'lower',
        runs: samples.outpost.map(Math.round),
      },
    ];
  } finally {
    for (const db of outpostClients) await db.remove();
    for (const client of pouchClients) await client.destroy();
    await outpost.stop();
    await pouch.stop();
  }
}

async function syncOnce(server: SeededOutpost, db: OutpostDatabase): Promise<void> {
  const sync = startSync({ db, baseUrl: server.url, fetch: server.fetch, live: false, collections: PEER_COLLECTIONS });
  try {
    await sync.awaitInSync();
  } finally {
    await sync.stop();
  }
}

async function outpostClient(server: SeededOutpost): Promise<OutpostDatabase> {
  const db = await createOutpostDatabase({ name: `bench-incremental-${++names}`, storage: getRxStorageMemory(), collections: PEER_COLLECTIONS });
  await syncOnce(server, db);
  return db;
}

async function outpostRoundTrip(server: SeededOutpost, [writer, reader]: OutpostDatabase[], round: number): Promise<number> {
  if (!writer || !reader) throw new Error('two clients expected');
  const note = `bench round ${round}`;
  const devices = await writer.devices.find({ sort: [{ id: 'asc' }], skip: (round * CHANGED) % SITE_DATASET.devices, limit: CHANGED }).exec();
  const started = performance.now();
  await writer.devices.bulkUpsert(devices.map((device) => ({ ...(device.toMutableJSON() as Device), notes: note })));
  await syncOnce(server, writer);
  await syncOnce(server, reader);
  const ms = performance.now() - started;
  const arrived = await reader.devices.findByIds(devices.map((device) => device.id)).exec();
  if ([...arrived.values()].filter((device) => device.notes === note).length !== CHANGED) throw new Error(`round ${round}: the reader lacks some of the ${CHANGED} changes`);
  return ms;
}

interface PouchClient {
  databases: Map<string, PouchDatabase>;
  sync(direction: 'from' | 'to'): Promise<void>;
  destroy(): Promise<void>;
}

function pouchClient(serverUrl: string): PouchClient {
  const id = ++names;
  const databases = new Map(PEER_COLLECTIONS.map((name) => [name, new MemoryPouch(`bench-incremental-${id}-${name}`)] as const));
  return {
    databases,
    async sync(direction) {
      await Promise.all(
        [...databases].map(([name, db]) => {
          const remote = new PouchDB(`${serverUrl}/${name}`);
          return direction === 'from' ? db.replicate.from(remote, { batch_size: PEER_BATCH_SIZE }) : db.replicate.to(remote, { batch_size: PEER_BATCH_SIZE });
        }),
      );
    },
    destroy: async () => {
      await Promise.all([...databases.values()].map((db) => db.destroy()));
    },
  };
}

async function pouchRoundTrip([writer, reader]: PouchClient[], round: number): Promise<number> {
  const devices = writer?.databases.get('devices');
  if (!writer || !reader || !devices) throw new Error('two clients expected');
  const note = `bench round ${round}`;
  const page = await devices.allDocs({ include_docs: true, skip: (round * CHANGED) % SITE_DATASET.devices, limit: CHANGED });
  const changed = page.rows.map((row) => ({ ...row.doc, notes: note }));
  const started = performance.now();
  await devices.bulkDocs(changed);
  await writer.sync('to');
  await reader.sync('from');
  const ms = performance.now() - started;
  const arrived = await reader.databases.get('devices')?.allDocs({ include_docs: true, keys: page.rows.map((row) => row.id) });
  if (arrived?.rows.filter((row) => (row.doc as { notes?: string } | undefined)?.notes === note).length !== CHANGED) {
    throw new Error(`round ${round}: the PouchDB reader lacks some of the ${CHANGED} changes`);
  }
  return ms;
}
