/**
 * Pull pages fetched off the main thread. In Chromium, receiving a response body costs the
 * thread that reads it far more than parsing it: 25 MB of pull pages kept the page's main thread
 * busy about 900 ms through `fetch().json()`, while `JSON.parse` of the same text takes about
 * 50 ms. A dedicated worker receives the bytes and hands them over without a copy, so the main
 * thread stays free to store the previous page (and to paint) while the next one arrives.
 */

import type { Checkpoint } from '../../shared/sync/checkpoint.ts';
import { parsePageEnd } from './pull-page.ts';
import { checkpointAfter, pullUrl, type NextPull } from './pull-url.ts';

/** What a caller needs from a response: its status and its body as text. */
export interface TextResponse {
  status: number;
  ok: boolean;
  text: string;
}

/**
 * A GET whose body is read in full; rejects like fetch (TypeError when the link fails, the
 * signal's reason when aborted). `next` names the pull that would follow this page, which a
 * worker fetches ahead.
 */
export type TextFetch = (url: string, signal: AbortSignal, next?: NextPull) => Promise<TextResponse>;

export type BackgroundRequest = { id: number; url: string; next?: NextPull } | { id: number; abort: true };
export type BackgroundReply = { id: number; status: number; body: ArrayBuffer } | { id: number; error: { name: string; message: string } };

/** The part of a MessagePort (or Worker, or a worker's global scope) both sides use. */
export interface MessageEnd<In, Out> {
  postMessage(message: Out, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<In>) => void): void;
}

/** The main thread's fetch, read as text. */
export function mainThreadTextFetch(doFetch: typeof fetch = fetch): TextFetch {
  return async (url, signal) => {
    const response = await doFetch(url, { credentials: 'same-origin', signal });
    return { status: response.status, ok: response.ok, text: await response.text() };
  };
}

type Answer = { status: number; body: ArrayBuffer } | { error: { name: string; message: string } };

interface Ahead {
  url: string;
  startedAt: number;
  controller: AbortController;
  answer: Promise<Answer>;
}

/** A page fetched ahead and not asked for this long is fetched again when it is (it may be stale). */
const AHEAD_MAX_AGE_MS = 10_000;
/** A page's checkpoint and count follow its documents: 1,000 organizations fit in this many last bytes. */
const PAGE_END_BYTES = 64 * 1024;

/** The checkpoint and count at the end of a pull page, read without decoding its documents. */
function pageEnd(body: ArrayBuffer, decoder: TextDecoder): { checkpoint: Checkpoint; remaining: number } | undefined {
  try {
    const end = parsePageEnd(decoder.decode(new Uint8Array(body, Math.max(0, body.byteLength - PAGE_END_BYTES))))?.end;
    if (typeof end?.remaining !== 'number' || typeof end.checkpoint !== 'object' || end.checkpoint === null) return undefined;
    return end;
  } catch {
    return undefined;
  }
}

/**
 * The worker's side: answers each request with the response's bytes, transferred, not copied.
 * After a pull page with more to come, it fetches the next page at once (one per collection),
 * instead of waiting for the main thread to get this one, store it and ask: that request is
 * then answered from the fetch under way.
 */
export function serveBackgroundFetch(end: MessageEnd<BackgroundRequest, BackgroundReply>, doFetch: typeof fetch = fetch): void {
  const inFlight = new Map<number, AbortController>();
  const ahead = new Map<string, Ahead>();
  const decoder = new TextDecoder();
  const fetchAnswer = async (url: string, signal: AbortSignal): Promise<Answer> => {
    try {
      const response = await doFetch(url, { credentials: 'same-origin', signal });
      return { status: response.status, body: await response.arrayBuffer() };
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      return { error: { name, message } };
    }
  };
  /** The fetch ahead for this request's collection, if it is this very request and recent; any other is dropped. */
  const takeAhead = (url: string, next: NextPull | undefined): Ahead | undefined => {
    if (!next) return undefined;
    const fetched = ahead.get(next.base);
    ahead.delete(next.base);
    if (fetched?.url === url && Date.now() - fetched.startedAt < AHEAD_MAX_AGE_MS) return fetched;
    fetched?.controller.abort();
    return undefined;
  };
  const fetchNextAhead = (next: NextPull, answer: Answer) => {
    if (!('body' in answer) || answer.status !== 200) return;
    const page = pageEnd(answer.body, decoder);
    if (!page || page.remaining <= 0) return;
    const url = pullUrl(next.base, checkpointAfter(next.checkpoint, page.checkpoint), next.limit);
    const controller = new AbortController();
    ahead.set(next.base, { url, startedAt: Date.now(), controller, answer: fetchAnswer(url, controller.signal) });
  };

  end.addEventListener('message', ({ data: request }) => {
    if ('abort' in request) {
      inFlight.get(request.id)?.abort();
      return;
    }
    const fetched = takeAhead(request.url, request.next);
    const controller = fetched?.controller ?? new AbortController();
    inFlight.set(request.id, controller);
    void (fetched?.answer ?? fetchAnswer(request.url, controller.signal)).then((answer) => {
      inFlight.delete(request.id);
      if (controller.signal.aborted) return;
      if (request.next) fetchNextAhead(request.next, answer);
      if ('error' in answer) end.postMessage({ id: request.id, error: answer.error });
      else end.postMessage({ id: request.id, status: answer.status, body: answer.body }, [answer.body]);
    });
  });
}

