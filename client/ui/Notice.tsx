import { Show, createSignal, type Accessor } from 'solid-js';
import type { SaveResult } from '../data/write.ts';

export interface NoticeMessage {
  isError: boolean;
  text: string;
}

/** What a save did: `done` when it was kept, else the reason it was refused. */
export const noticeOf = (result: SaveResult, done: string): NoticeMessage => (result.ok ? { isError: false, text: done } : { isError: true, text: result.message });

/** The outcome of the last action: announced politely when it worked, at once when it did not. */
export function Notice(props: { message: NoticeMessage | undefined }) {
  return (
    <Show when={props.message}>
      {(message) => (
        <p class={`notice ${message().isError ? 'bad' : 'ok'}`} role={message().isError ? 'alert' : 'status'}>
          {message().text}
        </p>
      )}
    </Show>
  );
}

export interface Saving {
  isSaving: Accessor<boolean>;
  notice: Accessor<NoticeMessage | undefined>;
  /** Runs one save at a time and reports it; true when it was kept. */
  save(work: () => Promise<SaveResult>, done: string): Promise<boolean>;
}

/** The state of a form's or a list's saves: busy while one runs, then its notice. */
export function createSaving(): Saving {
  const [isSaving, setSaving] = createSignal(false);
  const [notice, setNotice] = createSignal<NoticeMessage>();
  return {
    isSaving,
    notice,
    async save(work, done) {
      setSaving(true);
      setNotice(undefined);
      try {
        const result = await work();
        setNotice(noticeOf(result, done));
        return result.ok;
      } finally {
        setSaving(false);
      }
    },
  };
}
