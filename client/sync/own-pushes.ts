import { isDeepEqual } from '../../shared/merge/canonical.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';
import { readPushedStates, writePushedStates, type AnsweredMaster, type MetaInstance } from './replication-meta.ts';

/** At most this many of a document's pushed states are remembered (a bound for days offline). */
const STATES_KEPT = 32;

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
 * What is remembered is the states pushed on the row's current base (its assumed master): a new
 * base starts the list again, so only pushes whose answers may still be missing count, never
 * states from before a later acknowledgement (a value written back since would be taken for
 * ours). A retry of the same state adds nothing. Returns, per document, the states remembered
 * on this same base before this push.
 */
export async function rememberPushes(
  meta: MetaInstance,
  rows: readonly { newDocumentState: Record<string, unknown>; assumedMasterState?: Record<string, unknown> }[],
  token: string,
): Promise<Map<string, Record<string, unknown>[]>> {
  const ids = rows.map((row) => String(row.newDocumentState['id']));
  const remembered = await readPushedStates(meta, ids);
  const before = new Map<string, Record<string, unknown>[]>();
  await writePushedStates(
    meta,
    rows.map((row, i) => {
      const id = ids[i] as string;
      const known = remembered.get(id);
      const base = row.assumedMasterState ? (withoutLocalFields(row.assumedMasterState) as Record<string, unknown>) : undefined;
      // No base: a new document's pushes, until one is acknowledged.
      const isSameBase = known !== undefined && isSameState(known.base, base);
      const kept = isSameBase ? [...(known?.states ?? [])] : [];
      before.set(id, [...kept]);
      const pushed = withoutLocalFields(row.newDocumentState);
      // A retry keeps the state's place: the order is the order states were first pushed in.
      if (!kept.some((state) => isDeepEqual(state, pushed))) kept.push(pushed);
      kept.splice(0, Math.max(0, kept.length - STATES_KEPT));
      return { documentId: id, states: kept, base, answered: known?.answered, previous: known?.row };
    }),
    token,
  );
  return before;
}

const isSameState = (a: object | undefined, b: object | undefined) => (a === undefined ? b === undefined : b !== undefined && isDeepEqual(a, b));

/**
 * A merged state is pushed on the master it was merged with. RxDB writes the merge into the
 * document and then that master as its assumed master state; a replication stopped between the
 * two (a tab closing, a sign-out, a reload) leaves the merge on the older base. Pushed on it,
 * every field the master had changed would look changed on both sides: a false conflict, or a
 * newer value of that field taken for a clash with the merge's copy. So the server's answers are
 * kept (rememberAnswers), and a row still on the base its answered push carried, that already
 * holds every change of that answer, goes out on the answer instead. Both rules together make
 * it safe: nothing of the master can be overwritten by a state that already holds all of it.
 * Changes `rows` in place and returns the ids it rebased (RxDB's own rows keep the old base: a
 * conflict of one of them must be merged from the new one, see OwnPushBases).
 */
export async function rebaseOnAnswers(meta: MetaInstance, rows: { newDocumentState: Record<string, unknown>; assumedMasterState?: Record<string, unknown> }[]): Promise<Set<string>> {
  const remembered = await readPushedStates(
    meta,
    rows.map((row) => String(row.newDocumentState['id'])),
  );
  const rebased = new Set<string>();
  for (const row of rows) {
    const id = String(row.newDocumentState['id']);
    const known = remembered.get(id);
    const answer = answerToPushOn(known?.answered, row, known?.states);
    if (!answer) continue;
    row.assumedMasterState = answer;
    rebased.add(id);
  }
  return rebased;
}

/** The answered master a row should be pushed on instead of its own base, if any (see rebaseOnAnswers). */
export function answerToPushOn(
  answered: AnsweredMaster | undefined,
  row: { newDocumentState: Record<string, unknown>; assumedMasterState?: Record<string, unknown> },
  pushed: readonly Record<string, unknown>[] = [],
): Record<string, unknown> | undefined {
  if (!answered) return undefined;
  const base = row.assumedMasterState ? withoutLocalFields(row.assumedMasterState) : undefined;
  if (!isSameState(answered.on, base) || isSameState(answered.master, base)) return undefined;
  return holdsChangesOf(row.newDocumentState, answered.on ?? {}, answered.master, pushed) ? answered.master : undefined;
}

/**
 * Whether `state` holds every value `master` changed since `base` (the writer's clock aside). A
 * field where the master holds one of this replica's own pushed values counts as held whatever
 * `state` has there: the replica's later value was written on top of it (a lost answer, then an
 * edit), so it is this replica's change, not one of the master's it lacks.
 */
