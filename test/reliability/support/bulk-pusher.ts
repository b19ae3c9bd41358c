import { makeDevice } from '../../support/documents.ts';

export type BatchOutcome = 'acknowledged' | 'unknown';

export interface PushedBatch {
  documents: { id: string; notes: string }[];
  /** acknowledged: answered 200 with every row applied; unknown: no answer (the server died). */
  outcome: BatchOutcome;
}

/**
 * Writers that push batches of new devices as fast as the server takes them, until the server
 * stops answering, and keep the record of what each batch became.
 */
export class BulkPusher {
  readonly batches: PushedBatch[] = [];
  #serial = 0;

  constructor(
    private readonly target: { url: string; fetch: typeof fetch; orgId: string; siteId: string },
    private readonly batchSize: number,
  ) {}

  acknowledged(): PushedBatch[] {
    return this.batches.filter((b) => b.outcome === 'acknowledged');
  }

  /** `writers` loops pushing batches; each ends at its first unanswered request. */
  run(writers: number): Promise<void> {
    return Promise.all(Array.from({ length: writers }, () => this.#loop())).then(() => undefined);
  }

  async #loop(): Promise<void> {
    for (;;) {
      const documents = Array.from({ length: this.batchSize }, () => {
        const notes = `bulk-${++this.#serial}`;
        return { ...makeDevice(this.target.orgId, this.target.siteId, { notes }), notes, _deleted: false };
      });
      const batch: PushedBatch = { documents: documents.map((d) => ({ id: d.id, notes: d.notes })), outcome: 'unknown' };
      this.batches.push(batch);
      try {
        const response = await this.target.fetch(`${this.target.url}/api/sync/devices/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(documents.map((newDocumentState) => ({ newDocumentState }))),
        });
        const answer = (await response.json()) as { conflicts?: unknown[]; rejected?: unknown[] };
        if (response.status !== 200 || answer.conflicts?.length || answer.rejected?.length) {
          throw new Error(`push answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
        }
        batch.outcome = 'acknowledged';
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('push answered')) throw error;
        return; // no answer: the server is gone
      }
    }
  }
}
