import type { PushResponse, PushRow } from '../../../shared/sync/protocol.ts';

export interface PushOutcome {
  collection: string;
  /** Rows the server applied (or already held): neither a conflict nor refused. */
  accepted: Record<string, unknown>[];
  conflicts: number;
  /** Refused rows, with the server's reason. */
  rejected: { collection: string; id: string; reason: string }[];
}

/**
 * A fetch that tells what the server acknowledged: for every push answered 200, the rows it
 * accepted. An answer that never arrives (cut, reset, timed out) acknowledges nothing, exactly
 * as the client experiences it.
 */
export function observePushes(onOutcome: (outcome: PushOutcome) => void, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const match = /\/api\/sync\/([a-z]+)\/push$/.exec(new URL(url).pathname);
    if (!match?.[1] || response.status !== 200 || typeof init?.body !== 'string') return response;
    const rows = JSON.parse(init.body) as PushRow<Record<string, unknown>>[];
    // Read a copy: the replication reads the original. A body cut halfway throws here, as there.
    const answer = (await response.clone().json()) as PushResponse<{ id: string }>;
    const notApplied = new Set([...answer.conflicts.map((d) => d.id), ...answer.rejected.map((r) => r.id)]);
    onOutcome({
      collection: match[1],
      accepted: rows.map((row) => row.newDocumentState).filter((document) => !notApplied.has(String(document['id']))),
      conflicts: answer.conflicts.length,
      rejected: answer.rejected.map((r) => ({ collection: match[1] ?? '', id: r.id, reason: r.reason })),
    });
    return response;
  };
}
