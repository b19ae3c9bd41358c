import { Show } from 'solid-js';
import { useReplica } from '../app/replica-context.tsx';

/** The first download of a site's data: counts, a bar, and a way to stop and continue later. */
export function FirstSyncProgress() {
  const replica = useReplica();
  const progress = () => replica.status.firstSync();
  const total = () => {
    const p = progress();
    return p ? p.pulled + p.remaining : 0;
  };
  return (
    <Show when={progress()}>
      {(p) => (
        <section class="first-sync card" aria-labelledby="first-sync-title">
          <h2 id="first-sync-title">{p().isPaused ? 'First sync paused' : 'Downloading your data'}</h2>
          <progress max={Math.max(total(), 1)} value={p().pulled} aria-label="First sync progress" />
          <p class="muted">
            {p().pulled.toLocaleString()} of {total() ? total().toLocaleString() : '…'} records. What has arrived is kept; a stopped sync
            continues where it left off.
          </p>
          <Show
            when={p().isPaused}
            fallback={
              <button type="button" onClick={() => void replica.pauseFirstSync()}>
                Pause
              </button>
            }
          >
            <button type="button" class="primary" onClick={() => replica.resumeFirstSync()}>
              Resume
            </button>
          </Show>
        </section>
      )}
    </Show>
  );
}
