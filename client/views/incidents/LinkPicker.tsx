import { For, Show, createSignal } from 'solid-js';

export interface LinkCandidate {
  id: string;
  label: string;
}

/** Choose one of the replica's documents to link, then link it. */
export function LinkPicker(props: { id: string; label: string; candidates: readonly LinkCandidate[]; emptyText: string; isBusy: boolean; onLink(id: string): void }) {
  const [chosen, setChosen] = createSignal('');
  const link = (event: SubmitEvent) => {
    event.preventDefault();
    if (chosen() === '') return;
    props.onLink(chosen());
    setChosen('');
  };
  return (
    <Show when={props.candidates.length > 0} fallback={<p class="muted">{props.emptyText}</p>}>
      <form class="link-picker" onSubmit={link}>
        <label for={props.id}>{props.label}</label>
        <div class="link-row">
          <select id={props.id} value={chosen()} onChange={(e) => setChosen(e.currentTarget.value)}>
            <option value="">Choose…</option>
            <For each={props.candidates}>{(c) => <option value={c.id}>{c.label}</option>}</For>
          </select>
          <button type="submit" disabled={props.isBusy || chosen() === ''}>
            Link
          </button>
        </div>
      </form>
    </Show>
  );
}
