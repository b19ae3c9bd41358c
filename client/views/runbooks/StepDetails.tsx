import { For, Show } from 'solid-js';
import type { RunbookStep } from '../../../shared/schema/runbook.ts';
import { Markdown } from '../../ui/Markdown.tsx';

const PARTS = [
  { key: 'check', label: 'Check' },
  { key: 'expectedResult', label: 'Expected result' },
  { key: 'commonErrors', label: 'Common errors' },
  { key: 'rollback', label: 'Rollback' },
] as const;

/** A step's instruction and whatever the author added to it, each as sanitized Markdown. */
export function StepDetails(props: { step: RunbookStep }) {
  return (
    <div class="step-details">
      <Markdown text={props.step.instruction} class="step-instruction" />
      <For each={PARTS.filter((part) => props.step[part.key])}>
        {(part) => (
          <div class="step-part" data-part={part.key}>
            <span class="step-part-label">{part.label}</span>
            <Show when={props.step[part.key]}>{(text) => <Markdown text={text()} />}</Show>
          </div>
        )}
      </For>
    </div>
  );
}
