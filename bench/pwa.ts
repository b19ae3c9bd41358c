import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startAppServer } from '../e2e/support/app-server.ts';
import { DESKTOP, goOffline, launchBrowser, newUserContext, signInAs, waitForServiceWorker } from '../e2e/support/browser.ts';
import { initialJavaScriptGzipBytes } from './pwa-bundle-size.ts';
import { median, percentile, type BenchRow } from './table.ts';

const DIST = resolve(import.meta.dirname, '../dist');
const MANAGER = 'manager@northwind.example';

async function waitUntilSynced(page: Page): Promise<void> {
  await page.locator('.sync').filter({ hasText: 'synced just now' }).waitFor({ timeout: 600_000 });
  await page.locator('.first-sync').waitFor({ state: 'detached', timeout: 600_000 });
}

/** The fleet's count once its live query has delivered (it starts at 0 while loading). */
async function loadedDeviceCount(page: Page): Promise<number> {
  const count = page.getByTestId('device-count');
  await count.filter({ hasText: /^[1-9]/ }).waitFor({ timeout: 60_000 });
  const read = async () => Number.parseInt(((await count.textContent()) ?? '').replaceAll(',', ''), 10);
  // Settled when it holds for a second.
  for (let previous = -1, current = await read(); ; previous = current, current = await read()) {
    if (current === previous) return current;
    await page.waitForTimeout(1_000);
  }
}

/** Sign-in to "synced" of a fresh browser profile: the whole first download into IndexedDB. */
async function initialSyncSeconds(browser: Browser, url: string): Promise<{ seconds: number; devices: number }> {
  const context = await newUserContext(browser, DESKTOP);
  const page = await context.newPage();
  const started = performance.now();
  await signInAs(page, url, MANAGER);
  await waitUntilSynced(page);
  const seconds = (performance.now() - started) / 1000;
  await page.goto(`${url}/fleet`);
  const devices = await loadedDeviceCount(page);
  await context.close();
  return { seconds, devices };
}

interface ColdStart {
  /** The signed-in app's frame on screen (the view's heading and the offline indicator). */
  frameMs: number;
  /** The dashboard's fleet figures on screen: the replica's devices are loaded and counted. */
  fleetMs: number;
}

/** From navigation to the signed-in app, then to its fleet figures, offline, served by the service worker. */
async function coldOfflineStarts(browser: Browser, url: string, runs: number): Promise<ColdStart[]> {
  const context = await newUserContext(browser, DESKTOP);
  const page = await context.newPage();
  await signInAs(page, url, MANAGER);
  await waitUntilSynced(page);
  await waitForServiceWorker(page);
  await goOffline(context);
  await page.close();
  const times: ColdStart[] = [];
  for (let run = 0; run < runs; run++) {
    const fresh = await context.newPage();
    await fresh.goto(url);
    await fresh.locator('.sync[data-state="offline"]').waitFor();
    await fresh.locator('#main h1').first().waitFor();
    const frameMs = await fresh.evaluate(() => performance.now());
    await fresh.locator('[data-testid^="status-"] strong').filter({ hasText: /^[1-9]/ }).first().waitFor({ timeout: 60_000 });
    times.push({ frameMs, fleetMs: await fresh.evaluate(() => performance.now()) });
    await fresh.close();
  }
  await context.close();
  return times;
}

/**
 * What a technician types into the fleet search, a letter at a time: a store's tills, an address
 * range, a model, two words. Several, so that the 95th percentile is one of some 35 keystrokes,
 * not the slowest of nine.
 */
const FILTER_QUERIES = ['pos-store', 'sto014-pos', '10.20.8.', 'optiplex', 'hq lt'];

