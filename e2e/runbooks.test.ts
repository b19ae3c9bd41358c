import { expect, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { appliesToDevice } from '../shared/runbook/applies-to.ts';
import type { Device } from '../shared/schema/device.ts';
import type { Run } from '../shared/schema/run.ts';
import type { Runbook } from '../shared/schema/runbook.ts';
import type { RunbookVersion } from '../shared/schema/runbook-version.ts';
import { seriousAccessibilityViolations } from './support/accessibility.ts';
import { DESKTOP, PHONE, goOffline, goOnline, screenshot, waitForServiceWorker, waitForSync, signedInPage } from './support/browser.ts';
import { documentsOnServer } from './support/server-documents.ts';
import { appSuite } from './support/suite.ts';

const suite = appSuite();

const signedIn = (email: string, viewport: { width: number; height: number } = PHONE) => signedInPage(suite.browser, suite.server.url, email, viewport);

/** An approved runbook of four steps or more and a device it is written for. */
async function runbookAndDevice(context: BrowserContext): Promise<{ runbook: Runbook; device: Device }> {
  const [runbooks, devices] = await Promise.all([documentsOnServer<Runbook>(context, suite.server.url, 'runbooks'), documentsOnServer<Device>(context, suite.server.url, 'devices')]);
  for (const runbook of runbooks.filter((r) => r.status === 'approved' && r.steps.length >= 4 && r.appliesTo.deviceKinds.length > 0)) {
    const device = devices.find((d) => appliesToDevice(runbook, d));
    if (device) return { runbook, device };
  }
  throw new Error('the demo data has no approved runbook with a device to run it on');
}

test('staff see only approved runbooks', async () => {
  const { context, page } = await signedIn('staff@northwind.example');
  const runbooks = await documentsOnServer<Runbook>(context, suite.server.url, 'runbooks');
  const approved = runbooks.filter((r) => r.status === 'approved');
  const unapproved = runbooks.find((r) => r.status !== 'approved');
  expect(approved.length).toBeGreaterThan(0);
  await page.goto(`${suite.server.url}/runbooks?status=draft`);
  const items = page.getByTestId('runbook-item');
  await expect.poll(() => items.count()).toBe(approved.length);
  await expect(items.filter({ hasNotText: 'Approved' }).count()).resolves.toBe(0);
  await expect(page.getByLabel('Status').count()).resolves.toBe(0);
  // Nor by address.
  if (!unapproved) throw new Error('the demo data has no unapproved runbook');
  await page.goto(`${suite.server.url}/runbooks/${unapproved.id}`);
  await page.getByRole('heading', { level: 1, name: 'Not approved yet' }).waitFor();
  await expect(page.getByRole('button', { name: 'Start run' }).count()).resolves.toBe(0);
  await context.close();
});

test('a technician runs a runbook on a device fully offline, and a manager sees the record arrive', async () => {
  const technician = await signedIn('technician@northwind.example');
  const { page } = technician;
  const { runbook, device } = await runbookAndDevice(technician.context);
  await page.goto(`${suite.server.url}/runbooks`);
  await page.getByTestId('runbook-item').first().waitFor();
  await screenshot(page, 'runbooks-phone');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await waitForServiceWorker(page);

  // The manager watches the runbook's recent runs, online, and never reloads.
  const manager = await signedIn('manager@northwind.example', DESKTOP);
  await manager.page.goto(`${suite.server.url}/runbooks/${runbook.id}`);
  const recentRuns = manager.page.getByRole('region', { name: 'Recent runs' });
  await recentRuns.waitFor();

  await goOffline(technician.context);
  await page.goto(`${suite.server.url}/runbooks/${runbook.id}?deviceId=${device.id}`);
  await page.locator('.sync[data-state="offline"]').waitFor();
  await page.getByRole('heading', { level: 1, name: runbook.title }).waitFor();
  await expect.poll(() => page.getByLabel('Device', { exact: true }).inputValue()).toBe(device.id);
  await screenshot(page, 'runbook-detail-phone');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Start run' }).click();
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  const runId = page.url().split('/').at(-1);
  const steps = page.getByTestId('run-step');
  await expect.poll(() => steps.count()).toBe(runbook.steps.length);
  await screenshot(page, 'run-phone');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);

  const step = (index: number) => steps.nth(index);
  await step(0).getByRole('button', { name: 'Done' }).click();
  await step(0).getByText(/^Done by you/).waitFor();
  // A failed step needs a note saying what went wrong.
  await step(1).getByRole('button', { name: 'Failed' }).click();
  await step(1).getByText('a failed step needs a note').waitFor();
  await step(1).getByLabel('Note').fill('Link light stays dark on port 12');
  await step(1).getByRole('button', { name: 'Failed' }).click();
  await step(1).getByText('“Link light stays dark on port 12”').waitFor();

  // Leave and resume: the run is on this device, offline.
  await page.getByRole('link', { name: '← ' + runbook.title }).click();
  await page.getByRole('link', { name: 'Runbooks', exact: true }).first().click();
  await page.getByRole('link', { name: `Resume ${runbook.title}` }).click();
  await page.waitForURL(`${suite.server.url}/runs/${runId}`);
  await page.getByTestId('run-progress').filter({ hasText: `2 of ${runbook.steps.length} steps` }).waitFor();

  await step(2).getByRole('button', { name: 'Skip' }).click();
  await step(2).getByText(/^Skipped by you/).waitFor();
  for (let index = 3; index < runbook.steps.length; index++) {
    await step(index).getByRole('button', { name: 'Done' }).click();
    await step(index).getByText(/^Done by you/).waitFor();
  }
  await page.getByTestId('run-progress').filter({ hasText: `${runbook.steps.length} of ${runbook.steps.length} steps` }).waitFor();
  // The checklist suggests the outcome: a failed step failed the run.
  await expect(page.getByLabel(/^Failed/).isChecked()).resolves.toBe(true);
  await page.getByRole('button', { name: 'Finish run' }).click();
  await page.getByTestId('run-outcome').filter({ hasText: 'Failed' }).waitFor();
  await expect(page.getByRole('button', { name: 'Done' }).count()).resolves.toBe(0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'run-finished-phone');

  await goOnline(technician.context);
  await waitForSync(page);
  const run = (await documentsOnServer<Run>(technician.context, suite.server.url, 'runs')).find((r) => r.id === runId);
  expect(run).toMatchObject({ runbookId: runbook.id, runbookVersion: runbook.version, deviceId: device.id, siteId: device.siteId, outcome: 'failed' });
  expect(run?.finishedAt).toBeDefined();
  expect(run?.stepResults.map((r) => r.result)).toEqual(['done', 'failed', 'skipped', ...runbook.steps.slice(3).map(() => 'done')]);
  expect(run?.stepResults[1]?.note).toBe('Link light stays dark on port 12');

  await recentRuns.getByRole('link', { name: device.hostname }).waitFor();
  await recentRuns.locator('li').filter({ hasText: device.hostname }).getByText('Failed').waitFor();
  await screenshot(manager.page, 'runbook-detail-desktop');
  expect(await seriousAccessibilityViolations(manager.page)).toEqual([]);
  await manager.page.getByRole('link', { name: device.hostname }).first().click();
  await manager.page.getByTestId('run-outcome').waitFor();
  await screenshot(manager.page, 'run-desktop');
  expect(await seriousAccessibilityViolations(manager.page)).toEqual([]);
  await Promise.all([technician.context.close(), manager.context.close()]);
});

