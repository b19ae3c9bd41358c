import { createEffect, createSignal, onCleanup, type Accessor } from 'solid-js';
import type { Observable } from 'rxjs';

/**
 * A Solid signal that follows an RxJS observable (an RxDB query's `$`). The source function is
 * tracked, so a query that depends on other signals (a filter, a route parameter) is rebuilt
 * when they change, and the previous subscription is closed.
 */
export function createRxSignal<T>(source: () => Observable<T>, initial: T): Accessor<T> {
  const [value, setValue] = createSignal<T>(initial, { equals: false });
  createEffect(() => {
    const subscription = source().subscribe((next) => setValue(() => next));
    onCleanup(() => subscription.unsubscribe());
  });
  return value;
}
