import { Show, createSignal } from 'solid-js';
import { Options, type Option } from '../../ui/Options.tsx';

/** Choose one of the replica's documents to link, then link it. */
export function LinkPicker(props: { id: string; label: string; candidates: readonly Option[]; emptyText: string; isBusy: boolean; onLink(id: string): void }) {
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
            <Options options={props.candidates} selected={chosen()} />
          </select>
          <button type="submit" disabled={props.isBusy || chosen() === ''}>
            Link
          </button>
        </div>
      </form>
    </Show>
  );
}
