import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startAppServer, type AppServer } from './support/app-server.ts';
import { launchBrowser, newUserContext } from './support/browser.ts';

/** A phone on the site network: a host name that is not localhost, over plain HTTP. */
const HOST = 'outpost.test';
let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startAppServer({ env: { OUTPOST_ALLOWED_HOSTS: HOST } }),
    launchBrowser([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`]),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test('opened over plain HTTP at a name that is not localhost, the app explains that it needs HTTPS instead of failing', async () => {
  const context = await newUserContext(browser);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(server.url.replace('127.0.0.1', HOST));

  const alert = page.getByRole('alert');
  await alert.waitFor();
  expect(await alert.textContent()).toContain('Outpost needs a secure connection (HTTPS) to keep your data on this device');
  expect(await alert.textContent()).toContain('https://');
  // No sign-in form that would lead to a library's error code, and nothing thrown.
  expect(await page.getByLabel('Password').count()).toBe(0);
  expect(errors).toEqual([]);
  expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
  await context.close();
});
