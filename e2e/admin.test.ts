import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { seriousAccessibilityViolations } from './support/accessibility.ts';
import { DESKTOP, PHONE, goOffline, goOnline, newUserContext, screenshot, signInAs, waitForSync } from './support/browser.ts';
import { appSuite } from './support/suite.ts';

const suite = appSuite();
const NEW_EMAIL = 'casey.nguyen@northwind.example';
const NEW_PASSWORD = 'harbour-street-closet-42';

async function signedInAdmin(viewport: { width: number; height: number }): Promise<Page> {
  const context = await newUserContext(suite.browser, viewport);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.url });
  const page = await context.newPage();
  await signInAs(page, suite.server.url, 'admin@northwind.example');
  await waitForSync(page);
  await page.goto(`${suite.server.url}/admin`);
  await page.getByRole('table', { name: 'Users of your organizations' }).waitFor();
  return page;
}

test('an admin creates a user limited to one site, changes the role, disables and enables the account', async () => {
  const page = await signedInAdmin(DESKTOP);
  await page.getByRole('button', { name: 'New user' }).click();
  const form = page.getByRole('form', { name: 'New user' });
  await form.getByLabel('Name').fill('Casey Nguyen');
  await form.getByLabel('Email').fill(NEW_EMAIL);
  await form.getByLabel('First password').fill('short');
  await form.getByLabel('Role').selectOption('technician');
  await form.getByLabel('Only some sites').check();
  const site = (await form.locator('.site-choices label').first().textContent())!.trim();
  await form.locator('.site-choices input').first().check();

  // The server's password rule, at the field.
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect.poll(() => form.getByLabel('First password').getAttribute('aria-invalid')).toBe('true');
  expect(await form.locator('.field-error').first().textContent()).toContain('at least 8 characters');
  await form.getByLabel('First password').fill(NEW_PASSWORD);
  await form.getByRole('button', { name: 'Create user' }).click();
  await page.getByText('Casey Nguyen can now sign in.').waitFor();
  const row = page.locator(`tr[data-user="${NEW_EMAIL}"]`);
  expect(await row.textContent()).toContain(`Technician · Northwind`);
  expect(await row.textContent()).toContain(site);

  // The account works: the new user signs in and sees only that site's devices.
  const casey = await (await newUserContext(suite.browser, PHONE)).newPage();
  await signInAs(casey, suite.server.url, NEW_EMAIL, NEW_PASSWORD);
  await waitForSync(casey);
  await casey.context().close();

  await row.getByRole('button', { name: 'Edit Casey Nguyen' }).click();
  const edit = page.getByRole('form', { name: 'Edit Casey Nguyen' });
  await edit.getByLabel('Role').selectOption('manager');
  await edit.getByLabel('All sites').check();
  await edit.getByRole('button', { name: 'Save user' }).click();
  await page.getByText('Casey Nguyen is updated.').waitFor();
  await expect.poll(() => row.textContent()).toContain('Manager · Northwind');
  expect(await row.textContent()).toContain('all sites');

  await row.getByRole('button', { name: 'Disable Casey Nguyen' }).click();
  await expect.poll(() => row.locator('.badge').textContent()).toBe('Disabled');
  const refused = await (await newUserContext(suite.browser, PHONE)).newPage();
  await refused.goto(suite.server.url);
  await refused.getByLabel('Email').fill(NEW_EMAIL);
  await refused.getByLabel('Password').fill(NEW_PASSWORD);
  await refused.getByRole('button', { name: 'Sign in' }).click();
  await refused.getByRole('alert').waitFor();
  await refused.context().close();
  await row.getByRole('button', { name: 'Enable Casey Nguyen' }).click();
  await expect.poll(() => row.locator('.badge').textContent()).toBe('Active');

  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'admin-desktop');
  await page.context().close();
});

test('an admin creates an enrollment token, sees it once, and revokes it; offline, the page says it needs the network', async () => {
  const page = await signedInAdmin(PHONE);
  const site = await page.getByLabel('Site').locator('option:checked').textContent();
  await page.getByLabel('Valid for').selectOption({ label: '1 week' });
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = await page.getByLabel('Enrollment token', { exact: true }).inputValue();
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await page.getByRole('button', { name: 'Copy token' }).click();
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  expect(await page.locator('.command').textContent()).toContain(`--token ${token}`);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'admin-token-phone');

  await page.getByRole('button', { name: 'Done' }).click();
  // Shown once: the list never carries the token again.
  await expect.poll(() => page.locator('.tokens-table tbody tr').count()).toBe(1);
  expect(await page.locator('.tokens-table').textContent()).not.toContain(token);
  const listed = page.locator('.tokens-table tbody tr').first();
  expect(await listed.textContent()).toContain(site);
  expect(await listed.locator('.badge').textContent()).toBe('Active');
  await listed.getByRole('button', { name: /^Revoke the token for/ }).click();
  await listed.getByRole('button', { name: 'Confirm revoke' }).click();
  await expect.poll(() => listed.locator('.badge').textContent()).toBe('Revoked');
  await page.reload();
  await expect.poll(() => page.locator('.tokens-table tbody tr .badge').first().textContent()).toBe('Revoked');

  await goOffline(page.context());
  await page.getByText('You are offline.').waitFor();
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByText('The server cannot be reached').waitFor();
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'admin-offline-phone');
  await goOnline(page.context());
  await page.getByText('You are offline.').waitFor({ state: 'detached' });
  await page.context().close();
});
