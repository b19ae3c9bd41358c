import { A } from '@solidjs/router';
import { For, Show, createSignal, onCleanup } from 'solid-js';
import { useReplica } from '../../app/replica-context.tsx';
import type { Rejection } from '../../sync/rejections.ts';
import { ago, formatDateTime } from '../../ui/relative-time.ts';
import { formatValue } from './conflict-resolution.ts';
import { COLLECTION_NOUNS, documentHref } from './document-links.ts';

function labelOf(state: unknown): string | undefined {
  const data = (state ?? {}) as Record<string, unknown>;
  return ['title', 'hostname', 'name', 'message', 'text'].map((key) => data[key]).find((value): value is string => typeof value === 'string' && value !== '');
}

/** What the person typed: the refused field when the server named one, else the whole record. */
function typedText(rejection: Rejection): string {
  const state = (rejection.rejectedState ?? {}) as Record<string, unknown>;
  return rejection.field && Object.hasOwn(state, rejection.field) ? formatValue(state[rejection.field]) : JSON.stringify(rejection.rejectedState, null, 2);
}

/**
 * Writes the server refused since this tab opened. The document went back to the server's
 * state, so what was typed is shown here, to copy and redo in a way that is allowed.
 */
export function RejectionList() {
  const replica = useReplica();
  const [rejections, setRejections] = createSignal<readonly Rejection[]>(replica.rejections.all);
  onCleanup(replica.rejections.subscribe(setRejections));
  const [copied, setCopied] = createSignal<Rejection>();
  const copy = async (rejection: Rejection) => {
    try {
      await navigator.clipboard.writeText(typedText(rejection));
      setCopied(rejection);
    } catch {
      // No clipboard access: the text stays on screen to select by hand.
      setCopied(undefined);
    }
  };

  return (
    <section class="rejections" aria-labelledby="rejections-title">
      <h2 id="rejections-title">Changes the server refused</h2>
      <Show when={rejections().length > 0} fallback={<p class="muted card">None. Every change from this device was accepted or is waiting to sync.</p>}>
        <ul class="rejection-list">
          <For each={[...rejections()].reverse()}>
            {(rejection) => (
              <li class="card rejection">
                <div class="conflict-document-head">
                  <span class="badge bad">{COLLECTION_NOUNS[rejection.collection]}</span>
                  <h3>
                    <Show when={documentHref(rejection.collection, rejection.id)} fallback={labelOf(rejection.rejectedState) ?? rejection.id}>
                      {(href) => <A href={href()}>{labelOf(rejection.rejectedState) ?? rejection.id}</A>}
                    </Show>
                  </h3>
                </div>
                <p>
                  <strong>Refused:</strong> {rejection.reason}
                  <Show when={rejection.field}> (field {rejection.field})</Show>
                  <span class="muted" title={formatDateTime(rejection.at)}>
                    {' '}
                    · {ago(rejection.at)}
                  </span>
                </p>
                <div class="conflict-value other">
                  <span class="value-label">What you typed</span>
                  <pre>{typedText(rejection)}</pre>
                </div>
                <div class="actions">
                  <button type="button" onClick={() => void copy(rejection)}>
                    {copied() === rejection ? 'Copied' : 'Copy what you typed'}
                  </button>
                  <button type="button" onClick={() => replica.rejections.dismiss(rejection)}>
                    Dismiss
                  </button>
                </div>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
