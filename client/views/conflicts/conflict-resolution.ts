import { parseConflictPath, setAtPath, valueAtPath } from '../../../shared/merge/conflict-path.ts';
import type { ConflictRecord } from '../../../shared/schema/common.ts';

/** What a person decided: the kept value stays, the other value is taken, or a value they wrote. */
export type Resolution = { kind: 'keep' } | { kind: 'other' } | { kind: 'merged'; value: unknown };

type WithConflicts = { conflicts?: ConflictRecord[] | undefined };
export type Resolved<T> = { ok: true; document: T } | { ok: false; reason: string };

/** The document with the decision applied at the record's path and the record gone. */
export function resolveConflict<T extends WithConflicts>(document: T, record: ConflictRecord, resolution: Resolution): Resolved<T> {
  let next: T = document;
  if (resolution.kind !== 'keep') {
    const written = setAtPath(document, record.path, resolution.kind === 'other' ? record.otherValue : resolution.value);
    if (!written.ok) return written;
    next = written.document;
  }
  return { ok: true, document: { ...next, conflicts: (next.conflicts ?? []).filter((r) => r.id !== record.id) } };
}

/** How a value reads in the side-by-side view: text as it is, everything else as JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '(empty)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

/** The text a merged value starts from: the kept value, in the form it is edited in. */
export const editableText = (value: unknown): string => (value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value, null, 2));

/**
 * Reads what the person typed as a value of the same kind as the conflicting ones: text stays
 * text, numbers and yes/no must parse, anything else must be JSON. An empty field unsets.
 */
export function parseMergedValue(text: string, record: Pick<ConflictRecord, 'keptValue' | 'otherValue'>): Resolved<unknown> {
  const sample = record.keptValue ?? record.otherValue;
  if (typeof sample === 'string') return { ok: true, document: text };
  if (text.trim() === '') return { ok: true, document: null };
  if (typeof sample === 'number') {
    const number = Number(text.trim());
    return Number.isFinite(number) ? { ok: true, document: number } : { ok: false, reason: 'must be a number' };
  }
  if (typeof sample === 'boolean') {
    const answer = text.trim().toLowerCase();
    if (answer === 'true' || answer === 'false') return { ok: true, document: answer === 'true' };
    return { ok: false, reason: 'must be true or false' };
  }
  try {
    return { ok: true, document: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'must be valid JSON, like the values shown' };
  }
}

const ITEM_NAME_KEYS = ['title', 'action', 'name', 'instruction', 'text', 'hostname'];
const words = (key: string) => key.replace(/Id$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** "Mitigations › Raise the rack › due at": the path in words, list items by their own name. */
export function describePath(document: unknown, path: string): string {
  const parts: string[] = [];
  let walked = '';
  for (const step of parseConflictPath(path)) {
    if ('key' in step) {
      walked = walked ? `${walked}.${step.key}` : step.key;
      parts.push(words(step.key));
      continue;
    }
    walked = `${walked}[id=${step.itemId}]`;
    const item = valueAtPath(document, walked) as Record<string, unknown> | undefined;
    const name = ITEM_NAME_KEYS.map((key) => item?.[key]).find((value): value is string => typeof value === 'string' && value !== '');
    parts.push(name ? `“${name}”` : 'a removed item');
  }
  const text = parts.join(' › ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
