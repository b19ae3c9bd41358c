import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.ts';
import { DEMO_PASSWORD } from './app-server.ts';

export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;
export const ARTIFACTS = resolve(import.meta.dirname, '../../test-results/screenshots');

/** `extraArgs`: e.g. `--host-resolver-rules=MAP outpost.test 127.0.0.1` to reach loopback under another name. */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? ensureChromium(), args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** A fresh profile (its own IndexedDB, cookies and service worker) at phone size by default. */
export async function newUserContext(browser: Browser, viewport: { width: number; height: number } = PHONE): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(15_000);
  return context;
}

export async function signInAs(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).or(page.getByRole('navigation', { name: 'Main (phone)' })).first().waitFor();
}

/** A fresh profile, signed in and synced: the usual start of a browser test. */
export async function signedInPage(browser: Browser, baseUrl: string, email: string, viewport: { width: number; height: number } = PHONE): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newUserContext(browser, viewport);
  const page = await context.newPage();
  await signInAs(page, baseUrl, email);
  await waitForSync(page);
  return { context, page };
}

/** Waits until the replica is in step with the server: online, nothing pending, synced. */
export async function waitForSync(page: Page): Promise<void> {
  await page.locator('.sync[data-state="online"]').waitFor();
  await page.getByTestId('pending-count').filter({ hasText: /^0 pending$/ }).waitFor();
  await page.locator('.sync').filter({ hasText: 'synced just now' }).waitFor();
}

/** Before going offline: the service worker must control the page, or a reload finds nothing. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  const isControlled = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    return navigator.serviceWorker.controller !== null;
  });
  // The first visit installs the worker; the next load is the first one it controls.
  if (!isControlled) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** Truly offline: the page and its service worker both lose the network. */
export async function goOffline(context: BrowserContext): Promise<void> {
  await context.setOffline(true);
  await context.route('**/api/**', (route) => route.abort('internetdisconnected'));
}

export async function goOnline(context: BrowserContext): Promise<void> {
  await context.unroute('**/api/**');
  await context.setOffline(false);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
