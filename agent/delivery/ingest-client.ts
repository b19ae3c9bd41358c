import * as v from 'valibot';
import { formatDeviceCredential } from '../../shared/agent/protocol.ts';
import type { Clock } from '../clock.ts';
import { NetworkFailure, apiError, describeUnexpectedAnswer, postJson, type JsonAnswer } from '../http/post-json.ts';

/**
 * What the agent does about a failed delivery depends on its kind:
 * - unreachable: no answer (network, DNS, TLS, timeout): send again later;
 * - server_error: a 5xx (server_busy, device_state_busy, server_draining…) or a garbled
 *   success; the batch may or may not have been applied: send again later;
 * - credential_refused: 401/403/410 (agent_unauthenticated, agent_revoked, device_removed):
 *   keep every record and wait, retrying will not help until someone re-enrolls;
 * - too_large: 413 body_too_large: send fewer records at a time;
 * - batch_refused: 400 invalid_input/invalid_json, 415, 422 device_write_refused: the server
 *   will never accept this batch as it is: narrow it down to the records it refuses and set
 *   those aside, so the rest of the outbox drains;
 * - rejected: any other answer (429, 408, a redirect, a 404 from something that is not
 *   Outpost, a body cut off on the way): nothing was applied: send again later.
 */
export type IngestFailureKind = 'unreachable' | 'server_error' | 'credential_refused' | 'too_large' | 'batch_refused' | 'rejected';

export interface IngestFailure {
  kind: IngestFailureKind;
  message: string;
  /** False only when the batch provably was not applied, so its records may be rewritten. */
  mayHaveReachedServer: boolean;
}

export type IngestResult = ({ ok: true; accepted: string[] } | { ok: false; failure: IngestFailure }) & {
  /** Local minus server time, when the answer carried a Date header. */
  skewMs: number | undefined;
};

export interface IngestClient {
  send(body: string): Promise<IngestResult>;
}

const IngestAnswer = v.object({ accepted: v.array(v.string()) });

export interface HttpIngestOptions {
  server: string;
  deviceId: string;
  deviceSecret: string;
  clock: Clock;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export function httpIngestClient(options: HttpIngestOptions): IngestClient {
  const url = new URL('api/agent/ingest', withTrailingSlash(options.server));
  const authorization = `Bearer ${formatDeviceCredential(options.deviceId, options.deviceSecret)}`;
  return {
    async send(body) {
      const sentAtMs = options.clock.now();
      let answer: JsonAnswer;
      try {
        answer = await postJson(url, body, {
          headers: { authorization },
          ...(options.fetch ? { fetch: options.fetch } : {}),
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        });
      } catch (error) {
        if (!(error instanceof NetworkFailure)) throw error;
        return { ok: false, failure: { kind: 'unreachable', message: error.message, mayHaveReachedServer: error.mayHaveReachedServer }, skewMs: undefined };
      }
      const skewMs = measureSkewMs(answer.date, sentAtMs, options.clock.now());
      return { ...interpret(url, answer), skewMs };
    },
  };
}

function interpret(url: URL, answer: JsonAnswer): { ok: true; accepted: string[] } | { ok: false; failure: IngestFailure } {
  const { status } = answer;
  if (status >= 200 && status < 300) {
    const parsed = v.safeParse(IngestAnswer, answer.body);
    if (parsed.success) return { ok: true, accepted: parsed.output.accepted };
    return { ok: false, failure: { kind: 'server_error', message: `${url.origin} answered without the list of accepted records`, mayHaveReachedServer: true } };
  }
  if (status === 401 || status === 403 || status === 410) {
    const message = apiError(answer.body)?.message ?? `${url.origin} refused this device's credential (HTTP ${status}): enroll this agent again`;
    return { ok: false, failure: { kind: 'credential_refused', message, mayHaveReachedServer: false } };
  }
  const message = describeUnexpectedAnswer(url, answer);
  if (status >= 500) return { ok: false, failure: { kind: 'server_error', message, mayHaveReachedServer: true } };
  const code = apiError(answer.body)?.code;
  if (status === 413 && code !== undefined) return { ok: false, failure: { kind: 'too_large', message, mayHaveReachedServer: false } };
  if (code !== undefined && BATCH_REFUSALS.has(code)) return { ok: false, failure: { kind: 'batch_refused', message, mayHaveReachedServer: false } };
  return { ok: false, failure: { kind: 'rejected', message, mayHaveReachedServer: false } };
}

/**
 * Outpost's answers that say the batch itself can never be accepted (only an Outpost error body
 * counts: a proxy's bare 400 is no verdict on the records). Not invalid_body: that body was cut
 * off on the way, and the same batch sent again may well arrive whole.
 */
const BATCH_REFUSALS = new Set(['invalid_input', 'invalid_json', 'unsupported_media_type', 'device_write_refused']);

/**
 * The Date header has whole seconds and the request took time: compare the middle of the
 * request with the middle of the server's second. Good to a second or two, plenty for
 * thresholds of minutes.
 */
export function measureSkewMs(dateHeader: string | undefined, sentAtMs: number, receivedAtMs: number): number | undefined {
  if (!dateHeader) return undefined;
  const serverMs = Date.parse(dateHeader);
  if (!Number.isFinite(serverMs)) return undefined;
  return Math.round((sentAtMs + receivedAtMs) / 2 - (serverMs + 500));
}

export function withTrailingSlash(server: string): string {
  return server.endsWith('/') ? server : `${server}/`;
}
