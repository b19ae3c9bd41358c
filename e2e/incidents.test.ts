import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Incident } from '../shared/schema/incident.ts';
import type { TimelineEntry } from '../shared/schema/timeline.ts';
import { seriousAccessibilityViolations } from './support/accessibility.ts';
import { DESKTOP, PHONE, screenshot, waitForSync, signedInPage } from './support/browser.ts';
import { documentsOnServer } from './support/server-documents.ts';
import { appSuite } from './support/suite.ts';

const suite = appSuite();

const timelineEntry = (page: Page, text: string | RegExp) => page.getByTestId('timeline-entry').filter({ hasText: text });

test('a technician reports an incident, works it through to resolved and keeps a timeline', async () => {
  const { context, page } = await signedInPage(suite.browser, suite.server.url, 'technician@northwind.example', PHONE);
  await page.goto(`${suite.server.url}/incidents?status=all`);
  await page.getByTestId('incident-item').first().waitFor();
  await screenshot(page, 'incidents-phone');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  // The form validates with the shared schema and says what is wrong beside each field.
  await page.getByRole('link', { name: 'Report an incident' }).click();
  await page.getByRole('button', { name: 'Report incident' }).click();
  await expect(page.getByLabel('What is wrong').getAttribute('aria-invalid')).resolves.toBe('true');
  await page.getByText('must not be empty').waitFor();
  await page.getByText('Choose the site where it happens').waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  const title = 'Back-office switch drops every few minutes';
  await page.getByLabel('What is wrong').fill(title);
  await page.getByLabel('Site').selectOption({ index: 1 });
  await page.getByLabel('Severity').selectOption('sev2');
  await page.getByLabel('What happened').fill('Tills lose the card terminal link for a minute at a time.');
  await page.getByRole('button', { name: 'Report incident' }).click();
  await page.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
  const incidentId = page.url().split('/').at(-1);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await timelineEntry(page, 'Opened as sev2').waitFor();
  await page.getByTestId('time-to-acknowledge').filter({ hasText: 'not acknowledged for' }).waitFor();
  await screenshot(page, 'incident-detail-phone');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await page.getByTestId('time-to-acknowledge').filter({ hasText: /^acknowledged in/ }).waitFor();
  await timelineEntry(page, 'Acknowledged by Sam Okafor').waitFor();

  await page.getByLabel('Move to').selectOption('contained');
  await page.getByLabel('Why (goes on the timeline, optional)').fill('Moved the tills to the spare switch');
  await page.getByRole('button', { name: 'Mark contained' }).click();
  await page.getByTestId('incident-status').filter({ hasText: 'Contained' }).waitFor();
  await timelineEntry(page, 'Contained: Moved the tills to the spare switch').waitFor();

  await page.getByLabel('Severity').selectOption('sev1');
  await page.getByRole('button', { name: 'Change severity' }).click();
  await timelineEntry(page, 'Severity SEV2 → SEV1').waitFor();

  await page.getByLabel('Add a note').fill('Vendor RMA opened for the switch.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await timelineEntry(page, 'Vendor RMA opened for the switch.').waitFor();

  const devicePicker = page.getByLabel('Link a device at this site');
  const deviceLabel = (await devicePicker.locator('option').nth(1).textContent()) ?? '';
  const hostname = deviceLabel.replace(/ \(.*\)$/, '');
  await devicePicker.selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Link', exact: true }).first().click();
  await page.getByRole('button', { name: `Unlink ${hostname}` }).waitFor();
  await timelineEntry(page, `Linked device ${hostname}.`).waitFor();

  await page.getByLabel('Move to').selectOption('resolved');
  await page.getByRole('button', { name: 'Mark resolved' }).click();
  await page.getByTestId('time-to-resolve').filter({ hasText: /^resolved in/ }).waitFor();

  await waitForSync(page);
  const incident = (await documentsOnServer<Incident>(context, suite.server.url, 'incidents')).find((i) => i.id === incidentId);
  expect(incident).toMatchObject({ title, status: 'resolved', severity: 'sev1' });
  expect(incident?.acknowledgedAt).toBeDefined();
  expect(incident?.resolvedAt).toBeDefined();
  expect(incident?.deviceIds).toHaveLength(1);
  const timeline = (await documentsOnServer<TimelineEntry>(context, suite.server.url, 'timeline')).filter((e) => e.incidentId === incidentId);
  expect(timeline.map((e) => e.kind).sort()).toEqual(['link', 'note', 'severity', 'status', 'status', 'status', 'status']);

  await page.setViewportSize(DESKTOP);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'incident-detail-desktop');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.goto(`${suite.server.url}/incidents?status=all`);
  await page.getByTestId('incident-item').filter({ hasText: title }).waitFor();
  await screenshot(page, 'incidents-desktop');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await context.close();
});

test('staff report an incident and add notes, but leave status and links to technicians', async () => {
  const { context, page } = await signedInPage(suite.browser, suite.server.url, 'staff@northwind.example', PHONE);
  await page.goto(`${suite.server.url}/incidents/new`);
  await page.getByLabel('What is wrong').fill('Receipt printer at lane 2 prints blank');
  // Staff cover one site: it is chosen for them.
  await expect.poll(() => page.getByLabel('Site').inputValue()).not.toBe('');
  await page.getByRole('button', { name: 'Report incident' }).click();
  await page.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
  await page.getByLabel('Add a note').fill('Customer receipts handwritten for now.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await timelineEntry(page, 'Customer receipts handwritten for now.').waitFor();
  await expect(page.getByRole('heading', { name: 'Update' }).count()).resolves.toBe(0);
  await expect(page.getByLabel('Link a device at this site').count()).resolves.toBe(0);
  await context.close();
});
