import { describeNetworkFailure } from './network-error.ts';

export interface JsonAnswer {
  status: number;
  /** The parsed JSON body, or undefined when the answer was not JSON. */
  body: unknown;
  /** The server's Date header, for measuring clock skew. */
  date: string | undefined;
  /** Where a 3xx points: never followed, since a bearer secret must not travel to another URL. */
  location: string | undefined;
}

/** No answer at all: the message names the server and the reason, ready to print. */
export class NetworkFailure extends Error {
  constructor(
    message: string,
    readonly mayHaveReachedServer: boolean,
  ) {
    super(message);
    this.name = 'NetworkFailure';
  }
}

export interface PostOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** POST a JSON body; any HTTP answer resolves, only the absence of one throws NetworkFailure. */
export async function postJson(url: URL, body: string, options: PostOptions = {}): Promise<JsonAnswer> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  let text: string;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    text = await response.text();
  } catch (error) {
    const cause = describeNetworkFailure(error);
    throw new NetworkFailure(`cannot reach ${url.origin}: ${cause.reason}`, cause.mayHaveReachedServer);
  }
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return {
    status: response.status,
    body: parsed,
    date: response.headers.get('date') ?? undefined,
    location: response.headers.get('location') ?? undefined,
  };
}

/** One line for an answer that is neither what was asked for nor an Outpost refusal. */
export function describeUnexpectedAnswer(url: URL, answer: JsonAnswer): string {
  if (answer.status >= 300 && answer.status < 400) {
    return `${url.origin} redirects to ${answer.location ?? 'another address'}: use that address with --server`;
  }
  const refusal = apiError(answer.body);
  if (answer.status >= 500) return `${url.origin} failed (HTTP ${answer.status}): ${refusal?.message ?? 'try again later'}`;
  if (refusal) return `${url.origin} refused the request (HTTP ${answer.status}): ${refusal.message}`;
  if (answer.status === 404) return `${url.origin} has no ${url.pathname}: is it an Outpost server? check --server`;
  return `${url.origin} answered HTTP ${answer.status} without an Outpost error: is it an Outpost server?`;
}

/** The `{error: {code, message}}` body every Outpost route answers with when it refuses. */
export function apiError(body: unknown): { code: string; message: string } | undefined {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') return undefined;
  return { code: error.code, message: error.message.slice(0, 300) };
}
