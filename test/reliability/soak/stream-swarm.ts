import { createParser } from 'eventsource-parser';

interface StreamState {
  events: number;
  /** Why the stream ended early, if it did. */
  failure: string | undefined;
}

/**
 * Many live streams held open at once, as many browsers would: each counts its events, and any
 * stream that is refused, errors or ends before `close()` is a failure.
 */
export class StreamSwarm {
  readonly #streams: StreamState[] = [];
  readonly #abort = new AbortController();
  #reading: Promise<void>[] = [];

  /** Opens `count` streams, `concurrency` handshakes at a time; resolves once all answered. */
  async open(url: string, cookie: string, count: number, concurrency = 50): Promise<void> {
    const opened: Promise<void>[] = [];
    for (let i = 0; i < count; i += concurrency) {
      const wave = Array.from({ length: Math.min(concurrency, count - i) }, () => this.#openOne(url, cookie));
      opened.push(...wave);
      await Promise.all(wave);
    }
    await Promise.all(opened);
  }

  get count(): number {
    return this.#streams.length;
  }

  get events(): number {
    return this.#streams.reduce((n, s) => n + s.events, 0);
  }

  /** The fewest events any stream received (heartbeats are comments and do not count). */
  get fewestEvents(): number {
    return Math.min(...this.#streams.map((s) => s.events));
  }

  failures(): string[] {
    return this.#streams.flatMap((s) => (s.failure ? [s.failure] : []));
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await Promise.all(this.#reading);
  }

  async #openOne(url: string, cookie: string): Promise<void> {
    const state: StreamState = { events: 0, failure: undefined };
    this.#streams.push(state);
    let response: Response;
    try {
      response = await fetch(`${url}/api/sync/stream`, { headers: { cookie, accept: 'text/event-stream' }, signal: this.#abort.signal });
    } catch (error) {
      state.failure = `stream refused: ${String(error)}`;
      return;
    }
    if (response.status !== 200 || !response.body) {
      state.failure = `stream answered ${response.status}`;
      return;
    }
    const parser = createParser({ onEvent: () => void state.events++ });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    this.#reading.push(
      (async () => {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) {
              if (!this.#abort.signal.aborted) state.failure = 'stream ended by the server';
              return;
            }
            parser.feed(value);
          }
        } catch (error) {
          if (!this.#abort.signal.aborted) state.failure = `stream failed: ${String(error)}`;
        }
      })(),
    );
  }
}
