import { expect, test } from 'vitest';
import type { Alert } from '../shared/schema/alert.ts';
import type { Device } from '../shared/schema/device.ts';
import type { Incident } from '../shared/schema/incident.ts';
import type { Risk } from '../shared/schema/risk.ts';
import type { Run } from '../shared/schema/run.ts';
import type { Runbook } from '../shared/schema/runbook.ts';
import { appliesToDevice } from '../shared/runbook/applies-to.ts';
import { DESKTOP, goOffline, goOnline, newUserContext, signInAs, waitForServiceWorker, waitForSync } from './support/browser.ts';
import { documentsOnServer } from './support/server-documents.ts';
import { appSuite } from './support/suite.ts';

const suite = appSuite();

const INCIDENT = 'Back office switch reboots every hour';
const RISK = 'Single uplink for the whole store';

test('a day of work offline (alert, run, incident, risk) reaches the server and another user, who never reloads', async () => {
  const { server, browser } = suite;
  const manager = await newUserContext(browser, DESKTOP);
  const page = await manager.newPage();
  await signInAs(page, server.url, 'manager@northwind.example');
  await waitForSync(page);
  await waitForServiceWorker(page);

  const [alerts, runbooks, devices] = await Promise.all([
    documentsOnServer<Alert>(manager, server.url, 'alerts'),
    documentsOnServer<Runbook>(manager, server.url, 'runbooks'),
    documentsOnServer<Device>(manager, server.url, 'devices'),
  ]);
  const alert = alerts.find((a) => a.status === 'open');
  const pairs = runbooks.filter((r) => r.status === 'approved' && r.steps.length > 0).flatMap((runbook) => devices.filter((d) => appliesToDevice(runbook, d)).map((device) => ({ runbook, device })));
  const pair = pairs[0];
  if (!alert || !pair) throw new Error('the demo data lacks an open alert or a runbook with a device');

  // An administrator keeps the incident and risk lists open on another device, online.
  const admin = await newUserContext(browser, DESKTOP);
  const incidentsPage = await admin.newPage();
  await signInAs(incidentsPage, server.url, 'admin@northwind.example');
  await waitForSync(incidentsPage);
  await incidentsPage.goto(`${server.url}/incidents?status=all`);
  const risksPage = await admin.newPage();
  await risksPage.goto(`${server.url}/risks`);
  await risksPage.getByRole('table', { name: /sortable/ }).waitFor();

  await goOffline(manager);

  // Acknowledge the alert.
  await page.goto(`${server.url}/alerts`);
  await page.locator('.sync[data-state="offline"]').waitFor();
  const item = page.getByTestId('alert-item').filter({ hasText: alert.message }).first();
  await item.getByRole('button', { name: 'Acknowledge' }).click();
  await page.getByRole('status').filter({ hasText: 'Acknowledged' }).first().waitFor();

  // Run the runbook's checklist to the end.
  await page.goto(`${server.url}/runbooks/${pair.runbook.id}?deviceId=${pair.device.id}`);
  await page.getByRole('button', { name: 'Start run' }).click();
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  const runId = page.url().split('/').at(-1);
  const steps = page.getByTestId('run-step');
  await expect.poll(() => steps.count()).toBe(pair.runbook.steps.length);
  for (let index = 0; index < pair.runbook.steps.length; index++) {
    await steps.nth(index).getByRole('button', { name: 'Done' }).click();
    await steps.nth(index).getByText(/^Done by you/).waitFor();
  }
  await page.getByRole('button', { name: 'Finish run' }).click();
  await page.getByTestId('run-outcome').waitFor();

  // Report an incident.
  await page.goto(`${server.url}/incidents/new`);
  await page.getByLabel('What is wrong').fill(INCIDENT);
  await page.getByLabel('Site').selectOption({ index: 1 });
  await page.getByLabel('Severity').selectOption('sev3');
  await page.getByLabel('What happened').fill('The switch in the back office restarts on the hour; tills drop for two minutes.');
  await page.getByRole('button', { name: 'Report incident' }).click();
  await page.getByRole('heading', { level: 1, name: INCIDENT }).waitFor();

  // Register a risk.
  await page.goto(`${server.url}/risks/new`);
  await page.getByLabel('Title').fill(RISK);
  await page.getByLabel('Description').fill('One DSL line carries tills, cameras and phones.');
  await page.getByLabel('Category').selectOption('availability');
  await page.getByLabel('Likelihood', { exact: true }).selectOption('3');
  await page.getByLabel('Impact', { exact: true }).selectOption('4');
  await page.getByRole('button', { name: 'Create risk' }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(RISK);
  await expect.poll(() => page.getByTestId('pending-count').textContent()).not.toBe('0 pending');

  // Nothing has left the device yet.
  expect((await documentsOnServer<Incident>(admin, server.url, 'incidents')).some((i) => i.title === INCIDENT)).toBe(false);

  await goOnline(manager);
  await waitForSync(page);

  const [alertsAfter, runsAfter, incidentsAfter, risksAfter] = await Promise.all([
    documentsOnServer<Alert>(admin, server.url, 'alerts'),
    documentsOnServer<Run>(admin, server.url, 'runs'),
    documentsOnServer<Incident>(admin, server.url, 'incidents'),
    documentsOnServer<Risk>(admin, server.url, 'risks'),
  ]);
  expect(alertsAfter.find((a) => a.id === alert.id)?.status).toBe('acknowledged');
  const run = runsAfter.find((r) => r.id === runId);
  expect(run?.finishedAt).toBeDefined();
  expect(run?.stepResults.filter((r) => r.result === 'done')).toHaveLength(pair.runbook.steps.length);
  expect(incidentsAfter.filter((i) => i.title === INCIDENT)).toHaveLength(1);
  expect(risksAfter.find((r) => r.title === RISK)).toMatchObject({ likelihood: 3, impact: 4, score: 12 });

  // The administrator's open pages show the new records without a reload.
  await incidentsPage.getByText(INCIDENT).first().waitFor({ timeout: 20_000 });
  await risksPage.getByText(RISK).first().waitFor({ timeout: 20_000 });
  await Promise.all([manager.close(), admin.close()]);
});
