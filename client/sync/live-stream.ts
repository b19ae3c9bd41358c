import { createParser } from 'eventsource-parser';
import { RESYNC, type StreamMessage } from '../../shared/sync/protocol.ts';

export interface LiveStreamOptions {
  url: string;
  fetch?: typeof fetch;
  onMessage(message: StreamMessage): void;
  onConnectionChange?(isConnected: boolean): void;
  /** No byte for this long (the server sends heartbeats) means the link is dead: reconnect. */
  idleTimeoutMs?: number;
  maxBackoffMs?: number;
}

/**
 * The server-sent-events stream over fetch (so it works in Node and browsers and can carry
 * credentials). Reconnects with capped, jittered backoff; every connection starts with RESYNC.
 */
export class LiveStream {
  readonly #options: LiveStreamOptions;
  #controller: AbortController | undefined;
  #isStopped = false;
  #attempt = 0;
  #isConnected = false;
  #wake: (() => void) | undefined;

  constructor(options: LiveStreamOptions) {
    this.#options = options;
  }

  get isConnected(): boolean {
    return this.#isConnected;
  }

  start(): void {
    this.#isStopped = false;
    void this.#loop();
  }

  stop(): void {
    this.#isStopped = true;
    this.#controller?.abort();
  }

  /** Drops the current connection (e.g. the device went offline); the loop reconnects. */
  reconnect(): void {
    this.#controller?.abort();
  }

  /**
   * The network is back: a reconnect waiting out its backoff (grown while every attempt failed
   * offline, up to 30 s) tries at once instead.
   */
  connectNow(): void {
    if (this.#isConnected) return;
    this.#attempt = 0;
    this.#wake?.();
  }

  async #loop(): Promise<void> {
    while (!this.#isStopped) {
      try {
        await this.#connectOnce();
        this.#attempt = 0;
      } catch {
        this.#attempt++;
      }
      this.#setConnected(false);
      if (this.#isStopped) break;
      const cap = Math.min(this.#options.maxBackoffMs ?? 30_000, 250 * 2 ** Math.min(this.#attempt, 10));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, cap / 2 + Math.random() * (cap / 2));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#wake = done;
      });
      this.#wake = undefined;
    }
  }

  async #connectOnce(): Promise<void> {
    const controller = new AbortController();
    this.#controller = controller;
    const doFetch = this.#options.fetch ?? fetch;
    const idleTimeoutMs = this.#options.idleTimeoutMs ?? 45_000;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const resetIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => controller.abort(), idleTimeoutMs);
    };
    try {
      resetIdle();
      const response = await doFetch(this.#options.url, {
        headers: { accept: 'text/event-stream' },
        signal: controller.signal,
        credentials: 'same-origin',
      });
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      this.#setConnected(true);
      // A stream that connected is a success even if it is cut later (the device went offline):
      // otherwise every cut would grow the backoff until reconnecting took the full 30 s.
      this.#attempt = 0;
      const parser = createParser({
        onEvent: (event) => {
          const message = JSON.parse(event.data) as StreamMessage;
          this.#options.onMessage(message === RESYNC ? RESYNC : message);
        },
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        resetIdle();
        parser.feed(value);
      }
    } finally {
      clearTimeout(idleTimer);
      controller.abort();
    }
  }

  #setConnected(isConnected: boolean): void {
    if (this.#isConnected === isConnected) return;
    this.#isConnected = isConnected;
    this.#options.onConnectionChange?.(isConnected);
  }
}
