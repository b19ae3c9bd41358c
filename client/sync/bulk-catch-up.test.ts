import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { describe, expect, it } from 'vitest';
import { createOutpostDatabase } from '../db/database.ts';
import { bulkCatchUp } from './bulk-catch-up.ts';

describe('bulk catch-up', () => {
  it('leaves no page request unhandled when stopped before its loop begins', async () => {
    const db = await createOutpostDatabase({ name: `bulk-stop-${Date.now()}`, storage: getRxStorageMemory(), collections: ['devices'] });
    const stop = new AbortController();
    stop.abort(); // e.g. the replica closed while the catch-up was still opening its metadata
    let requests = 0;
    try {
      const outcome = await bulkCatchUp({
        collection: db.devices,
        replicationIdentifier: 'bulk-stop-test',
        pageSize: 100,
        signal: stop.signal,
        pullPage: (_checkpoint, _limit, signal) => {
          requests++;
          return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
        },
      });
      // vitest fails the run on an unhandled rejection: a page nobody awaits must be handled here.
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(outcome).toBe('caught-up');
      expect(requests).toBeLessThanOrEqual(1);
    } finally {
      await db.close();
    }
  });
});
