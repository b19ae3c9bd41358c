import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Alert } from '../shared/schema/alert.ts';
import type { Device } from '../shared/schema/device.ts';
import type { Incident } from '../shared/schema/incident.ts';
import type { Risk } from '../shared/schema/risk.ts';
import { seriousAccessibilityViolations } from './support/accessibility.ts';
import { DESKTOP, PHONE, goOffline, screenshot, waitForServiceWorker, waitForSync, signedInPage } from './support/browser.ts';
import { documentsOnServer } from './support/server-documents.ts';
import { appSuite } from './support/suite.ts';

const suite = appSuite();

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim();

test("a manager's dashboard shows the fleet, alerts, incidents and risks as the server holds them, also offline", async () => {
  const { context, page } = await signedInPage(suite.browser, suite.server.url, 'manager@northwind.example', DESKTOP);
  const [alerts, devices, incidents, risks] = await Promise.all([
    documentsOnServer<Alert>(context, suite.server.url, 'alerts'),
    documentsOnServer<Device>(context, suite.server.url, 'devices'),
    documentsOnServer<Incident>(context, suite.server.url, 'incidents'),
    documentsOnServer<Risk>(context, suite.server.url, 'risks'),
  ]);
  const openAlerts = alerts.filter((a) => a.status === 'open');
  const inService = devices.filter((d) => d.status !== 'retired');
  const openRisks = risks.filter((r) => r.status !== 'closed');
  const overdue = openRisks.filter((r) => Date.parse(r.nextReviewAt) < Date.now());
  expect(openAlerts.length).toBeGreaterThan(0);
  expect(overdue.length).toBeGreaterThan(0);

  const expectFigures = async () => {
    await expect.poll(() => text(page, 'open-alert-count')).toBe(`${openAlerts.length}not acknowledged`);
    for (const severity of ['critical', 'warning', 'info'] as const) {
      await expect.poll(() => text(page, `open-alerts-${severity}`)).toBe(String(openAlerts.filter((a) => a.severity === severity).length));
    }
    for (const health of ['ok', 'warning', 'critical'] as const) {
      // Each card follows its own live query: a figure may land a moment after another.
      await expect.poll(() => text(page, `health-${health}`)).toBe(`${inService.filter((d) => d.health === health).length}${health}`);
    }
    await expect.poll(() => text(page, 'status-offline')).toBe(`${devices.filter((d) => d.status === 'offline').length} offline`);
    await expect.poll(() => text(page, 'open-incident-count')).toBe(String(incidents.filter((i) => i.status === 'triage' || i.status === 'contained').length));
    await expect.poll(() => text(page, 'open-risk-count')).toBe(`${openRisks.length} open`);
    await expect.poll(() => text(page, 'overdue-review-count')).toBe(String(overdue.length));
  };
  await page.goto(suite.server.url);
  // Collections arrive independently: the figures are the server's once the first sync is done.
  await waitForSync(page);
  await expectFigures();
  await page.getByText('Time to acknowledge').waitFor();
  await screenshot(page, 'dashboard-desktop');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.setViewportSize(PHONE);
  await screenshot(page, 'dashboard-phone');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  // Every cell of the heat map counts the open risks at its likelihood and impact.
  for (let likelihood = 1; likelihood <= 5; likelihood++) {
    for (let impact = 1; impact <= 5; impact++) {
      const count = openRisks.filter((r) => r.likelihood === likelihood && r.impact === impact).length;
      const cell = page.locator(`.heat-cell[data-likelihood="${likelihood}"][data-impact="${impact}"]`);
      expect((await cell.textContent())?.trim(), `cell ${likelihood}×${impact}`).toBe(String(count));
    }
  }
  // A cell drills down into the register.
  const busiest = openRisks[0]!;
  await page.getByRole('link', { name: new RegExp(`risks? with likelihood ${busiest.likelihood} and impact ${busiest.impact}$`) }).click();
  await page.waitForURL(`${suite.server.url}/risks?likelihood=${busiest.likelihood}&impact=${busiest.impact}`);

  // Offline, the dashboard opens from the replica with the same figures.
  await waitForServiceWorker(page);
  await goOffline(context);
  await page.goto(suite.server.url);
  await page.locator('.sync[data-state="offline"]').waitFor();
  await expectFigures();
  await context.close();
});

test('a staff member sees their site on the dashboard and no risk widgets', async () => {
  const { context, page } = await signedInPage(suite.browser, suite.server.url, 'staff@northwind.example', PHONE);
  const openAlerts = (await documentsOnServer<Alert>(context, suite.server.url, 'alerts')).filter((a) => a.status === 'open');
  await page.goto(suite.server.url);
  await expect.poll(() => text(page, 'open-alert-count')).toBe(`${openAlerts.length}not acknowledged`);
  await page.getByRole('heading', { name: 'Fleet health' }).waitFor();
  expect(await page.getByRole('heading', { name: /Risk heat map/ }).count()).toBe(0);
  expect(await page.getByRole('heading', { name: 'Reviews overdue' }).count()).toBe(0);
  expect(await page.locator('.risk-heat-map').count()).toBe(0);
  await screenshot(page, 'dashboard-staff-phone');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await context.close();
});
