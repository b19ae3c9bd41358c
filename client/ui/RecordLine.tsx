import { A } from '@solidjs/router';
import { Show, type JSX } from 'solid-js';
import './record-line.css';

/**
 * One linked record in a short list (an incident, a risk, a run): its badges, its title as a
 * link when it has a page, and a muted line of when and how. `metaTitle` gives the exact time.
 */
export function RecordLine(props: { badges: JSX.Element; title: string; href?: string | undefined; meta: string; metaTitle?: string }) {
  return (
    <div class="record-line">
      {props.badges}
      <Show when={props.href} fallback={<span class="record-title">{props.title}</span>}>
        {(href) => (
          <A class="record-title" href={href()}>
            {props.title}
          </A>
        )}
      </Show>
      <span class="muted record-meta" title={props.metaTitle}>
        {props.meta}
      </span>
    </div>
  );
}
