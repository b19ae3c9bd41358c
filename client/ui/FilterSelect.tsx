import { For } from 'solid-js';

export interface FilterOption<T extends string> {
  value: T;
  label: string;
}

/** A labelled select in a list's filter bar; the choice applies at once. */
export function FilterSelect<T extends string>(props: { id: string; label: string; value: T; options: readonly FilterOption<T>[]; onChange(value: T): void }) {
  return (
    <div class="filter">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value as T)}>
        {/* Each option says whether it is chosen: options that arrive after the value (sites still loading) would otherwise show the first. */}
        <For each={props.options}>
          {(option) => (
            <option value={option.value} selected={option.value === props.value}>
              {option.label}
            </option>
          )}
        </For>
      </select>
    </div>
  );
}
