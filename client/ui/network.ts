import { createSignal, onCleanup, type Accessor } from 'solid-js';

/**
 * Whether the browser has a network at all, following its online and offline events: for what
 * only the server can do (the administration pages), unlike the replica's own sync state.
 */
export function useNetworkOnline(): Accessor<boolean> {
  const [isOnline, setOnline] = createSignal(navigator.onLine);
  const update = () => setOnline(navigator.onLine);
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  onCleanup(() => {
    window.removeEventListener('online', update);
    window.removeEventListener('offline', update);
  });
  return isOnline;
}
