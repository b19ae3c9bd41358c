import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Device } from '../shared/schema/device.ts';
import { certificateHosts } from '../server/tls/hosts.ts';
import { issueLocalCertificates } from '../server/tls/issue-local-certificates.ts';
import { spkiSha256 } from '../server/tls/local-ca.ts';
import { startAppServer, type AppServer } from './support/app-server.ts';
import { goOffline, goOnline, launchBrowser, newUserContext, signInAs, waitForServiceWorker, waitForSync } from './support/browser.ts';
import { deviceNotesField, saveDeviceNotes } from './support/device-notes.ts';

/**
 * A phone at a site: the server at a name that is not localhost, over HTTPS with a certificate
 * from `npm run tls`'s local CA (the browser trusts its key, as a phone trusting the CA would).
 */
const HOST = 'outpost.test';
let server: AppServer;
let browser: Browser;
let certificates: string;
let url: string;

beforeAll(async () => {
  certificates = mkdtempSync(join(tmpdir(), 'outpost-e2e-tls-'));
  const issued = issueLocalCertificates(certificates, certificateHosts([HOST]));
  [server, browser] = await Promise.all([
    startAppServer({ env: { OUTPOST_TLS_CERT: issued.paths.server.certFile, OUTPOST_TLS_KEY: issued.paths.server.keyFile } }),
    launchBrowser([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${spkiSha256(issued.server.key)}`]),
  ]);
  url = server.url.replace('127.0.0.1', HOST);
});

/** Devices as the server holds them for the page's user, fetched by the page (Playwright's own requests do not use the browser's host mapping). */
async function devicesOnServer(page: Page): Promise<Device[]> {
  return page.evaluate(async () => {
    const response = await fetch('/api/sync/devices/pull?limit=2000');
    if (!response.ok) throw new Error(`pull answered ${response.status}`);
    return ((await response.json()) as { documents: Device[] }).documents;
  });
}

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(certificates, { recursive: true, force: true });
});

test('at https://outpost.test a technician signs in, syncs, starts offline from the service worker, and a saved note reaches a manager', async () => {
  expect(url).toMatch(/^https:\/\/outpost\.test:\d+$/);
  const technician = await newUserContext(browser);
  const page = await technician.newPage();
  await signInAs(page, url, 'technician@northwind.example');
  await waitForSync(page);
  expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
  await waitForServiceWorker(page);
  const [device] = await devicesOnServer(page);
  if (!device) throw new Error('the technician has no device in scope');

  // Cold start with no network: the app shell from the service worker, the data from IndexedDB.
  await goOffline(technician);
  await page.close();
  const offline = await technician.newPage();
  await offline.goto(`${url}/fleet/${device.id}`);
  await offline.locator('.sync[data-state="offline"]').waitFor();
  const note = `Replaced the PSU (https site ${Date.now()})`;
  await saveDeviceNotes(offline, note);

  // Back online, the note goes out and another person's device gets it.
  await goOnline(technician);
  const manager = await newUserContext(browser);
  const managerPage = await manager.newPage();
  await signInAs(managerPage, url, 'manager@northwind.example');
  await waitForSync(managerPage);
  await expect.poll(async () => (await devicesOnServer(managerPage)).find((d) => d.id === device.id)?.notes, { timeout: 20_000 }).toBe(note);
  await managerPage.goto(`${url}/fleet/${device.id}`);
  await expect.poll(() => deviceNotesField(managerPage).inputValue(), { timeout: 20_000 }).toBe(note);
  await technician.close();
  await manager.close();
}, 120_000);
