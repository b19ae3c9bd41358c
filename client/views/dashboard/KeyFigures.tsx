import { A } from '@solidjs/router';
import { For } from 'solid-js';

export interface KeyFigure {
  label: string;
  value: number;
  href: string;
  /** Red when above zero: something is waiting for someone. */
  isAlarming: boolean;
}

/** On a phone, the four numbers a manager looks for before scrolling; each opens the list behind it. */
export function KeyFigures(props: { figures: KeyFigure[] }) {
  return (
    <ul class="key-figures" aria-label="Key figures">
      <For each={props.figures}>
        {(figure) => (
          <li>
            <A href={figure.href} classList={{ alarming: figure.isAlarming && figure.value > 0 }}>
              <span class="key-value">{figure.value}</span>
              <span class="key-label">{figure.label}</span>
            </A>
          </li>
        )}
      </For>
    </ul>
  );
}
