import { isDeepEqual } from '../../shared/merge/canonical.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import { readPushedStates, writePushedStates, type MetaInstance } from './replication-meta.ts';

/** A document's latest pushed states remembered: enough for answers lost one after another. */
const STATES_KEPT = 4;

/**
 * States this replica pushed, remembered in the replication's meta instance before each push
 * request leaves, so whichever tab syncs next knows them too. The answer to a push can be lost
 * after the server stored it: the tab that pushed closed, the link dropped, the request timed
 * out. The next push of that document still carries the old assumed master, and the server
 * answers with a master that is this replica's own earlier state: nobody else changed anything,
 * and the local state was written on top of it (a replica's states follow one another). Merged
 * from the old base, every field edited since would look changed on both sides and become a
 * conflict of the person with themselves; such a row is pushed again on that master instead.
 *
 * Returns, per document, the states remembered before this push.
 */
export async function rememberPushes(meta: MetaInstance, states: readonly Record<string, unknown>[], token: string): Promise<Map<string, Record<string, unknown>[]>> {
  const ids = states.map((state) => String(state['id']));
  const remembered = await readPushedStates(meta, ids);
  await writePushedStates(
    meta,
    states.map((state, i) => {
      const known = remembered.get(ids[i] as string);
      const kept = [...(known?.states ?? []), withoutLocalFields(state)].slice(-STATES_KEPT);
      return { documentId: ids[i] as string, states: kept, ...(known?.row ? { previous: known.row } : {}) };
    }),
    token,
  );
  return new Map([...remembered].map(([id, known]) => [id, known.states]));
}

/** Whether the server's master is one of these states this replica pushed. */
export function isOwnPushedState(pushed: readonly Record<string, unknown>[] | undefined, master: object): boolean {
  const content = withoutLocalFields(master);
  return pushed?.some((state) => isDeepEqual(state, content)) ?? false;
}
