/**
 * A fetch whose link can be cut, as a field device's is. While offline every request fails the
 * way a dropped network does (TypeError), and open streams are aborted.
 */
export class SwitchableNetwork {
  #isOnline = true;
  #controllers = new Set<AbortController>();
  requests = 0;

  /**
   * `cookie`: sent with every request, as the browser's cookie jar would. `base`: the fetch
   * underneath (a test may observe or fault requests there).
   */
  constructor(
    private readonly cookie?: string,
    private readonly base: typeof fetch = fetch,
  ) {}

  get isOnline(): boolean {
    return this.#isOnline;
  }

  goOffline(): void {
    this.#isOnline = false;
    for (const controller of this.#controllers) controller.abort();
    this.#controllers.clear();
  }

  goOnline(): void {
    this.#isOnline = true;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    if (!this.#isOnline) throw new TypeError('fetch failed: network is offline');
    this.requests++;
    const controller = new AbortController();
    this.#controllers.add(controller);
    const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
    const headers = new Headers(init?.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    try {
      return await this.base(input, { ...init, headers, signal });
    } finally {
      // Streams stay registered until they end, so going offline can cut them.
      if (!(init?.headers && JSON.stringify(init.headers).includes('text/event-stream'))) this.#controllers.delete(controller);
    }
  };
}
