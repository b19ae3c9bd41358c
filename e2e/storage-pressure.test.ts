import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Device } from '../shared/schema/device.ts';
import { goOffline, goOnline, newUserContext, signInAs, waitForServiceWorker, waitForSync } from './support/browser.ts';
import { documentsOnServer } from './support/server-documents.ts';
import { appSuite } from './support/suite.ts';

const suite = appSuite();

/**
 * Makes IndexedDB writes fail the way a full disk does (QuotaExceededError) while the page's
 * `__outpostDiskFull` is true. Headless Chromium ignores quota overrides, so the failure is
 * raised where the browser would raise it: on the object store write.
 */
function simulateFullDisk(): void {
  const fail = () => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  for (const method of ['put', 'add'] as const) {
    const original = IDBObjectStore.prototype[method];
    IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if ((globalThis as { __outpostDiskFull?: boolean }).__outpostDiskFull) fail();
      return original.apply(this, args);
    };
  }
}

const setDiskFull = (page: Page, isFull: boolean) => page.evaluate((full) => ((globalThis as { __outpostDiskFull?: boolean }).__outpostDiskFull = full), isFull);

async function saveNotes(page: Page, text: string): Promise<void> {
  await page.getByLabel('Notes', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Save notes' }).click();
}

test('a full device says so, keeps what was saved before and its unsynced changes, and stays usable', async () => {
  const { server, browser } = suite;
  const context = await newUserContext(browser);
  await context.addInitScript(simulateFullDisk);
  const page = await context.newPage();
  await signInAs(page, server.url, 'technician@northwind.example');
  await waitForSync(page);
  await waitForServiceWorker(page);
  const [device] = await documentsOnServer<Device>(context, server.url, 'devices');
  if (!device) throw new Error('the demo data has no device');
  await page.goto(`${server.url}/fleet/${device.id}`);

  await goOffline(context);
  await saveNotes(page, 'Saved before the disk filled.');
  await page.getByText('Saved on this device').waitFor();
  await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('1 pending');

  await setDiskFull(page, true);
  await saveNotes(page, 'This one cannot be stored.');
  await expect.poll(() => page.getByRole('alert').filter({ hasText: 'out of storage space' }).count()).toBeGreaterThan(0);
  await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('1 pending');

  // Space freed, app restarted offline: the earlier change is intact and still waiting to sync.
  await setDiskFull(page, false);
  await page.reload();
  await page.getByLabel('Notes', { exact: true }).waitFor();
  expect(await page.getByLabel('Notes', { exact: true }).inputValue()).toBe('Saved before the disk filled.');
  await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('1 pending');

  await goOnline(context);
  await waitForSync(page);
  const onServer = (await documentsOnServer<Device>(context, server.url, 'devices')).find((d) => d.id === device.id);
  expect(onServer?.notes).toBe('Saved before the disk filled.');
  await context.close();
});
