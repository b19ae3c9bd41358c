import { A } from '@solidjs/router';

/**
 * A record the URL names but this device does not hold (not synced yet, outside the user's
 * sites, or deleted) or will not show this user. Said plainly, with the way back.
 */
export function NotOnDevice(props: { title: string; backHref: string; backLabel: string; explanation?: string }) {
  return (
    <section class="page">
      <A class="back" href={props.backHref}>
        ← {props.backLabel}
      </A>
      <h1>{props.title}</h1>
      <p class="muted">{props.explanation ?? 'It is not on this device: it may not have synced yet, belong to a site you do not cover, or have been deleted.'}</p>
    </section>
  );
}
