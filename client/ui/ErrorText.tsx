import { Show } from 'solid-js';

/** A message that something failed, announced when it appears; nothing when there is none. */
export function ErrorText(props: { message: string | undefined; id?: string }) {
  return (
    <Show when={props.message}>
      {(message) => (
        <p class="field-error" role="alert" id={props.id}>
          {message()}
        </p>
      )}
    </Show>
  );
}
