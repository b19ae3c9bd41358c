import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { seriousAccessibilityViolations } from './support/accessibility.ts';
import { DESKTOP, PHONE, screenshot, waitForSync, signedInPage } from './support/browser.ts';
import { appSuite } from './support/suite.ts';

const suite = appSuite();

const TITLE = 'Flood risk in the Harbour Street server closet';

async function signedInManager(viewport: { width: number; height: number } = DESKTOP): Promise<Page> {
  const { context, page } = await signedInPage(suite.browser, suite.server.url, 'manager@northwind.example', viewport);
  return page;
}

const counts = async (page: Page) => /(\d+) of (\d+) risks/.exec((await page.getByTestId('risk-count').textContent()) ?? '');
/** Risks on the device, and how many the filters leave. */
const riskCount = async (page: Page) => Number((await counts(page))?.[2]);
const shownCount = async (page: Page) => Number((await counts(page))?.[1]);

describe('risk register', () => {
  test('creates a risk with a mitigation, edits it, and finds it again through the heat map', async () => {
    const page = await signedInManager();
    await page.goto(`${suite.server.url}/risks`);
    await page.getByRole('table', { name: /sortable/ }).waitFor();
    const before = await riskCount(page);
    await page.getByRole('link', { name: 'New risk' }).click();

    // The shared schema speaks first: an empty title is refused at the field.
    await page.getByRole('button', { name: 'Create risk' }).click();
    await expect.poll(() => page.getByLabel('Title').getAttribute('aria-invalid')).toBe('true');
    await page.getByText('must not be empty').first().waitFor();

    await page.getByLabel('Title').fill(TITLE);
    await page.getByLabel('Description').fill('The closet sits below street level; last winter water reached the door sill.');
    await page.getByLabel('Category').selectOption('physical');
    await page.getByLabel('Likelihood', { exact: true }).selectOption('4');
    await page.getByLabel('Impact', { exact: true }).selectOption('5');
    expect(await page.getByTestId('score').textContent()).toContain('20');
    await page.getByRole('button', { name: '+ Add action' }).click();
    await page.getByLabel('Action 1', { exact: true }).fill('Raise the rack 40 cm on a plinth');
    await page.locator('#risk-owner').selectOption({ index: 1 });
    await page.locator('.mitigation select').selectOption({ index: 1 });
    await page.getByLabel('Due').fill('2026-09-30');
    await page.getByRole('button', { name: 'Create risk' }).click();
    await page.getByText('Risk created on this device').waitFor();
    expect(page.url()).toMatch(/\/risks\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(TITLE);
    expect(await page.getByLabel('Action 1', { exact: true }).inputValue()).toBe('Raise the rack 40 cm on a plinth');

    // Edit: treatment under way, the action done, residual assessed, a decision recorded.
    await page.getByLabel('Status').selectOption('mitigating');
    await page.getByLabel('Done').check();
    await page.getByLabel('Residual likelihood').selectOption('2');
    await page.getByLabel('Residual impact').selectOption('5');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved on this device').waitFor();
    await page.getByLabel('Decision', { exact: true }).fill('Fund the plinth from the store refit budget');
    await page.getByLabel('Rationale').fill('Cheaper than one flooded switch stack.');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.locator('.decision-list').getByText('Fund the plinth from the store refit budget').waitFor();
    await page.reload();
    await expect.poll(() => page.getByLabel('Status').inputValue()).toBe('mitigating');
    expect(await page.getByLabel('Done').isChecked()).toBe(true);
    expect(await page.getByTestId('residual-score').textContent()).toContain('10');
    await waitForSync(page);

    // A full load reopens the local database; the count appears once it has answered.
    await page.goto(`${suite.server.url}/risks`);
    await page.getByTestId('risk-count').waitFor();
    await expect.poll(() => riskCount(page)).toBe(before + 1);
    await page.getByRole('link', { name: /with likelihood 4 and impact 5/ }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('?likelihood=4&impact=5');
    const rows = page.locator('.risk-table tbody tr');
    await rows.filter({ hasText: TITLE }).waitFor();
    for (const score of await page.locator('.risk-table tbody .score-chip').allTextContents()) expect(score).toBe('20');
    await page.getByRole('button', { name: 'Show every cell of the heat map' }).click();
    await expect.poll(() => rows.count()).toBe(before + 1);

    // Sortable headers say how they sort.
    const titleHeader = page.getByRole('columnheader', { name: /Risk/ });
    await titleHeader.getByRole('button').click();
    expect(await titleHeader.getAttribute('aria-sort')).toBe('ascending');
    const titles = await page.locator('.risk-title').allTextContents();
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b)));
    await titleHeader.getByRole('button').click();
    expect(await titleHeader.getAttribute('aria-sort')).toBe('descending');
    await page.getByRole('columnheader', { name: /Score/ }).getByRole('button').click();

    await page.getByLabel('Status', { exact: true }).selectOption('open');
    await expect.poll(async () => (await page.locator('.risk-table .badge').allTextContents()).every((s) => s === 'Open' || s === 'overdue')).toBe(true);
    await page.getByRole('button', { name: 'Clear filters' }).click();

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'risks-register-desktop');
    await page.getByRole('link', { name: TITLE }).click();
    await page.getByLabel('Title').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'risks-edit-desktop');
    await page.context().close();
  });

  test('exports CSV, then imports it back with one bad row reported and nothing written for it', async () => {
    const page = await signedInManager(PHONE);
    await page.goto(`${suite.server.url}/risks`);
    await page.getByRole('table', { name: /sortable/ }).waitFor();
    const before = await riskCount(page);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'risks-register-phone');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const exported = readFileSync((await download.path())!, 'utf8');
    const parsed = Papa.parse<Record<string, string>>(exported, { header: true, skipEmptyLines: true });
    expect(parsed.data).toHaveLength(before);
    const first = parsed.data[0]!;
    expect(Number(first['score'])).toBe(Number(first['likelihood']) * Number(first['impact']));

    // One risk renamed, one new row, one row with an impossible likelihood.
    const renamed = { ...first, title: `${first['title']} (reviewed)` };
    const added = { ...first, id: '', title: 'Shared admin password on the back-office PC', likelihood: '3', impact: '4', score: '', mitigations: '' };
    const bad = { ...first, id: '', title: 'This row must not be imported', likelihood: '9', score: '' };
    const edited = Papa.unparse([renamed, ...parsed.data.slice(1), added, bad], { columns: parsed.meta.fields! });
    const file = join(tmpdir(), `risks-import-${process.pid}.csv`);
    writeFileSync(file, edited);

    await page.getByRole('button', { name: 'Import CSV' }).click();
    await page.getByLabel('CSV file').setInputFiles(file);
    const summary = page.getByTestId('import-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain(`1 new risk, 1 to update, ${before - 1} unchanged, 1 row refused`);
    const problems = await page.getByTestId('import-problems').textContent();
    expect(problems).toContain(`Row ${before + 3}:`);
    expect(problems).toContain('likelihood');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'risks-import-phone');
    await page.getByRole('button', { name: 'Import 2 risks' }).click();
    await page.getByText('2 risks saved on this device').waitFor();

    await expect.poll(() => riskCount(page)).toBe(before + 1);
    await page.getByLabel('Search').fill('must not be imported');
    await expect.poll(() => shownCount(page)).toBe(0);
    await page.getByLabel('Search').fill('(reviewed)');
    await expect.poll(() => page.locator('.risk-title').allTextContents()).toEqual([renamed['title']]);
    await waitForSync(page);
    await page.context().close();
  });

  test('the edit form at phone size', async () => {
    const page = await signedInManager(PHONE);
    await page.goto(`${suite.server.url}/risks`);
    await page.locator('.risk-title').first().click();
    await page.getByLabel('Title').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'risks-edit-phone');
    await page.getByRole('heading', { name: 'Mitigation actions' }).evaluate((heading) => heading.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'risks-edit-mitigations-phone');
    await page.context().close();
  });
});
