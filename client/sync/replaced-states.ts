import { canonicalJson } from '../../shared/merge/canonical.ts';
import { withoutLocalFields } from '../../shared/sync/document.ts';

/** Per document, at most this many replaced states are remembered; documents beyond MAX_DOCUMENTS drop the oldest. */
const STATES_PER_DOCUMENT = 8;
const MAX_DOCUMENTS = 5000;

/**
 * Master states this replica knows the server has replaced: the base of each push the server
 * answered (accepted on it, or answered with another master). A pull page or stream message can
 * still carry such a state after the answer, and it is applied later than it was received: RxDB's
 * downstream asks the conflict handler, as it applies it, whether it equals what the replica
 * holds; a replaced state is taken as nothing new, so an acknowledged value is never reverted
 * to the one it replaced (see stale-masters.ts for the same rule on arrival).
 */
export class ReplacedStates {
  readonly #byDocument = new Map<string, string[]>();

  remember(collection: string, state: object): void {
    const key = `${collection}:${String((state as { id?: unknown }).id)}`;
    const states = this.#byDocument.get(key) ?? [];
    const text = canonicalJson(withoutLocalFields(state));
    if (!states.includes(text)) states.push(text);
    states.splice(0, Math.max(0, states.length - STATES_PER_DOCUMENT));
    this.#byDocument.delete(key);
    this.#byDocument.set(key, states);
    if (this.#byDocument.size > MAX_DOCUMENTS) this.#byDocument.delete(this.#byDocument.keys().next().value as string);
  }

  /** Whether `master` is a state the server replaced, while `held` (what the replica holds) is not. */
  isStale(collection: string, master: object, held: object): boolean {
    const states = this.#byDocument.get(`${collection}:${String((master as { id?: unknown }).id)}`);
    if (!states) return false;
    return states.includes(canonicalJson(withoutLocalFields(master))) && !states.includes(canonicalJson(withoutLocalFields(held)));
  }
}

const replacedByDatabase = new WeakMap<object, ReplacedStates>();

export function replacedStatesOf(database: object): ReplacedStates {
  let states = replacedByDatabase.get(database);
  if (!states) replacedByDatabase.set(database, (states = new ReplacedStates()));
  return states;
}
