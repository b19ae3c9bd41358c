import { setMaxListeners } from 'node:events';
import type { Server, ServerResponse } from 'node:http';

/**
 * The HTTP side of a graceful shutdown. Once draining starts, /healthz answers 503 (a load
 * balancer stops routing here), live streams end (their clients reconnect, through the balancer,
 * possibly to another instance) and every response closes its connection, so keep-alive clients
 * also come back through the balancer instead of waiting on a socket that is about to go.
 */
export class Drain {
  readonly #controller = new AbortController();
  readonly #inFlight = new Set<ServerResponse>();
  readonly #idleWaiters = new Set<() => void>();

  constructor() {
    // Every open live stream listens here (and removes itself when it ends): thousands are normal,
    // not the leak Node warns about past ten.
    setMaxListeners(0, this.#controller.signal);
  }

  get isDraining(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Aborted when draining starts: long-lived responses end on it. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Counts the server's requests until their responses close. */
  watch(server: Server): void {
    server.on('request', (_request, response: ServerResponse) => {
      this.#inFlight.add(response);
      if (this.isDraining) closeConnectionAfter(response);
      response.once('close', () => {
        this.#inFlight.delete(response);
        if (this.#inFlight.size === 0) for (const wake of this.#idleWaiters) wake();
      });
    });
  }

  start(): void {
    if (this.isDraining) return;
    this.#controller.abort();
    for (const response of this.#inFlight) closeConnectionAfter(response);
  }

  /** Resolves true once no request is in flight, or false when `timeoutMs` runs out first. */
  async settled(timeoutMs: number): Promise<boolean> {
    if (this.#inFlight.size === 0) return true;
    return new Promise<boolean>((resolve) => {
      const done = (isSettled: boolean) => {
        clearTimeout(timer);
        this.#idleWaiters.delete(wake);
        resolve(isSettled);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.#idleWaiters.add(wake);
    });
  }
}

/** Headers not yet sent can still ask Node to close the socket after this response. */
function closeConnectionAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('connection', 'close');
}
