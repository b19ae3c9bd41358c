import { defaultLogger, type Logger } from '../observability/logger.ts';
import type { ChangeBatch, ChangeListener } from './store.ts';

/** Fan-out of committed changes; a failing listener must not break the writer or its peers. */
export class ChangeListeners {
  readonly #listeners = new Set<ChangeListener>();

  constructor(private readonly logger: Logger = defaultLogger()) {}

  add(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(batches: readonly ChangeBatch[]): void {
    for (const batch of batches) {
      for (const listener of this.#listeners) {
        try {
          listener(batch);
        } catch (error) {
          this.logger.error({ err: error, collection: batch.collection }, 'change listener failed');
        }
      }
    }
  }
}
