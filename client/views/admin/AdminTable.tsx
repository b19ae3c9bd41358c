import { For, type JSX } from 'solid-js';
import { describeFailure } from './admin-api.ts';

/** A list from the server that could not be read, with the way to try again. */
export function LoadFailure(props: { what: string; error: unknown; onRetry(): void }) {
  return (
    <p class="field-error" role="alert">
      {props.what} could not be loaded: {describeFailure(props.error).message}{' '}
      <button type="button" class="small" onClick={() => props.onRetry()}>
        Try again
      </button>
    </p>
  );
}

/** The administration tables: named columns, then one for each row's buttons. */
export function AdminTable(props: { caption: string; columns: string[]; class?: string; children: JSX.Element }) {
  return (
    <div class="table-wrap">
      <table class={`admin-table ${props.class ?? ''}`}>
        <caption class="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            <For each={props.columns}>{(column) => <th scope="col">{column}</th>}</For>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
