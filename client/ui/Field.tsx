import { Show, type JSX } from 'solid-js';

/**
 * A labelled control with its error in place. The error is tied to the control with
 * aria-describedby so screen readers announce it with the field.
 */
export function Field(props: { id: string; label: string; error?: string | undefined; hint?: string; children: JSX.Element }) {
  return (
    <div class="field" classList={{ invalid: Boolean(props.error) }}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      <Show when={props.hint}>
        <small class="muted" id={`${props.id}-hint`}>
          {props.hint}
        </small>
      </Show>
      <Show when={props.error}>
        <small class="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </small>
      </Show>
    </div>
  );
}

/** The aria attributes a control inside <Field> needs. */
export const describedBy = (id: string, error: string | undefined) => ({
  'aria-invalid': error ? ('true' as const) : undefined,
  'aria-describedby': error ? `${id}-error` : undefined,
});
