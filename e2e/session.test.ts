import { expect, test } from 'vitest';
import type { Device } from '../shared/schema/device.ts';
import { newUserContext, signInAs, waitForSync, signedInPage } from './support/browser.ts';
import { documentsOnServer } from './support/server-documents.ts';
import { appSuite } from './support/suite.ts';

const suite = appSuite();

interface Me {
  user: { memberships: { orgId: string; siteIds: string[] | null }[] };
}

test('a staff member sees only their site and no risks', async () => {
  const admin = await newUserContext(suite.browser);
  await signInAs(await admin.newPage(), suite.server.url, 'admin@northwind.example');
  const allDevices = await documentsOnServer<Device>(admin, suite.server.url, 'devices');

  const staff = await newUserContext(suite.browser);
  const page = await staff.newPage();
  await signInAs(page, suite.server.url, 'staff@northwind.example');
  await waitForSync(page);
  const me = (await (await staff.request.get(`${suite.server.url}/api/auth/me`)).json()) as Me;
  const siteIds = me.user.memberships[0]?.siteIds ?? [];
  expect(siteIds).toHaveLength(1);
  const expected = allDevices.filter((d) => siteIds.includes(d.siteId)).length;
  expect(expected).toBeGreaterThan(0);
  expect(expected).toBeLessThan(allDevices.length);

  await page.goto(`${suite.server.url}/fleet`);
  await expect.poll(() => page.getByTestId('device-count').textContent()).toMatch(new RegExp(`^${expected} devices?$`));
  await page.setViewportSize({ width: 1280, height: 800 });
  const navigation = page.getByRole('navigation', { name: 'Main', exact: true });
  await expect(navigation.getByRole('link', { name: 'Fleet' }).isVisible()).resolves.toBe(true);
  await expect(navigation.getByRole('link', { name: 'Risks' }).count()).resolves.toBe(0);
  await expect(navigation.getByRole('link', { name: 'Admin' }).count()).resolves.toBe(0);
  await Promise.all([admin.close(), staff.close()]);
});

test('signing out wipes the replica, the caches and the service worker from the device', async () => {
  const { context, page } = await signedInPage(suite.browser, suite.server.url, 'technician@northwind.example');
  const before = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    return { databases: (await indexedDB.databases()).map((d) => d.name ?? ''), caches: await caches.keys() };
  });
  expect(before.databases.some((name) => name.includes('outpost'))).toBe(true);
  expect(before.caches.length).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  const after = await page.evaluate(async () => ({
    databases: (await indexedDB.databases()).map((d) => d.name ?? ''),
    keys: Object.keys(localStorage),
    caches: await caches.keys(),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
  }));
  expect(after.databases.filter((name) => name.includes('outpost'))).toEqual([]);
  expect(after.keys.filter((key) => key.startsWith('outpost.'))).toEqual([]);
  expect(after.caches).toEqual([]);
  expect(after.workers).toBe(0);
  // The session is over on the server too.
  expect((await context.request.get(`${suite.server.url}/api/auth/me`)).status()).toBe(401);
  await context.close();
});
