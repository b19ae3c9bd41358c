import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { startAppServer, type AppServer } from './support/app-server.ts';
import { launchBrowser, newUserContext, signInAs, waitForSync } from './support/browser.ts';

let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startAppServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface Me {
  user: { memberships: { orgId: string; siteIds: string[] | null }[] };
}

/** Every device document the server would give an organization-wide reader. */
async function devicesOnServer(context: BrowserContext, baseUrl: string): Promise<{ siteId: string; _deleted?: boolean }[]> {
  const documents: { siteId: string; _deleted?: boolean }[] = [];
  let checkpoint = '';
  for (;;) {
    const response = await context.request.get(`${baseUrl}/api/sync/devices/pull?limit=1000${checkpoint ? `&checkpoint=${encodeURIComponent(checkpoint)}` : ''}`);
    const page = (await response.json()) as { documents: { siteId: string; _deleted?: boolean }[]; checkpoint: unknown; remaining: number };
    documents.push(...page.documents.filter((d) => !d._deleted));
    checkpoint = JSON.stringify(page.checkpoint);
    if (page.remaining === 0) return documents;
  }
}

test('a staff member sees only their site and no risks', async () => {
  const admin = await newUserContext(browser);
  await signInAs(await admin.newPage(), server.url, 'admin@northwind.example');
  const allDevices = await devicesOnServer(admin, server.url);

  const staff = await newUserContext(browser);
  const page = await staff.newPage();
  await signInAs(page, server.url, 'staff@northwind.example');
  await waitForSync(page);
  const me = (await (await staff.request.get(`${server.url}/api/auth/me`)).json()) as Me;
  const siteIds = me.user.memberships[0]?.siteIds ?? [];
  expect(siteIds).toHaveLength(1);
  const expected = allDevices.filter((d) => siteIds.includes(d.siteId)).length;
  expect(expected).toBeGreaterThan(0);
  expect(expected).toBeLessThan(allDevices.length);

  await page.goto(`${server.url}/fleet`);
  await expect.poll(() => page.getByTestId('device-count').textContent()).toMatch(new RegExp(`^${expected} devices?$`));
  await page.setViewportSize({ width: 1280, height: 800 });
  const navigation = page.getByRole('navigation', { name: 'Main', exact: true });
  await expect(navigation.getByRole('link', { name: 'Fleet' }).isVisible()).resolves.toBe(true);
  await expect(navigation.getByRole('link', { name: 'Risks' }).count()).resolves.toBe(0);
  await expect(navigation.getByRole('link', { name: 'Admin' }).count()).resolves.toBe(0);
  await Promise.all([admin.close(), staff.close()]);
});

test('signing out wipes the replica, the caches and the service worker from the device', async () => {
  const context = await newUserContext(browser);
  const page = await context.newPage();
  await signInAs(page, server.url, 'technician@northwind.example');
  await waitForSync(page);
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
  expect((await context.request.get(`${server.url}/api/auth/me`)).status()).toBe(401);
  await context.close();
});
