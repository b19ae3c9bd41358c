import * as v from 'valibot';

/** Client-generated identifiers are UUIDs (v7 by convention, any version accepted). */
export const Id = v.pipe(v.string(), v.uuid('must be a UUID'));

export const Timestamp = v.pipe(
  v.string(),
  v.isoTimestamp('must be an ISO 8601 timestamp such as 2026-01-31T08:00:00.000Z'),
);

/** Bounded text: every string from outside has a ceiling. */
export const text = (maxLength: number, minLength = 0) =>
  minLength > 0
    ? v.pipe(v.string(), v.minLength(minLength, `must not be empty`), v.maxLength(maxLength, `must be at most ${maxLength} characters`))
    : v.pipe(v.string(), v.maxLength(maxLength, `must be at most ${maxLength} characters`));

export const list = <T extends v.GenericSchema>(item: T, maxItems: number) =>
  v.pipe(v.array(item), v.maxLength(maxItems, `must have at most ${maxItems} items`));

export const integer = (min: number, max: number) =>
  v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(min, `must be at least ${min}`), v.maxValue(max, `must be at most ${max}`));

export const Tag = text(64, 1);
export const Tags = list(Tag, 50);

/** Who writes documents: a person, an endpoint agent, or the server itself (seeding, compaction). */
export const WRITER_KINDS = ['user', 'agent', 'system'] as const;
export type WriterKind = (typeof WRITER_KINDS)[number];

/**
 * Who wrote one side of a conflict and when, as far as the merging device knew: `at` is the
 * author's clock (the side's `updatedAt`, informational: field clocks are wrong), `serverAt` when
 * the server accepted that state (absent for a value that never reached the server as such).
 */
export const ConflictSide = v.strictObject({
  /** The writer's id: a user id, an agent's device id, or "system". */
  by: v.optional(text(128, 1)),
  byKind: v.optional(v.picklist(WRITER_KINDS)),
  /** A user's display name, when the merging device could know it. */
  byName: v.optional(text(200, 1)),
  at: v.optional(Timestamp),
  serverAt: v.optional(Timestamp),
});
export type ConflictSide = v.InferOutput<typeof ConflictSide>;

/**
 * A same-field conflict that the merge could not settle without choosing: the document keeps
 * `keptValue` and this record keeps `otherValue`, so nothing is lost and a person can decide.
 * `kept` and `other` say who wrote each value and when (records from before they existed have
 * neither).
 */
export const ConflictRecord = v.strictObject({
  id: text(128, 1),
  path: text(512, 1),
  keptValue: v.unknown(),
  otherValue: v.unknown(),
  recordedAt: Timestamp,
  kept: v.optional(ConflictSide),
  other: v.optional(ConflictSide),
});
export type ConflictRecord = v.InferOutput<typeof ConflictRecord>;

/** Fields every replicated document carries. */
export const documentBase = {
  id: Id,
  orgId: Id,
  /** The author's clock: informational only, never used for ordering or conflict detection. */
  updatedAt: Timestamp,
  conflicts: v.optional(list(ConflictRecord, 200)),
} as const;
