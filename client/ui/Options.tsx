import { For } from 'solid-js';

export interface Option {
  value: string;
  label: string;
}

/**
 * A select's options, each marked selected from `selected`. Setting `value` on the <select>
 * alone is not enough in Solid: it can run before the options exist, and the browser then
 * shows the first option.
 */
export function Options(props: { options: readonly Option[]; selected: string | number | undefined }) {
  return <For each={props.options}>{(option) => <option value={option.value} selected={option.value === String(props.selected ?? '')}>{option.label}</option>}</For>;
}

/** Options for a picklist: its values with their labels. */
export const optionsOf = <T extends string>(values: readonly T[], labels: Record<T, string>): Option[] => values.map((value) => ({ value, label: labels[value] }));
