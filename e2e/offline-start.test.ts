import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { startAppServer, type AppServer } from './support/app-server.ts';
import { goOffline, launchBrowser, newUserContext, signInAs, waitForServiceWorker, waitForSync } from './support/browser.ts';

let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startAppServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test('a cold start offline opens the app, signed in, with the replicated data', async () => {
  const context = await newUserContext(browser);
  const page = await context.newPage();
  await signInAs(page, server.url, 'technician@northwind.example');
  await waitForSync(page);
  await waitForServiceWorker(page);
  await page.goto(`${server.url}/fleet`);
  const onlineCount = await page.getByTestId('device-count').textContent();

  await goOffline(context);
  await page.close();
  const offlinePage = await context.newPage();
  await offlinePage.goto(`${server.url}/fleet`);
  await expect(offlinePage.locator('.sync[data-state="offline"]').waitFor()).resolves.toBeUndefined();
  await offlinePage.getByTestId('device-count').waitFor();
  expect(await offlinePage.getByTestId('device-count').textContent()).toBe(onlineCount);
  await context.close();
});
