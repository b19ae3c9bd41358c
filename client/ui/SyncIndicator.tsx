import { A } from '@solidjs/router';
import { Show, createSignal, onCleanup } from 'solid-js';
import { useReplica } from '../app/replica-context.tsx';
import { ago } from './relative-time.ts';
import { useConflictCount } from '../data/conflicts.ts';

/** Always visible: online or not, last sync, what waits to be sent, conflicts to review. */
export function SyncIndicator() {
  const replica = useReplica();
  const { status } = replica;
  const conflicts = useConflictCount();
  const [tick, setTick] = createSignal(Date.now());
  const timer = setInterval(() => setTick(Date.now()), 30_000);
  onCleanup(() => clearInterval(timer));

  const state = () => (status.isOnline() ? 'online' : status.isLeader() ? 'offline' : 'other-tab');
  return (
    <div class="sync" role="status" aria-live="polite" data-state={state()}>
      <span class="dot" aria-hidden="true" />
      <span class="sync-line">
        <strong>{state() === 'online' ? 'Online' : state() === 'offline' ? 'Offline' : 'Synced by another tab'}</strong>
        <span class="muted"> · synced {ago(status.lastSyncedAt(), tick())}</span>
      </span>
      <span class="sync-counts">
        <span data-testid="pending-count" title="Changes on this device not yet on the server">
          {status.pendingCount()} pending
        </span>
        <Show when={conflicts() > 0}>
          <A href="/conflicts" class="badge warn" data-testid="conflict-count">
            {conflicts()} conflict{conflicts() === 1 ? '' : 's'}
          </A>
        </Show>
      </span>
      <Show when={status.lastError()}>{(message) => <span class="sync-error">{message()}</span>}</Show>
    </div>
  );
}
