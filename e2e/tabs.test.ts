import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Device } from '../shared/schema/device.ts';
import { DESKTOP, newUserContext, signInAs, waitForSync } from './support/browser.ts';
import { documentsOnServer } from './support/server-documents.ts';
import { appSuite } from './support/suite.ts';

const suite = appSuite();

async function saveNotes(page: Page, text: string): Promise<void> {
  await page.getByLabel('Notes', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Save notes' }).click();
  await page.getByText('Saved on this device').waitFor();
}

const notesOnServer = async (page: Page, id: string) =>
  (await documentsOnServer<Device>(page.context(), suite.server.url, 'devices')).find((device) => device.id === id)?.notes;

const replicaDatabases = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((database) => database.name ?? '').filter((name) => name.includes('outpost-')));

test('two tabs share one replica: an edit in the tab that does not sync reaches the server and the other tab, and sync moves on when the first tab closes', async () => {
  const context = await newUserContext(suite.browser, DESKTOP);
  const first = await context.newPage();
  await signInAs(first, suite.server.url, 'technician@northwind.example');
  await waitForSync(first);
  const [device, other] = await documentsOnServer<Device>(context, suite.server.url, 'devices');
  if (!device || !other) throw new Error('the demo data has fewer than two devices');

  const second = await context.newPage();
  await second.goto(`${suite.server.url}/fleet/${device.id}`);
  await saveNotes(second, 'Written in the second tab.');
  await expect.poll(() => notesOnServer(second, device.id)).toBe('Written in the second tab.');
  await first.goto(`${suite.server.url}/fleet/${device.id}`);
  await expect.poll(() => first.getByLabel('Notes', { exact: true }).inputValue()).toBe('Written in the second tab.');

  // The tab that synced goes away: the other one takes over and syncs its next edit.
  await first.close({ runBeforeUnload: true });
  await second.goto(`${suite.server.url}/fleet/${other.id}`);
  await saveNotes(second, 'Written after the first tab closed.');
  await expect.poll(() => notesOnServer(second, other.id), { timeout: 30_000 }).toBe('Written after the first tab closed.');
  await context.close();
});

test('a replica created before the log storage stays in its Dexie storage and keeps working', async () => {
  const context = await newUserContext(suite.browser, DESKTOP);
  const page = await context.newPage();
  await signInAs(page, suite.server.url, 'staff@northwind.example');
  await waitForSync(page);
  const logDatabases = await replicaDatabases(page);
  const userDatabase = logDatabases.find((name) => name.startsWith('outpost-log:'))?.split(':')[1];
  if (!userDatabase) throw new Error(`no log storage database among ${logDatabases.join(', ')}`);

  // Stand in for a browser that synced with an earlier version: its replica is a Dexie one.
  await page.goto(`${suite.server.url}/healthz`);
  await page.evaluate(
    async ({ logNames, dexieName }) => {
      const settle = (request: IDBRequest) => new Promise((resolve, reject) => ((request.onsuccess = resolve), (request.onerror = reject)));
      for (const name of logNames) await settle(indexedDB.deleteDatabase(name));
      const created = indexedDB.open(dexieName);
      await settle(created);
      (created.result as IDBDatabase).close();
    },
    { logNames: logDatabases, dexieName: `rxdb-dexie-${userDatabase}--0--_rxdb_internal` },
  );

  await page.goto(`${suite.server.url}/fleet`);
  await waitForSync(page);
  const devices = await documentsOnServer<Device>(context, suite.server.url, 'devices');
  await expect.poll(() => page.getByTestId('device-count').textContent()).toBe(`${devices.length.toLocaleString('en-US')} device${devices.length === 1 ? '' : 's'}`);
  const databases = await replicaDatabases(page);
  expect(databases.filter((name) => name.startsWith('outpost-log:'))).toEqual([]);
  expect(databases).toContain(`rxdb-dexie-${userDatabase}--0--devices`);
  await context.close();
});
