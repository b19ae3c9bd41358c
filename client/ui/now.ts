import { createSignal, onCleanup, type Accessor } from 'solid-js';

/** The current time, refreshed every `intervalMs`: for "3 min ago" and running clocks. */
export function useNow(intervalMs = 30_000): Accessor<number> {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), intervalMs);
  onCleanup(() => clearInterval(timer));
  return now;
}
