import { readFileSync } from 'node:fs';
import { outpostFirstSync } from './node-clients.ts';
import { datasetLabel, SITE_DATASET } from './initial-sync-node.ts';
import { openStreams } from './open-streams.ts';
import { PEER_COLLECTIONS } from './peers/couch-documents.ts';
import { startSeededOutpost } from './seeded-outpost.ts';
import { median, type BenchRow } from './table.ts';

const STREAMS = 50;
const SAMPLES = 5;

/**
 * 6: the server's resident memory (VmRSS of its process) holding the site (10k devices…) with
 * 50 live streams open, after one client's first sync went through it, and how much of it is
 * anonymous memory; and the same server idle just after start, for scale.
 */
export async function benchServerMemory(_options: { quick: boolean }): Promise<BenchRow[]> {
  const server = await startSeededOutpost(SITE_DATASET);
  try {
    const idle = await residentMegabytes(server.pid, 'VmRSS');
    await outpostFirstSync(server, PEER_COLLECTIONS, SITE_DATASET.devices + SITE_DATASET.runbooks + SITE_DATASET.risks);
    const streams = await openStreams(server, STREAMS);
    try {
      const loaded = `${datasetLabel(SITE_DATASET)}, ${STREAMS} open streams, after a first sync`;
      return [
        { metric: 'server resident memory, just started (SQLite)', unit: 'MB', outpost: idle, better: 'lower' },
        { metric: `server resident memory, ${loaded}`, unit: 'MB', outpost: await residentMegabytes(server.pid, 'VmRSS'), better: 'lower' },
        // The rest is file pages: the Node binary and SQLite's memory-mapped database, which the kernel can drop.
        { metric: `server anonymous memory (heap and buffers), ${loaded}`, unit: 'MB', outpost: await residentMegabytes(server.pid, 'RssAnon'), better: 'lower' },
      ];
    } finally {
      streams.close();
    }
  } finally {
    await server.stop();
  }
}

/** Median of a few readings of a /proc status field (VmRSS: all resident pages; RssAnon: not file-backed), half a second apart. */
async function residentMegabytes(pid: number, field: 'VmRSS' | 'RssAnon'): Promise<number> {
  const readings: number[] = [];
  for (let sample = 0; sample < SAMPLES; sample++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const kilobytes = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (!kilobytes) throw new Error(`no ${field} for process ${pid}`);
    readings.push(Number(kilobytes) / 1024);
  }
  return Math.round(median(readings) * 10) / 10;
}
