/**
 * Pull pages fetched off the main thread. In Chromium, receiving a response body costs the
 * thread that reads it far more than parsing it: 25 MB of pull pages kept the page's main thread
 * busy about 900 ms through `fetch().json()`, while `JSON.parse` of the same text takes about
 * 50 ms. A dedicated worker receives the bytes and hands them over without a copy, so the main
 * thread stays free to store the previous page (and to paint) while the next one arrives.
 */

/** What a caller needs from a response: its status and its body as text. */
export interface TextResponse {
  status: number;
  ok: boolean;
  text: string;
}

/** A GET whose body is read in full; rejects like fetch (TypeError when the link fails, the signal's reason when aborted). */
export type TextFetch = (url: string, signal: AbortSignal) => Promise<TextResponse>;

export type BackgroundRequest = { id: number; url: string } | { id: number; abort: true };
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

/** The worker's side: answers each request with the response's bytes, transferred, not copied. */
export function serveBackgroundFetch(end: MessageEnd<BackgroundRequest, BackgroundReply>, doFetch: typeof fetch = fetch): void {
  const inFlight = new Map<number, AbortController>();
  end.addEventListener('message', ({ data: request }) => {
    if ('abort' in request) {
      inFlight.get(request.id)?.abort();
      return;
    }
    const controller = new AbortController();
    inFlight.set(request.id, controller);
    void (async () => {
      try {
        const response = await doFetch(request.url, { credentials: 'same-origin', signal: controller.signal });
        const body = await response.arrayBuffer();
        end.postMessage({ id: request.id, status: response.status, body }, [body]);
      } catch (error) {
        const { name, message } = error instanceof Error ? error : new Error(String(error));
        end.postMessage({ id: request.id, error: { name, message } });
      } finally {
        inFlight.delete(request.id);
      }
    })();
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

  readonly fetchText: TextFetch = (url, signal) => {
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
      this.end.postMessage({ id, url });
    });
  };

  /** The worker cannot serve: the main thread takes over what was pending and all that follows. */
  fail(): void {
    if (this.isBroken) return;
    this.isBroken = true;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const request of pending) this.fallback(request.url, request.signal).then(request.resolve, request.reject);
  }

  /** The sync stopped: what is pending is abandoned, as an aborted fetch would be. */
  close(): void {
    this.isBroken = true;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const request of pending) request.reject(new DOMException('The sync stopped.', 'AbortError'));
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
