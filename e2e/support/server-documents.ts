import type { BrowserContext } from 'playwright-core';

/**
 * Every live document of a collection as the server holds it for the context's signed-in user
 * (its cookies), read through the sync pull: what another device would receive.
 */
export async function documentsOnServer<T extends { id: string }>(context: BrowserContext, baseUrl: string, collection: string): Promise<T[]> {
  const documents: T[] = [];
  let checkpoint = '';
  for (;;) {
    const query = checkpoint ? `&checkpoint=${encodeURIComponent(checkpoint)}` : '';
    // A kept-alive connection the server closes as idle (Node's 5 s) can reset under a request
    // sent at that moment; browsers retry such a GET, Playwright only when asked.
    const response = await context.request.get(`${baseUrl}/api/sync/${collection}/pull?limit=1000${query}`, { maxRetries: 2 });
    if (!response.ok()) throw new Error(`pull of ${collection} answered ${response.status()}`);
    const page = (await response.json()) as { documents: (T & { _deleted?: boolean })[]; checkpoint: unknown; remaining: number };
    documents.push(...page.documents.filter((d) => !d._deleted));
    checkpoint = JSON.stringify(page.checkpoint);
    if (page.remaining === 0) return documents;
  }
}
