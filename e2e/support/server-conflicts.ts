import type { BrowserContext, Page } from 'playwright-core';
import { COLLECTION_NAMES } from '../../shared/schema/collections.ts';
import type { ConflictRecord } from '../../shared/schema/common.ts';
import { documentsOnServer } from './server-documents.ts';

/** Every conflict record on the server that the context's user can see, by "collection id". */
export async function conflictsOnServer(context: BrowserContext, baseUrl: string): Promise<Map<string, ConflictRecord[]>> {
  const conflicts = new Map<string, ConflictRecord[]>();
  for (const collection of COLLECTION_NAMES) {
    const documents = await documentsOnServer<{ id: string; conflicts?: ConflictRecord[] }>(context, baseUrl, collection);
    for (const document of documents) if (document.conflicts?.length) conflicts.set(`${collection} ${document.id}`, document.conflicts);
  }
  return conflicts;
}

/** How many conflict records there are in all. */
export const recordCount = (conflicts: Map<string, ConflictRecord[]>): number => [...conflicts.values()].reduce((sum, records) => sum + records.length, 0);

/** The conflicts the header's badge counts on this page: 0 when it shows none. */
export async function conflictBadgeCount(page: Page): Promise<number> {
  const badge = page.getByTestId('conflict-count');
  if ((await badge.count()) === 0) return 0;
  const count = /^(\d+) conflicts?$/.exec(((await badge.textContent()) ?? '').trim());
  if (!count) throw new Error(`the conflict badge says "${await badge.textContent()}"`);
  return Number(count[1]);
}
