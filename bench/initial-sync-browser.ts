import { rmSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from '../e2e/support/chromium.ts';
import { buildBenchPage } from './browser/build-page.ts';
import type { BrowserBenchApi } from './browser/page-api.ts';
import { againstPouch, datasetLabel, PEER_BATCH_SIZE, PEER_DEFAULT_BATCH_SIZE, SITE_DATASET } from './initial-sync-node.ts';
import { PEER_COLLECTIONS } from './peers/couch-documents.ts';
import { startPouchServer } from './peers/pouch-process.ts';
import { interleaved } from './repeat.ts';
import { startSeededOutpost } from './seeded-outpost.ts';
import { median, speedUp, type BenchRow } from './table.ts';

/** Outpost's first sync may take at most this many times a bare bulk write of the same documents. */
const STORAGE_LIMIT_FACTOR = 2;
const EXPECTED = SITE_DATASET.devices + SITE_DATASET.runbooks + SITE_DATASET.risks;

/**
 * 1(b) and (c) in Chromium: the bench page (bench/browser/, bundled at bench time) runs
 * Outpost's sync engine into RxDB with the replica's log storage from Outpost's origin, PouchDB with its
 * IndexedDB adapter from the express-pouchdb origin (each server serves the page, so neither
 * pays for CORS), and, as the storage limit, a bulk write of the same documents into the same
 * log storage with no sync at all; and plain IndexedDB, one record per document with the indexes
 * RxDB's Dexie storage would declare (what a one-record-per-document client pays at least).
 */
export async function benchInitialSyncBrowser(options: { quick: boolean }): Promise<BenchRow[]> {
  const pageDir = await buildBenchPage();
  const outpost = await startSeededOutpost(SITE_DATASET, { OUTPOST_STATIC_DIR: pageDir });
  const pouch = await startPouchServer(SITE_DATASET, { BENCH_PAGE_DIR: pageDir });
  const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext();
    const [name = '', value = ''] = outpost.cookie.split('=');
    await context.addCookies([{ name, value, url: outpost.url }]);
    const outpostPage = await openBenchPage(await context.newPage(), `${outpost.url}/index.html`);
    const pouchPage = await openBenchPage(await context.newPage(), `${pouch.url}/bench-page/index.html`);
    const collections = [...PEER_COLLECTIONS];
    const samples = await interleaved(
      {
        outpost: () => measureIn(outpostPage, 'outpostSync', collections),
        pouch: () => measureIn(pouchPage, 'pouchSync', collections, PEER_BATCH_SIZE),
        pouchDefaults: () => measureIn(pouchPage, 'pouchSync', collections, PEER_DEFAULT_BATCH_SIZE),
        limit: () => measureIn(outpostPage, 'storageLimit', collections),
        raw: () => measureIn(outpostPage, 'rawIndexedDb', collections),
      },
      { runs: options.quick ? 3 : 5, warmUps: 1 },
    );
    const outpostMs = Math.round(median(samples.outpost));
    const label = `initial sync, ${datasetLabel(SITE_DATASET)}, Chromium (RxDB log storage / IndexedDB)`;
    const limitRow: BenchRow = {
      metric: `${label} vs the storage limit`,
      unit: 'ms',
      outpost: outpostMs,
      peer: Math.round(median(samples.limit)),
      peerName: 'bulk write into the same log storage, no sync',
      better: 'lower',
      budget: `within ${STORAGE_LIMIT_FACTOR}× (≥ ${1 / STORAGE_LIMIT_FACTOR}×)`,
      runs: samples.limit.map(Math.round),
    };
    const rawRow: BenchRow = {
      metric: `${label} vs plain IndexedDB (no sync, no library)`,
      unit: 'ms',
      outpost: outpostMs,
      peer: Math.round(median(samples.raw)),
      peerName: 'IndexedDB put per document, with Dexie storage indexes',
      better: 'lower',
      runs: samples.raw.map(Math.round),
    };
    return [
      ...againstPouch(label, 'PouchDB (IndexedDB) ← express-pouchdb', samples),
      { ...limitRow, pass: (speedUp(limitRow) ?? 0) >= 1 / STORAGE_LIMIT_FACTOR },
      rawRow,
    ];
  } finally {
    await browser.close();
    await outpost.stop();
    await pouch.stop();
    rmSync(pageDir, { recursive: true, force: true });
  }
}

async function openBenchPage(page: Page, url: string): Promise<Page> {
  page.on('pageerror', (error) => console.error(`bench page: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.outpostBench !== undefined);
  return page;
}

async function measureIn(page: Page, measurement: keyof BrowserBenchApi, collections: string[], batchSize = PEER_BATCH_SIZE): Promise<number> {
  const result = await page.evaluate(
    ([name, names, batchSize]) => {
      const api = window.outpostBench;
      if (!api) throw new Error('the bench page did not load');
      const typed = names as Parameters<BrowserBenchApi['outpostSync']>[0];
      return name === 'pouchSync' ? api.pouchSync(typed, batchSize) : api[name](typed);
    },
    [measurement, collections, batchSize] as const,
  );
  if (result.documents !== EXPECTED) throw new Error(`${measurement} stored ${result.documents} documents, expected ${EXPECTED}`);
  return result.ms;
}
