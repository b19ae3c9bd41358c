import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Device } from '../shared/schema/device.ts';
import { seriousAccessibilityViolations } from './support/accessibility.ts';
import { DESKTOP, PHONE, goOffline, goOnline, newUserContext, screenshot, signInAs, waitForSync } from './support/browser.ts';
import { documentsOnServer } from './support/server-documents.ts';
import { appSuite } from './support/suite.ts';

// The seed splits devices evenly over its two organizations: the manager's holds 10,000.
const suite = appSuite({ devices: 20_000 });

/** The fleet search as its placeholder promises it, written independently of the app's index. */
function matches(device: Device, text: string, filters: Partial<Pick<Device, 'health' | 'status' | 'kind'>> = {}): boolean {
  const fields = [device.hostname, device.serial ?? '', ...device.ips, ...device.macs, device.assignee ?? '', device.model ?? '', ...device.tags].map((f) => f.toLowerCase());
  const terms = text.toLowerCase().split(/\s+/).filter(Boolean);
  return (
    terms.every((term) => fields.some((field) => field.includes(term))) &&
    Object.entries(filters).every(([key, value]) => device[key as keyof typeof filters] === value)
  );
}

const countLabel = (count: number) => `${count.toLocaleString('en-US')} device${count === 1 ? '' : 's'}`;
const shownCount = (page: Page) => page.getByTestId('device-count').textContent();

test('10,000 devices: the list narrows as you type, filters survive a reload, notes are saved offline and synced', async () => {
  const context = await newUserContext(suite.browser, DESKTOP);
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await signInAs(page, suite.server.url, 'manager@northwind.example');
  await waitForSync(page);
  const devices = await documentsOnServer<Device>(context, suite.server.url, 'devices');
  expect(devices.length).toBe(10_000);

  await page.goto(`${suite.server.url}/fleet`);
  // The live list follows the replica while the last pages of the first sync land.
  await expect.poll(() => shownCount(page), { timeout: 60_000 }).toBe(countLabel(10_000));
  // Only the rows in view are in the page.
  expect(await page.locator('.fleet-item').count()).toBeLessThan(60);

  // Type a real device's hostname and part of its IP, one key at a time: each keystroke narrows.
  const target = devices.find((d) => d.ips.length > 0 && d.hostname.length >= 10)!;
  const query = `${target.hostname.slice(0, 9)} ${target.ips[0]!.split('.').slice(0, 3).join('.')}`;
  const search = page.getByRole('searchbox', { name: 'Search devices' });
  let previous = devices.length;
  for (let typed = 1; typed <= query.length; typed++) {
    await search.press(query[typed - 1] === ' ' ? 'Space' : query[typed - 1]!);
    const expected = devices.filter((d) => matches(d, query.slice(0, typed))).length;
    expect(expected).toBeLessThanOrEqual(previous);
    previous = expected;
    await expect.poll(() => shownCount(page), { message: `after typing "${query.slice(0, typed)}"` }).toBe(countLabel(expected));
  }
  expect(previous).toBeGreaterThan(0);
  expect(previous).toBeLessThan(100);
  const byNumber = (hostname: string) => hostname.toLowerCase().replace(/\d+/g, (digits) => digits.padStart(12, '0'));
  const expectedRows = devices.filter((d) => matches(d, query)).map((d) => d.hostname.toLowerCase()).sort((a, b) => (byNumber(a) < byNumber(b) ? -1 : 1));
  await expect.poll(() => page.locator('.device-row strong').first().textContent().then((t) => t?.toLowerCase())).toBe(expectedRows[0]);
  await expect.poll(() => page.url()).toContain(`q=${encodeURIComponent(query).replace(/%20/g, '+')}`);

  // Filters narrow further and live in the address: a reload keeps search and filters.
  await search.fill(target.hostname.slice(0, 6));
  await page.getByLabel('Health', { exact: true }).selectOption('warning');
  const warning = devices.filter((d) => matches(d, target.hostname.slice(0, 6), { health: 'warning' })).length;
  await expect.poll(() => shownCount(page)).toBe(countLabel(warning));
  await page.getByLabel('Status', { exact: true }).selectOption('online');
  const warningOnline = devices.filter((d) => matches(d, target.hostname.slice(0, 6), { health: 'warning', status: 'online' })).length;
  await expect.poll(() => shownCount(page)).toBe(countLabel(warningOnline));
  expect(warningOnline).toBeGreaterThan(0);
  await page.reload();
  await expect.poll(() => shownCount(page)).toBe(countLabel(warningOnline));
  expect(await search.inputValue()).toBe(target.hostname.slice(0, 6));
  expect(await page.getByLabel('Health', { exact: true }).inputValue()).toBe('warning');
  await screenshot(page, 'fleet-desktop');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.setViewportSize(PHONE);
  await screenshot(page, 'fleet-phone');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  // Open the first device: its detail page.
  const firstRow = page.locator('.device-row').first();
  const hostname = (await firstRow.locator('strong').textContent()) ?? '';
  await firstRow.click();
  await page.waitForURL(/\/fleet\/[0-9a-f-]{36}$/);
  const deviceId = page.url().split('/').at(-1)!;
  await page.getByRole('heading', { level: 1, name: hostname }).waitFor();
  await page.getByRole('heading', { name: 'Inventory' }).waitFor();
  await screenshot(page, 'device-detail-phone');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.setViewportSize(DESKTOP);
  await screenshot(page, 'device-detail-desktop');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  // A note longer than the schema allows is refused beside the field, nothing is written.
  const notes = page.getByLabel('Notes', { exact: true });
  await notes.evaluate((area: HTMLTextAreaElement) => {
    area.value = 'x'.repeat(5001);
    area.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.getByRole('button', { name: 'Save notes' }).click();
  await page.locator('#device-notes-error').filter({ hasText: 'must be at most 5000 characters' }).waitFor();
  expect(await notes.getAttribute('aria-invalid')).toBe('true');
  await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('0 pending');

  // Offline, the note is saved on the device; back online it reaches the server.
  const note = `PSU replaced ${Date.now()}; keep the fan intake clear.`;
  await goOffline(context);
  await notes.fill(note);
  await page.getByRole('button', { name: 'Save notes' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved on this device' }).waitFor();
  await expect.poll(() => page.getByTestId('pending-count').textContent()).toBe('1 pending');
  expect(await notes.getAttribute('aria-invalid')).toBeNull();
  await goOnline(context);
  await expect.poll(() => page.getByTestId('pending-count').textContent(), { timeout: 20_000 }).toBe('0 pending');
  const onServer = (await documentsOnServer<Device>(context, suite.server.url, 'devices')).find((d) => d.id === deviceId);
  expect(onServer?.notes).toBe(note);

  // Back to the fleet: the same filtered list.
  await page.locator('.back-link').click();
  await page.waitForURL(/\/fleet\?/);
  await expect.poll(() => shownCount(page)).toBe(countLabel(warningOnline));
  expect(await search.inputValue()).toBe(target.hostname.slice(0, 6));
  // The main navigation's Fleet link is the whole fleet again, search box included.
  await page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'Fleet' }).click();
  await expect.poll(() => shownCount(page)).toBe(countLabel(10_000));
  expect(await search.inputValue()).toBe('');
  await context.close();
}, 120_000);
