import { expect, test } from 'vitest';
import { goOffline, waitForServiceWorker, signedInPage } from './support/browser.ts';
import { appSuite } from './support/suite.ts';

const suite = appSuite();

test('a cold start offline opens the app, signed in, with the replicated data', async () => {
  const { context, page } = await signedInPage(suite.browser, suite.server.url, 'technician@northwind.example');
  await waitForServiceWorker(page);
  await page.goto(`${suite.server.url}/fleet`);
  const onlineCount = await page.getByTestId('device-count').textContent();

  await goOffline(context);
  await page.close();
  const offlinePage = await context.newPage();
  await offlinePage.goto(`${suite.server.url}/fleet`);
  await expect(offlinePage.locator('.sync[data-state="offline"]').waitFor()).resolves.toBeUndefined();
  await offlinePage.getByTestId('device-count').waitFor();
  expect(await offlinePage.getByTestId('device-count').textContent()).toBe(onlineCount);
  await context.close();
});
