import { expect, test } from 'vitest';
import type { Alert } from '../shared/schema/alert.ts';
import type { Incident } from '../shared/schema/incident.ts';
import { seriousAccessibilityViolations } from './support/accessibility.ts';
import { DESKTOP, PHONE, screenshot, waitForSync, signedInPage } from './support/browser.ts';
import { documentsOnServer } from './support/server-documents.ts';
import { appSuite } from './support/suite.ts';

const suite = appSuite();

test('a technician acknowledges and resolves an alert and opens an incident from another', async () => {
  const { context, page } = await signedInPage(suite.browser, suite.server.url, 'technician@northwind.example', PHONE);
  const me = ((await (await context.request.get(`${suite.server.url}/api/auth/me`)).json()) as { user: { id: string } }).user.id;

  await page.goto(`${suite.server.url}/alerts`);
  const items = page.getByTestId('alert-item');
  await items.first().waitFor();
  const openOnServer = (await documentsOnServer<Alert>(context, suite.server.url, 'alerts')).filter((a) => a.status === 'open');
  await expect.poll(() => items.count()).toBe(openOnServer.length);
  expect(openOnServer.length).toBeGreaterThanOrEqual(2);
  await screenshot(page, 'alerts-phone');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  // Acknowledge the newest open alert: it leaves the open list.
  const first = items.first();
  const message = (await first.locator('.item-title').textContent()) ?? '';
  await first.getByRole('button', { name: 'Acknowledge' }).click();
  await page.getByRole('status').filter({ hasText: `Acknowledged: ${message}` }).waitFor();
  await expect.poll(() => items.count()).toBe(openOnServer.length - 1);

  // Among the acknowledged ones it can be resolved.
  await page.getByLabel('Status').selectOption('acknowledged');
  const acknowledgedItem = items.filter({ hasText: message });
  await acknowledgedItem.getByText(/acknowledged by you/).waitFor();
  await acknowledgedItem.getByRole('button', { name: 'Resolve' }).click();
  await page.getByRole('status').filter({ hasText: `Resolved: ${message}` }).waitFor();
  await expect.poll(() => acknowledgedItem.count()).toBe(0);

  // Open an incident from another open alert: the incident page opens with its title.
  await page.getByLabel('Status').selectOption('open');
  const second = items.filter({ hasNot: page.getByRole('link', { name: 'View incident' }) }).first();
  const secondMessage = (await second.locator('.item-title').textContent()) ?? '';
  await second.getByRole('button', { name: 'Open incident' }).click();
  await page.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { level: 1, name: secondMessage.slice(0, 200) }).waitFor();
  const incidentId = page.url().split('/').at(-1);

  await waitForSync(page);
  const alerts = await documentsOnServer<Alert>(context, suite.server.url, 'alerts');
  const handled = alerts.find((a) => a.message === message);
  expect(handled).toMatchObject({ status: 'resolved', acknowledgedBy: me, resolvedBy: me });
  expect(handled?.acknowledgedAt).toBeDefined();
  expect(handled?.resolvedAt).toBeDefined();
  const escalated = alerts.find((a) => a.message === secondMessage);
  expect(escalated?.incidentId).toBe(incidentId);
  const incident = (await documentsOnServer<Incident>(context, suite.server.url, 'incidents')).find((i) => i.id === incidentId);
  expect(incident).toMatchObject({ status: 'triage', openedBy: me, siteId: escalated?.siteId, deviceIds: [escalated?.deviceId], alertIds: [escalated?.id] });

  await page.goto(`${suite.server.url}/alerts?status=all`);
  await items.first().waitFor();
  await page.setViewportSize(DESKTOP);
  await screenshot(page, 'alerts-desktop');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await context.close();
});

test('staff acknowledge alerts but leave resolving to technicians', async () => {
  const { context, page } = await signedInPage(suite.browser, suite.server.url, 'staff@northwind.example', PHONE);
  await page.goto(`${suite.server.url}/alerts?status=all`);
  const items = page.getByTestId('alert-item');
  await items.first().waitFor();
  const staffAlerts = await documentsOnServer<Alert>(context, suite.server.url, 'alerts');
  await expect.poll(() => items.count()).toBe(staffAlerts.length);
  const open = staffAlerts.filter((a) => a.status === 'open').length;
  await expect(page.getByRole('button', { name: 'Acknowledge' }).count()).resolves.toBe(open);
  await expect(page.getByRole('button', { name: 'Resolve' }).count()).resolves.toBe(0);
  await context.close();
});
