import { createParser } from 'eventsource-parser';
import { RESYNC, type StreamChange } from '../../../shared/sync/protocol.ts';

type Message = typeof RESYNC | StreamChange<{ id: string; orgId: string; siteId?: string }>;

/** A user's live stream, read raw with fetch and a reader, as a browser would. */
export class StreamReader {
  readonly messages: Message[] = [];
  readonly #abort = new AbortController();
  #done: Promise<void> = Promise.resolve();
  #waiters = new Set<() => void>();

  static async open(url: string, fetchAs: typeof fetch): Promise<StreamReader> {
    const reader = new StreamReader();
    const response = await fetchAs(url, { headers: { accept: 'text/event-stream' }, signal: reader.#abort.signal });
    if (response.status !== 200 || !response.body) throw new Error(`stream refused: ${response.status} ${await response.text()}`);
    reader.#read(response.body);
    await reader.until(() => reader.messages.length > 0, 5_000, 'the first event');
    if (reader.messages[0] !== RESYNC) throw new Error(`the stream began with ${JSON.stringify(reader.messages[0])}, not RESYNC`);
    return reader;
  }

  /** Ids of every document received, with the collection and organization it came in. */
  received(): { collection: string; id: string; orgId: string; siteId: string | undefined }[] {
    return this.messages.flatMap((message) =>
      message === RESYNC
        ? []
        : message.documents.map((d) => ({ collection: message.collection, id: d.id, orgId: d.orgId, siteId: d.siteId })),
    );
  }

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

  #read(body: ReadableStream<Uint8Array>): void {
    const parser = createParser({
      onEvent: (event) => {
        this.messages.push(JSON.parse(event.data) as Message);
        const waiters = [...this.#waiters];
        this.#waiters.clear();
        for (const wake of waiters) wake();
      },
    });
    const reader = body.getReader();
    const decoder = new TextDecoder();
    this.#done = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          parser.feed(decoder.decode(value, { stream: true }));
        }
      } catch {
        // Aborted at close.
      }
    })();
  }
}
