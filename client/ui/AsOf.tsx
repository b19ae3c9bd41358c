import { ago, formatDateTime } from './relative-time.ts';

/** "as of 6 min ago" for a value an agent reported, with the exact time on hover. */
export function AsOf(props: { at: string; now: number; class?: string }) {
  return (
    <span class={props.class ?? 'muted'} title={formatDateTime(props.at)}>
      as of {ago(props.at, props.now)}
    </span>
  );
}
