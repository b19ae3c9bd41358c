import { diffArrays, diffLines, diffWords, type Change } from 'diff';
import type { RunbookStep } from '../schema/runbook.ts';
import type { RunbookVersion } from '../schema/runbook-version.ts';

/** One run of text: unchanged, or only in the older or only in the newer version. */
export interface TextPart {
  kind: 'same' | 'removed' | 'added';
  text: string;
}

export interface FieldChange {
  field: string;
  /** Word by word, for a person to read. */
  parts: TextPart[];
}

export type StepChange =
  | { kind: 'added'; step: RunbookStep; position: number }
  | { kind: 'removed'; step: RunbookStep; position: number }
  | { kind: 'changed'; stepId: string; from: number; to: number; fields: FieldChange[] }
  | { kind: 'moved'; stepId: string; from: number; to: number };

export interface VersionDiff {
  from: number;
  to: number;
  /** Title, summary and tags that changed. */
  fields: FieldChange[];
  /** The long-form text, line by line. */
  body: TextPart[];
  /** Steps matched by id: added, removed, changed (field by field) or only moved. */
  steps: StepChange[];
  isSame: boolean;
}

const STEP_FIELDS = ['instruction', 'check', 'expectedResult', 'commonErrors', 'rollback'] as const;

const partsOf = (changes: readonly Change[]): TextPart[] =>
  changes.map((change) => ({ kind: change.added ? 'added' : change.removed ? 'removed' : 'same', text: change.value }));

function fieldChange(field: string, before: string, after: string): FieldChange[] {
  return before === after ? [] : [{ field, parts: partsOf(diffWords(before, after)) }];
}

function stepChanges(older: readonly RunbookStep[], newer: readonly RunbookStep[]): StepChange[] {
  const olderById = new Map(older.map((step, index) => [step.id, { step, index }]));
  const newerIds = new Set(newer.map((step) => step.id));
  const changes: StepChange[] = older.flatMap((step, position): StepChange[] => (newerIds.has(step.id) ? [] : [{ kind: 'removed', step, position }]));
  // Moved: off the longest run of steps both versions keep in the same order (so moving one
  // step reports that step, not every step it passed).
  const olderIds = new Set(olderById.keys());
  const sharedOlder = older.filter((step) => newerIds.has(step.id)).map((step) => step.id);
  const sharedNewer = newer.filter((step) => olderIds.has(step.id)).map((step) => step.id);
  const moved = new Set(diffArrays(sharedOlder, sharedNewer).flatMap((change) => (change.added ? change.value : [])));
  newer.forEach((step, position) => {
    const before = olderById.get(step.id);
    if (!before) {
      changes.push({ kind: 'added', step, position });
      return;
    }
    const fields = STEP_FIELDS.flatMap((field) => fieldChange(field, before.step[field] ?? '', step[field] ?? ''));
    if (fields.length > 0) changes.push({ kind: 'changed', stepId: step.id, from: before.index, to: position, fields });
    else if (moved.has(step.id)) changes.push({ kind: 'moved', stepId: step.id, from: before.index, to: position });
  });
  return changes;
}

/** What changed from one frozen version of a runbook to another (or to its current state). */
export function diffVersions(older: RunbookVersion, newer: RunbookVersion): VersionDiff {
  const fields = [
    ...fieldChange('title', older.title, newer.title),
    ...fieldChange('summary', older.summary, newer.summary),
    ...fieldChange('tags', older.tags.join(', '), newer.tags.join(', ')),
  ];
  const body = partsOf(diffLines(older.body, newer.body));
  const steps = stepChanges(older.steps, newer.steps);
  return { from: older.version, to: newer.version, fields, body, steps, isSame: fields.length === 0 && steps.length === 0 && body.every((p) => p.kind === 'same') };
}
