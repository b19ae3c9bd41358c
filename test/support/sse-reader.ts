import { createParser } from 'eventsource-parser';
import { RESYNC, type StreamChange } from '../../shared/sync/protocol.ts';

type Message = typeof RESYNC | StreamChange<{ id: string; orgId: string; siteId?: string }>;

/** A live stream read raw with fetch and a reader, as a browser would: events and comments. */
export class SseReader {
  readonly events: { data: unknown }[] = [];
  readonly comments: { text: string; at: number }[] = [];
  readonly #abort = new AbortController();
  #done: Promise<'ended' | 'broken'> = Promise.resolve('ended');
  #waiters = new Set<() => void>();

  /** Opens the stream and waits for its first event, which must be RESYNC. */
  static async open(url: string, fetchAs: typeof fetch): Promise<SseReader> {
    const reader = new SseReader();
    const response = await fetchAs(url, { headers: { accept: 'text/event-stream' }, signal: reader.#abort.signal });
    if (response.status !== 200 || !response.body) throw new Error(`stream refused: ${response.status} ${await response.text()}`);
    if (!/^text\/event-stream/.test(response.headers.get('content-type') ?? '')) throw new Error('not an event stream');
    reader.#read(response.body);
    await reader.until(() => reader.events.length > 0, 5_000, 'the first event');
    if (reader.events[0]?.data !== RESYNC) throw new Error(`the stream began with ${JSON.stringify(reader.events[0]?.data)}, not RESYNC`);
    return reader;
  }

  get messages(): Message[] {
    return this.events.map((e) => e.data as Message);
  }

  /** Every document received, with the collection and organization it came in. */
  received(): { collection: string; id: string; orgId: string; siteId: string | undefined }[] {
    return this.messages.flatMap((message) =>
      message === RESYNC ? [] : message.documents.map((d) => ({ collection: message.collection, id: d.id, orgId: d.orgId, siteId: d.siteId })),
    );
  }

  /** Resolves once `predicate` holds, or rejects after `timeoutMs`. */
  async until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await this.#done;
  }

  /** Resolves when the stream is over: 'ended' when the server finished it cleanly, 'broken' otherwise. */
  whenEnded(): Promise<'ended' | 'broken'> {
    return this.#done;
  }

  #notify(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  #read(body: ReadableStream<Uint8Array>): void {
    const parser = createParser({
      onEvent: (event) => {
        this.events.push({ data: JSON.parse(event.data) as unknown });
        this.#notify();
      },
      onComment: (comment) => {
        this.comments.push({ text: comment.trim(), at: Date.now() });
        this.#notify();
      },
    });
    const reader = body.getReader();
    const decoder = new TextDecoder();
    this.#done = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return 'ended';
          parser.feed(decoder.decode(value, { stream: true }));
        }
      } catch {
        // Aborted at close, or the connection failed.
        return 'broken';
      }
    })();
  }
}
