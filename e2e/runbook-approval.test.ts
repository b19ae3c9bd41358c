import { expect, test } from 'vitest';
import type { Runbook } from '../shared/schema/runbook.ts';
import type { RunbookVersion } from '../shared/schema/runbook-version.ts';
import { seriousAccessibilityViolations } from './support/accessibility.ts';
import { DESKTOP, screenshot, waitForSync, signedInPage } from './support/browser.ts';
import { documentsOnServer } from './support/server-documents.ts';
import { appSuite } from './support/suite.ts';

// Its own server: after the offline-run test in runbooks.test.ts, this approval's push was
// seen to stay pending on the same server (not understood yet; see the session note).
const suite = appSuite();
const signedIn = (email: string) => signedInPage(suite.browser, suite.server.url, email, DESKTOP);

test('a manager approves a draft runbook, freezing its version', async () => {
  const { context, page } = await signedIn('manager@northwind.example');
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
