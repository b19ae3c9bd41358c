import { defaultLogger, type Logger } from '../observability/logger.ts';
import type { Store } from '../store/store.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Purges tombstones past retention once at start and then every `everyMs` (an hour by default). */
export function startTombstoneSweeper(store: Store, retentionDays: number, options: { everyMs?: number; logger?: Logger } = {}): () => void {
  const { everyMs = 60 * 60 * 1000, logger = defaultLogger() } = options;
  const sweep = () => {
    store.purgeTombstones(new Date(Date.now() - retentionDays * DAY_MS)).catch((error: unknown) => {
      logger.error({ err: error }, 'tombstone purge failed');
    });
  };
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
