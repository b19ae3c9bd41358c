/**
 * The paths that conflict records carry (see merge.ts): object keys joined by dots, and list
 * items named by id — `title`, `links.deviceIds`, `mitigations[id=0191…].dueAt`. Resolving a
 * conflict in favour of the other value writes that value back at its path.
 */
export type PathStep = { key: string } | { itemId: string };

const STEP = /\[id=([^\]]*)\]|([^.[\]]+)/g;

export function parseConflictPath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  for (const match of path.matchAll(STEP)) {
    if (match[1] !== undefined) steps.push({ itemId: match[1] });
    else if (match[2] !== undefined) steps.push({ key: match[2] });
  }
  return steps;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function child(container: unknown, step: PathStep): unknown {
  if ('key' in step) return isObject(container) && Object.hasOwn(container, step.key) ? container[step.key] : undefined;
  return Array.isArray(container) ? container.find((item) => isObject(item) && item['id'] === step.itemId) : undefined;
}

/** The value at `path` now, or undefined when it (or an item on the way) is gone. */
export function valueAtPath(document: unknown, path: string): unknown {
  let current = document;
  for (const step of parseConflictPath(path)) current = child(current, step);
  return current;
}

export type PathWrite<T> = { ok: true; document: T } | { ok: false; reason: string };

/**
 * A copy of `document` with `value` at `path`; null unsets (the merge records an unset field
 * as null, since JSON has no undefined). Refused when a list item on the way no longer exists.
 */
export function setAtPath<T>(document: T, path: string, value: unknown): PathWrite<T> {
  const steps = parseConflictPath(path);
  if (steps.length === 0) return { ok: false, reason: 'the conflict names no field' };
  const write = (container: unknown, index: number): PathWrite<unknown> => {
    const step = steps[index]!;
    const isLast = index === steps.length - 1;
    if ('key' in step) {
      if (container !== undefined && !isObject(container)) return { ok: false, reason: `${step.key} is not inside an object any more` };
      const copy: Json = { ...(container ?? {}) };
      if (isLast) {
        if (value === null) delete copy[step.key];
        else copy[step.key] = value;
        return { ok: true, document: copy };
      }
      const inner = write(copy[step.key], index + 1);
      if (!inner.ok) return inner;
      copy[step.key] = inner.document;
      return { ok: true, document: copy };
    }
    if (!Array.isArray(container)) return { ok: false, reason: 'the list holding this item is gone' };
    const position = container.findIndex((item) => isObject(item) && item['id'] === step.itemId);
    if (position < 0) return { ok: false, reason: 'the item this value belonged to has been removed' };
    const copy = [...container];
    if (isLast) {
      if (value === null) copy.splice(position, 1);
      else copy[position] = value;
      return { ok: true, document: copy };
    }
    const inner = write(copy[position], index + 1);
    if (!inner.ok) return inner;
    copy[position] = inner.document;
    return { ok: true, document: copy };
  };
  return write(document, 0) as PathWrite<T>;
}