/** Per keystroke, from the input event to the list's count on screen, over the whole fleet. */
async function filterLatencies(browser: Browser, url: string, queries: readonly string[]): Promise<number[]> {
  const context = await newUserContext(browser, DESKTOP);
  const page = await context.newPage();
  await signInAs(page, url, MANAGER);
  await waitUntilSynced(page);
  await page.goto(`${url}/fleet`);
  await loadedDeviceCount(page);
  const latencies = await page.evaluate(async (texts) => {
    const input = document.querySelector<HTMLInputElement>('input[type="search"]');
    const count = document.querySelector('[data-testid="device-count"]');
    if (!input || !count) throw new Error('the fleet view has no search box or count');
    const results: number[] = [];
    for (const [query, text] of texts.entries()) {
      for (let length = 0; length <= text.length; length++) {
        const before = count.textContent;
        const started = performance.now();
        input.value = text.slice(0, length);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        // Solid updates the list in the input handler. A frame callback runs before that frame's
        // rendering and a task it posts runs right after the frame is painted: the moment the
        // result is on screen (a second frame callback would add up to a whole frame of waiting).
        // Inline on purpose: a named helper here would be renamed by the bundler into a call the page lacks.
        await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
        // Length 0 clears the previous query: not a keystroke of this one.
        if (length > 0) results.push(performance.now() - started);
        if (query === 0 && length === 1 && count.textContent === before) throw new Error('the first keystroke did not change the count: the bench is not typing into the fleet search');
      }
    }
    return results;
  }, queries);
  await context.close();
  return latencies;
}

/** The browser figures of the PWA: download size, first sync, offline start, fleet filter. */
export async function benchPwa(options: { quick: boolean }): Promise<BenchRow[]> {
  const bundle = initialJavaScriptGzipBytes(DIST);
  const rows: BenchRow[] = [
    { metric: 'PWA initial JavaScript, gzipped', unit: 'KB', outpost: Math.round(bundle.bytes / 102.4) / 10, better: 'lower', budget: '< 180 KB', pass: bundle.bytes < 180 * 1024 },
  ];
  const devices = options.quick ? 2_000 : 10_000;
  const server = await startAppServer({ devices, orgs: 1 });
  const browser = await launchBrowser();
  try {
    const syncs: { seconds: number; devices: number }[] = [];
    for (let run = 0; run < (options.quick ? 1 : 3); run++) syncs.push(await initialSyncSeconds(browser, server.url));
    rows.push({
      metric: `PWA first sync into IndexedDB, ${syncs[0]?.devices ?? devices} devices + runbooks, risks… (Chromium)`,
      unit: 's',
      outpost: median(syncs.map((s) => s.seconds)),
      better: 'lower',
      runs: syncs.map((s) => s.seconds),
    });
    const starts = await coldOfflineStarts(browser, server.url, options.quick ? 3 : 7);
    const frames = starts.map((start) => start.frameMs);
    const fleets = starts.map((start) => start.fleetMs);
    rows.push(
      { metric: 'PWA cold start offline, from the service worker (Chromium)', unit: 'ms', outpost: median(frames), better: 'lower', runs: frames },
      { metric: 'PWA cold start offline, until the dashboard shows the fleet (Chromium)', unit: 'ms', outpost: median(fleets), better: 'lower', runs: fleets },
    );
    const latencies = await filterLatencies(browser, server.url, FILTER_QUERIES);
    rows.push({
      metric: `Fleet filter-as-you-type over ${devices.toLocaleString('en')} devices, p95 per keystroke (Chromium)`,
      unit: 'ms',
      outpost: percentile(latencies, 95),
      better: 'lower',
      budget: '< 50 ms',
      pass: percentile(latencies, 95) < 50,
      runs: latencies,
    });
  } finally {
    await browser.close();
    await server.stop();
  }
  return rows;
}

if (process.argv[1] && resolve(process.argv[1]) === join(import.meta.dirname, 'pwa.ts')) {
  benchPwa({ quick: process.argv.includes('--quick') }).then((rows) => console.table(rows.map(({ runs: _runs, ...row }) => row)), (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
