import type { Store } from '../store/store.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Purges tombstones past retention once at start and then every `everyMs`. */
export function startTombstoneSweeper(store: Store, retentionDays: number, everyMs = 60 * 60 * 1000): () => void {
  const sweep = () => {
    store.purgeTombstones(new Date(Date.now() - retentionDays * DAY_MS)).catch((error: unknown) => {
      console.error('tombstone purge failed', error);
    });
  };
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
