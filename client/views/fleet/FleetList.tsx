import { createWindowVirtualizer } from '@tanstack/solid-virtual';
import { For, createEffect, createSignal, on, onCleanup, onMount } from 'solid-js';
import type { IndexedDevice } from './device-filter.ts';
import { DeviceRow } from './DeviceRow.tsx';

const WIDE = '(min-width: 900px)';
/** Fixed row heights (fleet.css): three short lines on a phone, one row on a laptop; no per-row measuring. */
const rowHeight = (isWide: boolean) => (isWide ? 56 : 84);

/**
 * Only the rows in view (and a few either side) are in the page, so 10,000 devices scroll like
 * fifty. The page itself scrolls (not a box inside it), which is what a thumb expects on a phone.
 */
export function FleetList(props: { rows: readonly IndexedDevice[]; now: number }) {
  let list!: HTMLUListElement;
  const media = window.matchMedia(WIDE);
  const [isWide, setWide] = createSignal(media.matches);
  const onMedia = () => setWide(media.matches);
  media.addEventListener('change', onMedia);
  onCleanup(() => media.removeEventListener('change', onMedia));
  // Where the list starts in the page: it moves when the filters open or the first-sync card goes.
  const [scrollMargin, setScrollMargin] = createSignal(0);

  const virtualizer = createWindowVirtualizer({
    get count() {
      return props.rows.length;
    },
    estimateSize: () => rowHeight(isWide()),
    overscan: 10,
    get scrollMargin() {
      return scrollMargin();
    },
  });
  createEffect(on(isWide, () => virtualizer.measure(), { defer: true }));

  onMount(() => {
    const measure = () => setScrollMargin(Math.round(list.getBoundingClientRect().top + window.scrollY));
    measure();
    const observer = new ResizeObserver(measure);
    const main = list.closest('main');
    if (main) observer.observe(main);
    observer.observe(document.body);
    onCleanup(() => observer.disconnect());
  });

  return (
    <ul ref={list} class="fleet-list" style={{ height: `${virtualizer.getTotalSize()}px` }} aria-label="Devices">
      <For each={virtualizer.getVirtualItems()}>
        {(item) => (
          <li
            class="fleet-item"
            aria-setsize={props.rows.length}
            aria-posinset={item.index + 1}
            style={{ height: `${rowHeight(isWide())}px`, transform: `translateY(${item.start - scrollMargin()}px)` }}
          >
            {props.rows[item.index] && <DeviceRow entry={props.rows[item.index]!} now={props.now} />}
          </li>
        )}
      </For>
    </ul>
  );
}
