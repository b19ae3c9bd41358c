import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Runbook } from '../shared/schema/runbook.ts';
import type { RunbookVersion } from '../shared/schema/runbook-version.ts';
import { seriousAccessibilityViolations } from './support/accessibility.ts';
import { DESKTOP, PHONE, goOffline, goOnline, newUserContext, screenshot, signInAs, waitForServiceWorker, waitForSync } from './support/browser.ts';
import { documentsOnServer } from './support/server-documents.ts';
import { appSuite } from './support/suite.ts';

const suite = appSuite();

async function openEditor(page: Page, url: string, runbookId: string): Promise<void> {
  await page.goto(`${url}/runbooks/${runbookId}`);
  await page.getByRole('button', { name: 'Edit together' }).click();
  await page.locator('[data-testid="collab-editor"] .cm-content').waitFor();
}

/** Types a line at the end of the text, as a person would. */
async function typeLine(page: Page, line: string): Promise<void> {
  const editor = page.locator('[data-testid="collab-editor"] .cm-content');
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(`\n${line}`);
}

const editorText = (page: Page) => page.locator('[data-testid="collab-editor"] .cm-content').innerText();

test('two people edit the same runbook offline; reconnected, both see every line; an approved version stays frozen', async () => {
  const { server, browser } = suite;
  const technician = await newUserContext(browser, PHONE);
  const manager = await newUserContext(browser, DESKTOP);
  const [techPage, managerPage] = await Promise.all([technician.newPage(), manager.newPage()]);
  await signInAs(techPage, server.url, 'technician@northwind.example');
  await signInAs(managerPage, server.url, 'manager@northwind.example');
  await Promise.all([waitForSync(techPage), waitForSync(managerPage)]);
  await Promise.all([waitForServiceWorker(techPage), waitForServiceWorker(managerPage)]);

  const draft = (await documentsOnServer<Runbook>(manager, server.url, 'runbooks')).find((r) => r.status === 'draft');
  if (!draft) throw new Error('the demo data has no draft runbook');
  await Promise.all([openEditor(techPage, server.url, draft.id), openEditor(managerPage, server.url, draft.id)]);

  // Both offline, both typing into the same text.
  await Promise.all([goOffline(technician), goOffline(manager)]);
  await typeLine(techPage, 'Check the UPS before rebooting the switch.');
  await typeLine(managerPage, 'Call the store manager when the till is back.');
  await expect.poll(() => techPage.getByTestId('pending-count').textContent(), { timeout: 10_000 }).not.toBe('0 pending');
  await expect.poll(() => managerPage.getByTestId('pending-count').textContent(), { timeout: 10_000 }).not.toBe('0 pending');
  expect(await editorText(techPage)).not.toContain('Call the store manager');

  // Reconnected: each sees the other's line without reloading, and who else is editing.
  await Promise.all([goOnline(technician), goOnline(manager)]);
  for (const page of [techPage, managerPage]) {
    await expect.poll(() => editorText(page), { timeout: 30_000 }).toContain('Check the UPS before rebooting the switch.');
    await expect.poll(() => editorText(page), { timeout: 30_000 }).toContain('Call the store manager when the till is back.');
  }
  await expect.poll(() => managerPage.locator('.collab-presence').innerText(), { timeout: 30_000 }).toContain('Also editing');
  await screenshot(managerPage, 'collab-editor-desktop');
  await screenshot(techPage, 'collab-editor-phone');
  expect(await seriousAccessibilityViolations(managerPage)).toEqual([]);

  // The manager approves: the text as it stands is frozen as a version.
  await waitForSync(managerPage);
  await managerPage.getByRole('button', { name: 'Approve this runbook' }).click();
  await waitForSync(managerPage);
  const frozen = async () => (await documentsOnServer<RunbookVersion>(manager, server.url, 'runbook_versions')).filter((v) => v.runbookId === draft.id);
  await expect.poll(async () => (await frozen()).length, { timeout: 20_000 }).toBe(1);
  const [version] = await frozen();
  expect(version?.body).toContain('Check the UPS before rebooting the switch.');
  expect(version?.body).toContain('Call the store manager when the till is back.');

  // Later edits change the runbook's text, never the frozen version.
  await typeLine(managerPage, 'Added after approval.');
  await waitForSync(managerPage);
  await expect.poll(() => editorText(techPage), { timeout: 30_000 }).toContain('Added after approval.');
  const [still] = await frozen();
  expect(still?.body).toBe(version?.body);
  expect(still?.body).not.toContain('Added after approval.');
  await managerPage.getByRole('heading', { name: 'Versions' }).waitFor();

  await Promise.all([technician.close(), manager.close()]);
});
