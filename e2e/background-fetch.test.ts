import type { BrowserContext, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { Device } from '../shared/schema/device.ts';
import { DESKTOP, signInAs, waitForSync } from './support/browser.ts';
import { documentsOnServer } from './support/server-documents.ts';
import { appSuite } from './support/suite.ts';

const suite = appSuite();
const PULL_WORKER = /\/assets\/background-fetch\.worker-[\w-]+\.js$/;

/** Pull requests this page or worker made itself (resource timing is kept per global scope). */
const countPulls = () => performance.getEntriesByType('resource').filter((entry) => entry.name.includes('/api/sync/') && entry.name.includes('/pull?')).length;
const pullsMadeBy = (scope: { evaluate(count: typeof countPulls): Promise<number> }) => scope.evaluate(countPulls);

async function expectEveryDeviceListed(context: BrowserContext, page: Page): Promise<void> {
  const onServer = await documentsOnServer<Device>(context, suite.server.url, 'devices');
  await page.getByRole('link', { name: 'Fleet' }).first().click();
  await expect.poll(() => page.getByTestId('device-count').textContent()).toBe(`${onServer.length.toLocaleString('en-US')} devices`);
}

test('pull pages download in a worker, off the page’s main thread, and every device arrives', async () => {
  const context = await suite.browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await signInAs(page, suite.server.url, 'admin@northwind.example');
  await waitForSync(page);
  const worker = page.workers().find((candidate) => PULL_WORKER.test(candidate.url()));
  if (!worker) throw new Error(`no pull worker among ${page.workers().map((w) => w.url()).join(', ') || 'none'}`);
  expect(await pullsMadeBy(worker)).toBeGreaterThan(0);
  expect(await pullsMadeBy(page)).toBe(0);
  await expectEveryDeviceListed(context, page);
  await context.close();
});

test('when the worker cannot load, the page pulls by itself and the sync completes', async () => {
  // No service worker, so the refused script is not served from its cache either.
  const context = await suite.browser.newContext({ viewport: DESKTOP, serviceWorkers: 'block' });
  await context.route(PULL_WORKER, (route) => route.fulfill({ status: 404, body: 'gone' }));
  const page = await context.newPage();
  await signInAs(page, suite.server.url, 'admin@northwind.example');
  await waitForSync(page);
  expect(await pullsMadeBy(page)).toBeGreaterThan(0);
  await expectEveryDeviceListed(context, page);
  await context.close();
});