interface Pending {
  url: string;
  signal: AbortSignal;
  resolve(response: TextResponse): void;
  reject(error: unknown): void;
}

/**
 * The main thread's side. Requests are GETs, so when the worker cannot run (its script failed to
 * load: an old cached shell, a blocked worker), what it had pending is fetched again on the main
 * thread, and so is everything after.
 */
export class BackgroundFetcher {
  private readonly pending = new Map<number, Pending>();
  private readonly decoder = new TextDecoder();
  private lastId = 0;
  private isBroken = false;

  constructor(
    private readonly end: MessageEnd<BackgroundReply, BackgroundRequest>,
    private readonly fallback: TextFetch,
  ) {
    end.addEventListener('message', ({ data: reply }) => this.settle(reply));
  }

  readonly fetchText: TextFetch = (url, signal, next) => {
    if (this.isBroken) return this.fallback(url, signal);
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    const id = ++this.lastId;
    return new Promise<TextResponse>((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        this.end.postMessage({ id, abort: true });
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const done = () => signal.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        url,
        signal,
        resolve: (response) => (done(), resolve(response)),
        reject: (error) => (done(), reject(error)),
      });
      this.end.postMessage(next ? { id, url, next } : { id, url });
    });
  };

  /** The worker cannot serve: the main thread takes over what was pending and all that follows. */
  fail(): void {
    if (this.isBroken) return;
    for (const request of this.stopServing()) this.fallback(request.url, request.signal).then(request.resolve, request.reject);
  }

  /** The sync stopped: what is pending is abandoned, as an aborted fetch would be. */
  close(): void {
    for (const request of this.stopServing()) request.reject(new DOMException('The sync stopped.', 'AbortError'));
  }

  /** Sends nothing more to the worker; returns what it had pending, for the caller to settle. */
  private stopServing(): Pending[] {
    this.isBroken = true;
    const pending = [...this.pending.values()];
    this.pending.clear();
    return pending;
  }

  private settle(reply: BackgroundReply): void {
    const request = this.pending.get(reply.id);
    if (!request) return; // aborted meanwhile
    this.pending.delete(reply.id);
    if ('error' in reply) {
      // fetch's own kinds of failure, so callers tell a dead link (TypeError) from a bug.
      const error = reply.error.name === 'TypeError' ? new TypeError(reply.error.message) : Object.assign(new Error(reply.error.message), { name: reply.error.name });
      request.reject(error);
      return;
    }
    const status = reply.status;
    request.resolve({ status, ok: status >= 200 && status < 300, text: this.decoder.decode(reply.body) });
  }
}

/**
 * The pull-page fetch for this environment: through a dedicated worker where the platform has
 * them (browsers), else the main thread's fetch (Node). `stop` ends the worker.
 */
export function startBackgroundFetch(): { fetchText: TextFetch; stop(): void } {
  const fallback = mainThreadTextFetch();
  if (typeof Worker === 'undefined') return { fetchText: fallback, stop: () => undefined };
  let worker: Worker;
  try {
    worker = new Worker(new URL('./background-fetch.worker.ts', import.meta.url), { type: 'module', name: 'outpost-pull' });
  } catch {
    return { fetchText: fallback, stop: () => undefined };
  }
  const fetcher = new BackgroundFetcher(worker, fallback);
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    fetcher.fail();
  });
  worker.addEventListener('messageerror', () => fetcher.fail());
  return {
    fetchText: fetcher.fetchText,
    stop: () => {
      fetcher.close();
      worker.terminate();
    },
  };
}
