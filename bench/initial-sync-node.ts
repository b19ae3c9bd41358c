import { outpostFirstSync, pouchFirstSync } from './node-clients.ts';
import { PEER_COLLECTIONS } from './peers/couch-documents.ts';
import { startPouchServer } from './peers/pouch-process.ts';
import { interleaved } from './repeat.ts';
import { startSeededOutpost, type BenchDatasetSize } from './seeded-outpost.ts';
import { median, speedUp, type BenchRow } from './table.ts';

export const SITE_DATASET: BenchDatasetSize = { devices: 10_000, runbooks: 1000, risks: 2000 };
/**
 * PouchDB's batch_size: its fastest here (Node and Chromium; 2,000 is no faster, its default
 * of 100 about three times slower).
 */
export const PEER_BATCH_SIZE = 500;
/** PouchDB's own default batch_size, as an application that does not tune it replicates. */
export const PEER_DEFAULT_BATCH_SIZE = 100;
export const INITIAL_SYNC_GOAL = 5;

export const datasetLabel = (size: BenchDatasetSize) => `${size.devices / 1000}k devices + ${size.runbooks / 1000}k runbooks + ${size.risks / 1000}k risks`;
const total = (size: BenchDatasetSize) => size.devices + size.runbooks + size.risks;

/**
 * 1(a): a fresh client's first sync in Node. Outpost's server (its own process) into RxDB with
 * memory storage, against express-pouchdb on in-memory PouchDB (its own process) into PouchDB
 * with the memory adapter: the same documents, one database per collection on both sides.
 */
export async function benchInitialSyncNode(options: { quick: boolean }): Promise<BenchRow[]> {
  const outpost = await startSeededOutpost(SITE_DATASET);
  const pouch = await startPouchServer(SITE_DATASET);
  try {
    const samples = await interleaved(
      {
        outpost: () => outpostFirstSync(outpost, PEER_COLLECTIONS, total(SITE_DATASET)),
        pouch: () => pouchFirstSync(pouch.url, PEER_COLLECTIONS, total(SITE_DATASET), PEER_BATCH_SIZE),
        pouchDefaults: () => pouchFirstSync(pouch.url, PEER_COLLECTIONS, total(SITE_DATASET), PEER_DEFAULT_BATCH_SIZE),
      },
      { runs: options.quick ? 3 : 7, warmUps: 1 },
    );
    return againstPouch(`initial sync, ${datasetLabel(SITE_DATASET)}, Node (RxDB memory storage)`, 'PouchDB ← express-pouchdb (memory)', samples);
  } finally {
    await outpost.stop();
    await pouch.stop();
  }
}

/**
 * The first-sync rows against PouchDB: tuned to its fastest batch size (the goal's row of
 * record), and as it replicates out of the box.
 */
export function againstPouch(metric: string, peerName: string, samples: { outpost: number[]; pouch: number[]; pouchDefaults: number[] }): BenchRow[] {
  const row = (peer: number[], name: string): BenchRow => {
    const measured: BenchRow = {
      metric,
      unit: 'ms',
      outpost: Math.round(median(samples.outpost)),
      peer: Math.round(median(peer)),
      peerName: name,
      better: 'lower',
      budget: `≥ ${INITIAL_SYNC_GOAL}× faster`,
      runs: samples.outpost.map(Math.round),
      peerRuns: peer.map(Math.round),
    };
    return { ...measured, pass: (speedUp(measured) ?? 0) >= INITIAL_SYNC_GOAL };
  };
  return [
    row(samples.pouch, `${peerName}, batch_size ${PEER_BATCH_SIZE}`),
    { ...row(samples.pouchDefaults, `${peerName}, default batch_size ${PEER_DEFAULT_BATCH_SIZE}`), metric: `${metric}, PouchDB untuned` },
  ];
}