function holdsChangesOf(state: Record<string, unknown>, base: Record<string, unknown>, master: Record<string, unknown>, pushed: readonly Record<string, unknown>[]): boolean {
  const local = withoutLocalFields(state);
  for (const key of new Set([...Object.keys(master), ...Object.keys(base)])) {
    if (key === 'updatedAt' || isDeepEqual(master[key], base[key])) continue;
    if (isDeepEqual(local[key], master[key])) continue;
    if (key !== 'conflicts' && pushed.some((own) => isDeepEqual(own[key], master[key]))) continue;
    return false;
  }
  return true;
}

/** Keeps the masters the server answered pushes with, beside the base each push carried (see rebaseOnAnswers). */
export async function rememberAnswers(
  meta: MetaInstance,
  answers: readonly { master: Record<string, unknown>; on?: Record<string, unknown> | undefined }[],
  token: string,
): Promise<void> {
  if (answers.length === 0) return;
  const remembered = await readPushedStates(
    meta,
    answers.map((answer) => String(answer.master['id'])),
  );
  await writePushedStates(
    meta,
    answers.map(({ master, on }) => {
      const id = String(master['id']);
      const known = remembered.get(id);
      return {
        documentId: id,
        states: known?.states ?? [],
        base: known?.base,
        answered: { master: withoutLocalFields(master), ...(on ? { on: withoutLocalFields(on) } : {}) },
        previous: known?.row,
      };
    }),
    token,
  );
}

/**
 * The remembered states that can be ancestors of `pushing`: those pushed before it was first
 * pushed. A state remembered after it came from a later write (a replication that was stopped
 * and retries an older state while the next one already pushed a newer one): taking such a
 * master for this state's own would push the older state over the newer.
 */
export function ancestorsOf(pushed: readonly Record<string, unknown>[] | undefined, pushing: object): Record<string, unknown>[] {
  if (!pushed) return [];
  const content = withoutLocalFields(pushing);
  const first = pushed.findIndex((state) => isDeepEqual(state, content));
  return first === -1 ? [...pushed] : pushed.slice(0, first);
}

/** Whether the server's master is one of these states this replica pushed. */
export function isOwnPushedState(pushed: readonly Record<string, unknown>[] | undefined, master: object): boolean {
  const content = withoutLocalFields(master);
  return pushed?.some((state) => isDeepEqual(state, content)) ?? false;
}

/**
 * The conflict base a merge should start from when the server's master holds values of this
 * replica's own earlier pushes beside changes by others (a push's answer was lost, then someone
 * else wrote): field by field, where the master holds a value this replica pushed and the row's
 * base does not, that value is the base (the local state was written on top of it). Merged from
 * the older base, such a field would look changed on both sides, a conflict of the person with
 * themselves. Every other field keeps the row's base. Undefined when no field qualifies.
 */
export function ownBaseIn(pushed: readonly Record<string, unknown>[] | undefined, assumed: object | undefined, master: object): Record<string, unknown> | undefined {
  if (!pushed || pushed.length === 0 || !assumed) return undefined;
  const base = { ...(withoutLocalFields(assumed) as Record<string, unknown>) };
  const server = withoutLocalFields(master) as Record<string, unknown>;
  let isChanged = false;
  for (const key of new Set([...Object.keys(server), ...Object.keys(base)])) {
    if (key === '_deleted' || key === 'conflicts' || isDeepEqual(server[key], base[key])) continue;
    if (!pushed.some((state) => isDeepEqual(state[key], server[key]))) continue;
    if (server[key] === undefined) delete base[key];
    else base[key] = server[key];
    isChanged = true;
  }
  return isChanged ? base : undefined;
}

/** Bases found by the push handler for the masters it hands to RxDB, until the conflict handler merges each. */
export class OwnPushBases {
  readonly #bases = new Map<string, { master: object; base: Record<string, unknown> }>();

  set(collection: string, master: object, base: Record<string, unknown>): void {
    this.#bases.set(`${collection}:${String((master as { id?: unknown }).id)}`, { master, base });
    if (this.#bases.size > 1000) this.#bases.delete(this.#bases.keys().next().value as string);
  }

  /** The base for exactly this master, taken once. */
  take(collection: string, master: object): Record<string, unknown> | undefined {
    const key = `${collection}:${String((master as { id?: unknown }).id)}`;
    const found = this.#bases.get(key);
    this.#bases.delete(key);
    return found && isDeepEqual(withoutLocalFields(found.master), withoutLocalFields(master)) ? found.base : undefined;
  }
}

const basesByDatabase = new WeakMap<object, OwnPushBases>();

export function ownPushBasesOf(database: object): OwnPushBases {
  let bases = basesByDatabase.get(database);
  if (!bases) basesByDatabase.set(database, (bases = new OwnPushBases()));
  return bases;
}
