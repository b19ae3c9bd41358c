import type { SSEMessage, SSEStreamingApi } from 'hono/streaming';

export interface EventQueue<T> {
  push(item: T): void;
  /** Ends the stream cleanly (the client reconnects if it still wants it). */
  close(): void;
}

export interface EventPumpOptions<T> {
  heartbeatSeconds: number;
  /** Ends the stream when the server shuts down. */
  shutdown?: AbortSignal | undefined;
  /** A subscriber this far behind is disconnected instead of buffering without bound. */
  maxQueued?: number;
  /** Subscribes to the source; returns the unsubscribe. Called before `first` is written. */
  subscribe(queue: EventQueue<T>): () => void;
  /** Written once the subscription is in place, so nothing published after it is missed. */
  first?: SSEMessage;
  toMessage(item: T): SSEMessage;
}

/**
 * One server-sent-events subscriber: items queue while a write is in flight and go out in
 * order, a keep-alive comment keeps proxies from dropping an idle link, and the stream ends on
 * close, client abort, shutdown or overflow. Routes open one through sessionEvents, which also
 * ends it with the user's session.
 */
export async function pumpEvents<T>(stream: SSEStreamingApi, options: EventPumpOptions<T>): Promise<void> {
  const maxQueued = options.maxQueued ?? Number.POSITIVE_INFINITY;
  const items: T[] = [];
  let isClosed = false;
  let wake: (() => void) | undefined;
  const queue: EventQueue<T> = {
    push(item) {
      items.push(item);
      wake?.();
    },
    close() {
      isClosed = true;
      wake?.();
    },
  };
  const unsubscribe = options.subscribe(queue);
  stream.onAbort(queue.close);
  options.shutdown?.addEventListener('abort', queue.close, { once: true });
  const heartbeat = setInterval(() => {
    stream.write(': keep-alive\n\n').catch(() => undefined);
  }, options.heartbeatSeconds * 1000);
  try {
    if (options.first) await stream.writeSSE(options.first);
    while (!isClosed && !stream.aborted && items.length <= maxQueued) {
      if (items.length > 0) {
        await stream.writeSSE(options.toMessage(items.shift() as T));
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    clearInterval(heartbeat);
    options.shutdown?.removeEventListener('abort', queue.close);
    unsubscribe();
  }
}
