import { For, createMemo } from 'solid-js';

export interface Slice {
  label: string;
  value: number;
  color: string;
}

/**
 * A ring of proportions (circumference 100, so a slice's dash length is its percentage). The
 * picture's text alternative lists every slice; the total sits in the middle.
 */
export function Donut(props: { slices: Slice[]; total: number; caption: string; label: string }) {
  const arcs = createMemo(() => {
    const sum = props.slices.reduce((total, slice) => total + slice.value, 0);
    let offset = 0;
    return props.slices
      .filter((slice) => slice.value > 0)
      .map((slice) => {
        const length = sum > 0 ? (slice.value / sum) * 100 : 0;
        const arc = { ...slice, length, offset };
        offset += length;
        return arc;
      });
  });
  return (
    <svg class="donut" viewBox="0 0 42 42" role="img" aria-label={props.label}>
      <circle cx="21" cy="21" r="15.915" fill="none" stroke="#e2e8f0" stroke-width="6" />
      <For each={arcs()}>
        {(arc) => (
          <circle
            cx="21"
            cy="21"
            r="15.915"
            fill="none"
            stroke={arc.color}
            stroke-width="6"
            stroke-dasharray={`${arc.length} ${100 - arc.length}`}
            // Start at twelve o'clock and go clockwise.
            stroke-dashoffset={25 - arc.offset}
          />
        )}
      </For>
      <text x="21" y="21" text-anchor="middle" class="donut-total">
        {props.total.toLocaleString('en-US')}
      </text>
      <text x="21" y="27" text-anchor="middle" class="donut-caption">
        {props.caption}
      </text>
    </svg>
  );
}