test('a manager approves a draft runbook, freezing its version', async () => {
  const { context, page } = await signedIn('manager@northwind.example', DESKTOP);
  const draft = (await documentsOnServer<Runbook>(context, suite.server.url, 'runbooks')).find((r) => r.status === 'draft' || r.status === 'in_review');
  if (!draft) throw new Error('the demo data has no runbook waiting for approval');
  await page.goto(`${suite.server.url}/runbooks`);
  await page.getByTestId('runbook-item').first().waitFor();
  await screenshot(page, 'runbooks-desktop');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.goto(`${suite.server.url}/runbooks/${draft.id}`);
  await page.getByRole('button', { name: 'Approve this runbook' }).click();
  await page.getByTestId('runbook-status').filter({ hasText: 'Approved' }).waitFor();
  await waitForSync(page);
  const approved = (await documentsOnServer<Runbook>(context, suite.server.url, 'runbooks')).find((r) => r.id === draft.id);
  const me = ((await (await context.request.get(`${suite.server.url}/api/auth/me`)).json()) as { user: { id: string } }).user.id;
  expect(approved).toMatchObject({ status: 'approved', approvedBy: me, version: draft.version });
  const versions = (await documentsOnServer<RunbookVersion>(context, suite.server.url, 'runbook_versions')).filter((v) => v.runbookId === draft.id);
  expect(versions).toMatchObject([{ version: draft.version, approvedBy: me, steps: draft.steps }]);
  await context.close();
});
