import { A } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';

/** A dashboard card: a heading, a link to the full view behind it, and its content. */
export function DashCard(props: { id: string; title: JSX.Element; href: string; linkLabel: string; testId?: string; children: JSX.Element }) {
  return (
    <section class="card dash-card" aria-labelledby={props.id} data-testid={props.testId}>
      <div class="card-head">
        <h2 id={props.id}>{props.title}</h2>
        <A href={props.href}>{props.linkLabel}</A>
      </div>
      {props.children}
    </section>
  );
}

const SHOWN = 5;

/** The first five items of a list, a link to the rest, or a sentence when there are none. */
export function ShortList<T>(props: { items: readonly T[]; empty: string; moreHref: string; moreLabel: string; children: (item: T) => JSX.Element }) {
  return (
    <Show when={props.items.length > 0} fallback={<p class="muted">{props.empty}</p>}>
      <ul class="dash-list">
        <For each={props.items.slice(0, SHOWN)}>{(item) => <li>{props.children(item)}</li>}</For>
      </ul>
      <Show when={props.items.length > SHOWN}>
        <A href={props.moreHref}>{props.moreLabel}</A>
      </Show>
    </Show>
  );
}
