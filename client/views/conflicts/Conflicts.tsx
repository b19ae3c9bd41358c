import { For, Show } from 'solid-js';
import { useConflictedDocuments } from '../../data/conflicts.ts';
import { ConflictDocument } from './ConflictDocument.tsx';
import { RejectionList } from './RejectionList.tsx';
import './conflicts.css';

/** Every conflict record on this device, and every write the server refused: nothing typed is lost. */
export default function Conflicts() {
  const conflicted = useConflictedDocuments();
  const count = () => conflicted().reduce((sum, document) => sum + document.conflicts.length, 0);
  return (
    <section class="page conflicts" aria-labelledby="conflicts-title">
      <h1 id="conflicts-title">Conflicts</h1>
      <p class="muted conflicts-intro">
        When two people change the same field while apart, Outpost keeps one value everywhere and records the other here. Keep the current value,
        take the other, or write one that merges both.
      </p>
      <p class="conflicts-count" role="status" data-testid="conflict-total">
        {count() === 0 ? 'No conflicts to review.' : `${count()} conflict${count() === 1 ? '' : 's'} to review`}
      </p>
      <Show when={conflicted().length > 0}>
        <div class="conflict-documents">
          <For each={conflicted()}>{(document) => <ConflictDocument conflicted={document} />}</For>
        </div>
      </Show>
      <RejectionList />
    </section>
  );
}
