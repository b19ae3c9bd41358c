import type { AgentRecord, IngestBatch } from '../../shared/agent/protocol.ts';
import type { IngestClient, IngestResult } from '../delivery/ingest-client.ts';

/** The server's side of ingest in memory: de-duplicates by id, can be switched off. */
export class FakeIngest implements IngestClient {
  isOnline = true;
  readonly stored = new Map<string, AgentRecord>();
  /** How many times each id arrived: more than once is fine for the server, worth watching in tests. */
  readonly arrivals = new Map<string, number>();
  attempts = 0;

  async send(body: string): Promise<IngestResult> {
    this.attempts += 1;
    if (!this.isOnline) {
      return { ok: false, failure: { kind: 'unreachable', message: 'cannot reach http://outpost.test: connection refused', mayHaveReachedServer: false }, skewMs: undefined };
    }
    const batch = JSON.parse(body) as IngestBatch;
    for (const record of batch.records) {
      this.arrivals.set(record.id, (this.arrivals.get(record.id) ?? 0) + 1);
      if (!this.stored.has(record.id)) this.stored.set(record.id, record);
    }
    return { ok: true, accepted: batch.records.map((r) => r.id), skewMs: 0 };
  }
}
