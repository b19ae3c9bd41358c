import { createSignal, onCleanup } from 'solid-js';
import { useReplica } from '../../app/replica-context.tsx';
import { openCollabText, type CollabTarget } from '../../collab/collab-text.ts';
import { Markdown } from '../../ui/Markdown.tsx';

/** The text as it stands on this device, rendered and following every merged edit. */
export default function CollabReader(props: { target: CollabTarget; emptyText: string }) {
  const replica = useReplica();
  const collab = openCollabText(replica.db, props.target);
  const [text, setText] = createSignal('');
  const refresh = () => setText(collab.text.toString());
  collab.text.observe(refresh);
  void collab.loaded.then(refresh);
  onCleanup(() => {
    collab.text.unobserve(refresh);
    void collab.close();
  });
  return <div data-testid="collab-text">{text().trim() ? <Markdown text={text()} /> : <p class="muted">{props.emptyText}</p>}</div>;
}
