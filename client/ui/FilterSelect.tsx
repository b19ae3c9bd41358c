import { Options } from './Options.tsx';

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
        <Options options={props.options} selected={props.value} />
      </select>
    </div>
  );
}
