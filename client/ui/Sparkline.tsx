import { Show, createMemo } from 'solid-js';
import './sparkline.css';

const WIDTH = 240;
const HEIGHT = 48;

/**
 * A small line over time, drawn as SVG (no chart library for a line). `label` is its text
 * alternative: say what the picture shows (range, latest value), not just its title.
 */
export function Sparkline(props: { values: readonly number[]; label: string; min?: number; max?: number; tone?: 'accent' | 'warn' | 'bad' }) {
  const path = createMemo(() => {
    const values = props.values;
    if (values.length < 2) return undefined;
    const min = props.min ?? Math.min(...values);
    const max = Math.max(props.max ?? Math.max(...values), min + 1);
    const x = (index: number) => (index / (values.length - 1)) * WIDTH;
    const y = (value: number) => HEIGHT - 2 - ((value - min) / (max - min)) * (HEIGHT - 4);
    const line = values.map((value, index) => `${index === 0 ? 'M' : 'L'}${x(index).toFixed(1)},${y(value).toFixed(1)}`).join(' ');
    return { line, area: `${line} L${WIDTH},${HEIGHT} L0,${HEIGHT} Z` };
  });
  return (
    <Show when={path()} fallback={<p class="muted">Not enough readings for a trend yet.</p>}>
      {(drawn) => (
        <svg class={`sparkline tone-${props.tone ?? 'accent'}`} role="img" aria-label={props.label} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none">
          <path class="sparkline-area" d={drawn().area} />
          <path class="sparkline-line" d={drawn().line} vector-effect="non-scaling-stroke" />
        </svg>
      )}
    </Show>
  );
}
