import { isDeepEqual } from '../merge/canonical.ts';

/**
 * Fields that are not content: the author's clock and the merge's conflict records may change
 * in any update, and `_deleted` is judged by the kind of write.
 */
const BOOKKEEPING_FIELDS: ReadonlySet<string> = new Set(['updatedAt', 'conflicts', '_deleted']);

/**
 * Top-level content fields whose value differs between two states (as canonical JSON, so key
 * order and `undefined` properties make no difference). Without a `before`, every field set.
 */
export function changedFields(before: Readonly<Record<string, unknown>> | undefined, after: Readonly<Record<string, unknown>>): string[] {
  const fields = new Set([...Object.keys(after), ...Object.keys(before ?? {})]);
  return [...fields].filter((field) => !BOOKKEEPING_FIELDS.has(field) && !isDeepEqual(before?.[field], after[field]));
}

export type AppendOnlyViolation =
  /** Not a list, or an item without a string `id`. */
  | 'malformed'
  /** An earlier item is missing. */
  | 'removed'
  /** An earlier item (same id) has different content. */
  | 'changed'
  /** A new item is not attributed (`by`) to the writer. */
  | 'not-by-author';

/**
 * Checks a list of identified records that may only grow: every earlier item, matched by id,
 * stays present and unchanged (order aside), and every new item is by `authorId`.
 * An absent list counts as empty.
 */
export function appendOnlyViolation(before: unknown, after: unknown, authorId: string): AppendOnlyViolation | undefined {
  const earlier = itemsById(before ?? []);
  const later = after ?? [];
  if (earlier === undefined || !Array.isArray(later)) return 'malformed';
  const seen = new Set<string>();
  for (const item of later) {
    const id = idOf(item);
    if (id === undefined) return 'malformed';
    const previous = earlier.get(id);
    if (previous === undefined) {
      if ((item as Record<string, unknown>)['by'] !== authorId) return 'not-by-author';
    } else if (!isDeepEqual(previous, item)) {
      return 'changed';
    }
    seen.add(id);
  }
  return [...earlier.keys()].every((id) => seen.has(id)) ? undefined : 'removed';
}

function itemsById(list: unknown): Map<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined;
  const byId = new Map<string, unknown>();
  for (const item of list) {
    const id = idOf(item);
    if (id === undefined) return undefined;
    byId.set(id, item);
  }
  return byId;
}

function idOf(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const id = (item as Record<string, unknown>)['id'];
  return typeof id === 'string' ? id : undefined;
}
