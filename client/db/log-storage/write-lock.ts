const tails = new Map<string, Promise<unknown>>();

/** Runs `task` after every task queued before it under the same name, in this realm. */
function inRealm<T>(name: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(name) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(name, tail);
  void tail.then(() => {
    if (tails.get(name) === tail) tails.delete(name);
  });
  return run;
}

/**
 * Runs `task` holding the named lock across every tab of this origin (Web Locks), so that one
 * writer at a time appends to a log and each first reads what the others wrote. Where Web Locks
 * are missing (Node, very old browsers) the lock covers this realm only, which is all there is
 * in Node.
 */
export function withWriteLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) return locks.request(name, task) as Promise<T>;
  return inRealm(name, task);
}
