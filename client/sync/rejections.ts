import type { CollectionName } from '../../shared/schema/collections.ts';

export interface Rejection {
  collection: CollectionName;
  id: string;
  reason: string;
  field?: string;
  /** What the user tried to write: kept so nothing typed is lost, even when refused. */
  rejectedState: unknown;
  at: string;
}

type Listener = (rejections: readonly Rejection[]) => void;

/**
 * Writes the server refused (authorization). The conflict handler asks here first: a refused
 * row goes back to the server's state instead of being merged and pushed again forever.
 */
export class RejectionLog {
  readonly #pending = new Map<string, Rejection>();
  #all: Rejection[] = [];
  readonly #listeners = new Set<Listener>();

  get all(): readonly Rejection[] {
    return this.#all;
  }

  record(rejection: Rejection): void {
    this.#pending.set(`${rejection.collection}:${rejection.id}`, rejection);
    this.#all = [...this.#all, rejection];
    for (const listener of this.#listeners) listener(this.#all);
  }

  /** Consumed once by the conflict handler that settles the refused row. */
  takePending(collection: CollectionName, id: string): Rejection | undefined {
    const key = `${collection}:${id}`;
    const rejection = this.#pending.get(key);
    this.#pending.delete(key);
    return rejection;
  }

  dismiss(rejection: Rejection): void {
    this.#all = this.#all.filter((r) => r !== rejection);
    for (const listener of this.#listeners) listener(this.#all);
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
