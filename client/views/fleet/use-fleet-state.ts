import { useSearchParams } from '@solidjs/router';
import { createEffect, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import { EMPTY_STATE, keyOf, paramsOf, stateOf, type FilterParam, type FleetParams, type FleetState } from './fleet-params.ts';

const TYPING_PAUSE_MS = 250;

/**
 * The list's search and filters: held here and applied at once, mirrored into the address so a
 * reload or a shared link keeps them. Each write carries the whole state, so writes landing out
 * of order (the router applies them in transitions) cannot bring back an older value; typing is
 * written after a pause, as a history write per key costs more than the filter itself.
 */
export function useFleetState(): { state: Accessor<FleetState>; setText(text: string): void; setFilter(param: FilterParam, value: string): void; clear(): void } {
  const [searchParams, setSearchParams] = useSearchParams<FleetParams>();
  const [state, setState] = createSignal(stateOf(searchParams));
  // Writes the address has not shown yet: it passing through one of them is not a navigation.
  const unseenWrites: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));

  const write = () => {
    clearTimeout(timer);
    if (keyOf(state()) === keyOf(stateOf(searchParams))) return;
    unseenWrites.push(keyOf(state()));
    setSearchParams(paramsOf(state()), { replace: true });
  };
  // A navigation to another fleet address while the list is open (a link, Back): adopt it.
  createEffect(
    on(
      () => keyOf(stateOf(searchParams)),
      (key) => {
        const seen = unseenWrites.indexOf(key);
        if (seen >= 0) unseenWrites.splice(0, seen + 1);
        else if (key !== keyOf(state())) setState(stateOf(searchParams));
      },
      { defer: true },
    ),
  );

  return {
    state,
    setText(text) {
      setState({ ...state(), q: text });
      clearTimeout(timer);
      timer = setTimeout(write, TYPING_PAUSE_MS);
    },
    setFilter(param, value) {
      setState({ ...state(), [param]: value });
      write();
    },
    clear() {
      setState(EMPTY_STATE);
      write();
    },
  };
}
