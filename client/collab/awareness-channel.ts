import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { decodeUpdate, encodeUpdate } from '../../shared/collab/update-encoding.ts';
import type { CollabTarget } from './collab-text.ts';

/** Cursor moves are sent at most this often; Yjs renews the state every 15 s by itself. */
const SEND_EVERY_MS = 100;

export interface AwarenessChannel {
  awareness: Awareness;
  close(): void;
}

/**
 * Presence for one collaborative text while online: local cursor and selection go to the
 * server, everyone else's come back over server-sent events. Offline it simply goes quiet;
 * the text itself never depends on it.
 */
export function openAwarenessChannel(doc: Y.Doc, target: CollabTarget, baseUrl = ''): AwarenessChannel {
  const awareness = new Awareness(doc);
  const url = `${baseUrl}/api/collab/${target.collection}/${target.id}/awareness`;
  const events = new EventSource(url, { withCredentials: true });
  events.addEventListener('awareness', (event) => {
    try {
      applyAwarenessUpdate(awareness, decodeUpdate((event as MessageEvent<string>).data), 'server');
    } catch {
      // A malformed relay is presence noise, never worth breaking the editor for.
    }
  });
  // Reconnected: announce ourselves again so the others (and the server's memory) know us.
  events.addEventListener('open', () => void send());

  let timer: ReturnType<typeof setTimeout> | undefined;
  const send = async () => {
    timer = undefined;
    const update = encodeAwarenessUpdate(awareness, [awareness.clientID]);
    try {
      await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ update: encodeUpdate(update) }),
        keepalive: true,
      });
    } catch {
      // Offline: presence is best effort.
    }
  };
  const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin !== 'local') return;
    if (![...added, ...updated, ...removed].includes(awareness.clientID)) return;
    timer ??= setTimeout(() => void send(), SEND_EVERY_MS);
  };
  awareness.on('update', onChange);

  return {
    awareness,
    close() {
      awareness.off('update', onChange);
      clearTimeout(timer);
      removeAwarenessStates(awareness, [awareness.clientID], 'local');
      void send();
      events.close();
      awareness.destroy();
    },
  };
}
