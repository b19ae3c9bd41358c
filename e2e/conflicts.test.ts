import type { BrowserContext, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { seriousAccessibilityViolations } from './support/accessibility.ts';
import { DESKTOP, PHONE, goOffline, goOnline, newUserContext, screenshot, signInAs, waitForSync } from './support/browser.ts';
import { appSuite } from './support/suite.ts';

const suite = appSuite();

interface Person {
  context: BrowserContext;
  page: Page;
}

async function signedIn(email: string, viewport: { width: number; height: number }): Promise<Person> {
  const context = await newUserContext(suite.browser, viewport);
  const page = await context.newPage();
  await signInAs(page, suite.server.url, email);
  await waitForSync(page);
  return { context, page };
}

/** Opens the risk's form afresh, so it starts from what this device holds now. */
async function openRisk(person: Person, riskId: string): Promise<void> {
  await person.page.goto(`${suite.server.url}/risks/${riskId}`);
  await person.page.getByLabel('Title').waitFor();
}

async function saveOffline(person: Person): Promise<void> {
  await person.page.getByRole('button', { name: 'Save changes' }).click();
  await person.page.getByText('Saved on this device; it syncs when you are back online').waitFor();
}

/** Both offline, each makes an edit and saves it; then back online one after the other (the first keeps its value on a clash). */
async function editApart(first: Person, second: Person, edit: (person: Person, index: number) => Promise<void>): Promise<void> {
  await Promise.all([goOffline(first.context), goOffline(second.context)]);
  for (const [index, person] of [first, second].entries()) {
    await edit(person, index);
    await saveOffline(person);
  }
  for (const person of [first, second]) {
    await goOnline(person.context);
    await waitForSync(person.page);
  }
}

/** The register's live row for the risk: it follows synced changes without a reload. */
const registerRow = (person: Person, riskId: string) => person.page.locator(`tr[data-risk-id="${riskId}"]`);

test('two managers edit one risk offline: different fields both survive; the same field ends on one value with the other in the conflicts view until resolved', async () => {
  const [manager, admin] = await Promise.all([signedIn('manager@northwind.example', DESKTOP), signedIn('admin@northwind.example', PHONE)]);
  await manager.page.goto(`${suite.server.url}/risks`);
  await manager.page.locator('.risk-title').first().click();
  const riskId = /\/risks\/([0-9a-f-]{36})$/.exec(manager.page.url())![1]!;
  const originalTitle = await manager.page.getByLabel('Title').inputValue();
  const otherStatus = (await manager.page.getByLabel('Status').inputValue()) === 'accepted' ? 'mitigating' : 'accepted';
  await openRisk(admin, riskId);

  // Different fields, both offline.
  await editApart(manager, admin, async (person, index) => {
    if (index === 0) await person.page.getByLabel('Title').fill(`${originalTitle} (rewritten)`);
    else await person.page.getByLabel('Status').selectOption(otherStatus);
  });
  for (const person of [manager, admin]) {
    await person.page.goto(`${suite.server.url}/risks`);
    await expect.poll(() => registerRow(person, riskId).locator('.risk-title').textContent()).toBe(`${originalTitle} (rewritten)`);
    await expect.poll(() => registerRow(person, riskId).locator('.col-status').textContent()).toBe(otherStatus === 'accepted' ? 'Accepted' : 'Mitigating');
  }
  expect(await manager.page.getByTestId('conflict-count').count()).toBe(0);

  // The same field, both offline: the first to sync keeps its value, the other is recorded.
  await Promise.all([openRisk(manager, riskId), openRisk(admin, riskId)]);
  await editApart(manager, admin, (person, index) => person.page.getByLabel('Title').fill(index === 0 ? 'Title from the manager' : 'Title from the admin'));
  for (const person of [manager, admin]) {
    await person.page.goto(`${suite.server.url}/conflicts`);
    await person.page.getByTestId('conflict-count').waitFor();
    const item = person.page.locator('.conflict-item').filter({ hasText: 'Title' });
    await expect.poll(() => item.getByTestId('kept-value').textContent()).toBe('Title from the manager');
    expect(await item.getByTestId('other-value').textContent()).toBe('Title from the admin');
    // Who wrote each value: the kept one by the manager (as the server told the admin's merge),
    // on their device and on the server; the other one never reached the server as such.
    expect(await item.getByTestId('kept-authorship').textContent()).toMatch(
      person === manager ? /^by you · .+ on your device · .+ on the server$/ : /^by (?!you )\S.* · .+ on their device · .+ on the server$/,
    );
    expect(await item.getByTestId('other-authorship').textContent()).toMatch(
      person === admin ? /^by you · .+ on your device, not yet on the server$/ : /^by (?!you )\S.* · .+ on their device, not yet on the server$/,
    );
    expect(await seriousAccessibilityViolations(person.page)).toEqual([]);
  }
  await screenshot(manager.page, 'conflicts-desktop');
  await screenshot(admin.page, 'conflicts-phone');

  // Resolved on one device: the other value is taken, and the record disappears on both.
  await admin.page.getByRole('button', { name: 'Edit merged value' }).click();
  await admin.page.getByLabel('Merged value for Title').waitFor();
  await admin.page.getByRole('button', { name: 'Cancel' }).click();
  await admin.page.getByRole('button', { name: 'Take other' }).click();
  await admin.page.getByText('No conflicts to review.').waitFor();
  await waitForSync(admin.page);
  await manager.page.getByText('No conflicts to review.').waitFor();
  expect(await manager.page.getByTestId('conflict-count').count()).toBe(0);
  for (const person of [manager, admin]) {
    await person.page.goto(`${suite.server.url}/risks`);
    await expect.poll(() => registerRow(person, riskId).locator('.risk-title').textContent()).toBe('Title from the admin');
  }
  await Promise.all([manager.context.close(), admin.context.close()]);
});
