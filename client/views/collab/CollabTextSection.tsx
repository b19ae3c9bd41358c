import { Show, Suspense, createSignal, lazy } from 'solid-js';
import type { CollabTarget } from '../../collab/collab-text.ts';
import './collab-editor.css';

// Yjs and CodeMirror load only when a text is shown: they are not part of the first download.
const CollabReader = lazy(() => import('./CollabReader.tsx'));
const CollabEditor = lazy(() => import('./CollabEditor.tsx'));

/** A collaborative text (runbook body, post-incident review): read it, or edit it together. */
export function CollabTextSection(props: { target: CollabTarget; title: string; canEdit: boolean; emptyText: string }) {
  const [isEditing, setEditing] = createSignal(false);
  const headingId = `collab-${props.target.id}`;
  return (
    <section class="card collab-section" aria-labelledby={headingId}>
      <div class="collab-heading">
        <h2 id={headingId}>{props.title}</h2>
        <Show when={props.canEdit}>
          <button type="button" class={isEditing() ? '' : 'primary'} onClick={() => setEditing(!isEditing())} aria-pressed={isEditing()}>
            {isEditing() ? 'Done editing' : 'Edit together'}
          </button>
        </Show>
      </div>
      <Suspense fallback={<p class="muted">Loading the text…</p>}>
        <Show when={isEditing()} fallback={<CollabReader target={props.target} emptyText={props.emptyText} />}>
          <CollabEditor target={props.target} label={props.title} />
        </Show>
      </Suspense>
    </section>
  );
}
