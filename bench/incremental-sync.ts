import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';
import { filter } from 'rxjs';
import type { Device } from '../shared/schema/index.ts';
import { PEER_BATCH_SIZE, SITE_DATASET } from './initial-sync-node.ts';
import { startLiveClient, type LiveClient } from './node-clients.ts';
import { PEER_COLLECTIONS } from './peers/couch-documents.ts';
import { startPouchServer } from './peers/pouch-process.ts';
import { interleaved } from './repeat.ts';
import { startSeededOutpost } from './seeded-outpost.ts';
import { median, type BenchRow } from './table.ts';

const CHANGED = 100;
const MemoryPouch = PouchDB.plugin(memoryAdapter).defaults({ adapter: 'memory' });
let names = 0;

/**
 * 2: after the first sync, one client changes 100 devices at once; the round trip is the time
 * from that local write, through the server, to another client holding all 100. Both clients
 * stay synced the way each product keeps a client current: Outpost's engine (push on write,
 * the server's live stream), PouchDB's live replications (to the server, from the server).
 */
export async function benchIncrementalSync(options: { quick: boolean }): Promise<BenchRow[]> {
  const outpost = await startSeededOutpost(SITE_DATASET);
  const pouch = await startPouchServer(SITE_DATASET);
  const outpostClients = [await startLiveClient(outpost, 'bench-incremental'), await startLiveClient(outpost, 'bench-incremental')];
  const pouchClients = [await livePouchClient(pouch.url), await livePouchClient(pouch.url)];
  try {
    let round = 0;
    const samples = await interleaved(
      {
        outpost: () => outpostRoundTrip(outpostClients, ++round),
        pouch: () => pouchRoundTrip(pouchClients, round),
      },
      { runs: options.quick ? 3 : 7, warmUps: 1 },
    );
    return [
      {
        metric: `incremental sync: ${CHANGED} devices changed at once on one client, until another has them all (both live), Node`,
        unit: 'ms',
        outpost: Math.round(median(samples.outpost)),
        peer: Math.round(median(samples.pouch)),
        peerName: 'PouchDB ↔ express-pouchdb (memory), live replications',
        better: 'lower',
        runs: samples.outpost.map(Math.round),
      },
    ];
  } finally {
    for (const client of outpostClients) await client.close();
    for (const client of pouchClients) await client.close();
    await outpost.stop();
    await pouch.stop();
  }
}

/** The devices a round changes: a different hundred each time. */
const slice = (round: number) => ({ skip: (round * CHANGED) % SITE_DATASET.devices, limit: CHANGED });

async function outpostRoundTrip([writer, reader]: LiveClient[], round: number): Promise<number> {
  const received = reader?.sync.replications.get('devices')?.received$;
  if (!writer || !received) throw new Error('two clients replicating devices expected');
  const note = `bench round ${round}`;
  const devices = await writer.db.devices.find({ sort: [{ id: 'asc' }], ...slice(round) }).exec();
  const seen = new Set<string>();
  const arrived = new Promise<void>((resolve) => {
    const subscription = received.pipe(filter((document) => (document as { notes?: string }).notes === note)).subscribe((document) => {
      seen.add((document as { id: string }).id);
      if (seen.size < CHANGED) return;
      subscription.unsubscribe();
      resolve();
    });
  });
  const started = performance.now();
  await writer.db.devices.bulkUpsert(devices.map((device) => ({ ...(device.toMutableJSON() as Device), notes: note })));
  await arrived;
  return performance.now() - started;
}

interface LivePouchClient {
  devices: PouchDatabase;
  close(): Promise<void>;
}

/** A PouchDB client holding every collection, replicating each live both ways after a first pull. */
async function livePouchClient(serverUrl: string): Promise<LivePouchClient> {
  const id = ++names;
  const databases = new Map(PEER_COLLECTIONS.map((name) => [name, new MemoryPouch(`bench-incremental-${id}-${name}`)] as const));
  const remote = (name: string) => new PouchDB(`${serverUrl}/${name}`);
  await Promise.all([...databases].map(([name, db]) => db.replicate.from(remote(name), { batch_size: PEER_BATCH_SIZE })));
  const live = { live: true, retry: true, batch_size: PEER_BATCH_SIZE };
  const replications = [...databases].flatMap(([name, db]) => [db.replicate.to(remote(name), live), db.replicate.from(remote(name), live)]);
  const devices = databases.get('devices');
  if (!devices) throw new Error('no devices database');
  return {
    devices,
    async close() {
      for (const replication of replications) replication.cancel();
      await Promise.all([...databases.values()].map((db) => db.destroy()));
    },
  };
}

async function pouchRoundTrip([writer, reader]: LivePouchClient[], round: number): Promise<number> {
  if (!writer || !reader) throw new Error('two clients expected');
  const note = `bench round ${round}`;
  const page = await writer.devices.allDocs({ include_docs: true, ...slice(round) });
  const seen = new Set<string>();
  const arrived = new Promise<void>((resolve) => {
    const feed = reader.devices.changes({ since: 'now', live: true, include_docs: true }).on('change', (change) => {
      if (change.doc?.['notes'] !== note) return;
      seen.add(change.id);
      if (seen.size < CHANGED) return;
      feed.cancel();
      resolve();
    });
  });
  const started = performance.now();
  await writer.devices.bulkDocs(page.rows.map((row) => ({ ...row.doc, notes: note })));
  await arrived;
  return performance.now() - started;
}
