import { markdown } from '@codemirror/lang-markdown';
import { EditorView, basicSetup } from 'codemirror';
import { For, Show, createSignal, onCleanup, onMount } from 'solid-js';
import { yCollab } from 'y-codemirror.next';
import * as Y from 'yjs';
import { useReplica } from '../../app/replica-context.tsx';
import { openAwarenessChannel, type AwarenessChannel } from '../../collab/awareness-channel.ts';
import { openCollabText, type CollabTarget } from '../../collab/collab-text.ts';
import { isQuotaError, STORAGE_FULL_MESSAGE } from '../../data/storage-errors.ts';
import { Markdown } from '../../ui/Markdown.tsx';

interface Person {
  clientId: number;
  name: string;
  color: string;
}

/**
 * The collaborative Markdown editor (CodeMirror 6 bound to the text's Y.Doc). Every keystroke
 * lands in the replica, offline too; online, the others editing the same text show with their
 * names and cursors. Loaded lazily: the editor and Yjs are not in the app's first download.
 */
export default function CollabEditor(props: { target: CollabTarget; label: string }) {
  const replica = useReplica();
  const [preview, setPreview] = createSignal('');
  const [people, setPeople] = createSignal<Person[]>([]);
  const [problem, setProblem] = createSignal<string>();
  const [isLoaded, setLoaded] = createSignal(false);
  let host!: HTMLDivElement;
  let view: EditorView | undefined;
  let channel: AwarenessChannel | undefined;

  const collab = openCollabText(replica.db, props.target, {
    onWrite: (update) => {
      replica.pending.add('doc_updates', update.id, update.updatedAt);
      setProblem(undefined);
    },
    onError: (error) =>
      setProblem(isQuotaError(error) ? STORAGE_FULL_MESSAGE : `Your latest edits are kept in this tab but could not be saved yet: ${error instanceof Error ? error.message : String(error)}`),
  });
  const refreshPreview = () => setPreview(collab.text.toString());
  collab.text.observe(refreshPreview);

  onMount(() => {
    void collab.loaded.then(() => {
      setLoaded(true);
      refreshPreview();
      channel = openAwarenessChannel(collab.doc, props.target);
      const { awareness } = channel;
      const refreshPeople = () =>
        setPeople(
          [...awareness.getStates().entries()]
            .filter(([clientId, state]) => clientId !== awareness.clientID && state['user'])
            .map(([clientId, state]) => {
              const user = state['user'] as { name?: string; color?: string };
              return { clientId, name: user.name ?? 'Someone', color: user.color ?? '#475569' };
            }),
        );
      awareness.on('change', refreshPeople);
      // The server replaces this with the signed-in name; it only shows locally until then.
      awareness.setLocalStateField('user', { name: replica.user.name, color: '#0369a1', colorLight: '#0369a133' });
      view = new EditorView({
        parent: host,
        doc: collab.text.toString(),
        extensions: [
          basicSetup,
          markdown(),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': props.label }),
          yCollab(collab.text, awareness, { undoManager: new Y.UndoManager(collab.text) }),
        ],
      });
    });
  });

  // Leaving the page or hiding the app writes what was typed at once.
  const onHidden = () => document.visibilityState === 'hidden' && void collab.flush();
  document.addEventListener('visibilitychange', onHidden);
  onCleanup(() => {
    document.removeEventListener('visibilitychange', onHidden);
    collab.text.unobserve(refreshPreview);
    view?.destroy();
    channel?.close();
    void collab.close();
  });

  return (
    <section class="collab" aria-label={props.label}>
      <div class="collab-presence" aria-live="polite">
        <Show when={people().length > 0} fallback={<span class="muted">Only you are editing{replica.status.isOnline() ? '' : ' (offline: your edits merge when you reconnect)'}.</span>}>
          <span class="muted">Also editing:</span>
          <For each={people()}>
            {(person) => (
              <span class="person" style={{ 'border-color': person.color, color: person.color }}>
                {person.name}
              </span>
            )}
          </For>
        </Show>
      </div>
      <Show when={problem()}>{(message) => <p role="alert" class="field-error">{message()}</p>}</Show>
      <div class="collab-panes">
        <div class="collab-editor" ref={host} data-testid="collab-editor">
          <Show when={!isLoaded()}>
            <p class="muted">Opening the text…</p>
          </Show>
        </div>
        <div class="collab-preview card" aria-label="Preview">
          <h3>Preview</h3>
          <Markdown text={preview()} />
        </div>
      </div>
    </section>
  );
}
