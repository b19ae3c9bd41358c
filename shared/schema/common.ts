import * as v from 'valibot';

/** Client-generated identifiers are UUIDs (v7 by convention, any version accepted). */
export const Id = v.pipe(v.string(), v.uuid('must be a UUID'));

export const Timestamp = v.pipe(
  v.string(),
  v.isoTimestamp('must be an ISO 8601 timestamp such as 2026-01-31T08:00:00.000Z'),
);

/**
 * Characters no field of ours needs and that hide or disguise what a person reads: NUL (cuts C
 * strings and PostgreSQL text), the byte-order mark U+FEFF, and the bidirectional embeddings,
 * overrides and isolates U+202A–U+202E and U+2066–U+2069 (U+202E shows a title reversed). The
 * implicit marks U+200E and U+200F stay: mixed Hebrew or Arabic text needs them.
 */
const FORBIDDEN_CHARACTERS = /[\u0000\ufeff\u202a-\u202e\u2066-\u2069]/;
const FORBIDDEN_CHARACTERS_ALL = new RegExp(FORBIDDEN_CHARACTERS.source, 'g');
/** A UTF-16 surrogate without its partner: not a character, and not valid UTF-8 once stored. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES_ALL = new RegExp(LONE_SURROGATE.source, 'g');

/** Whether a string holds only characters a text field accepts (see `text`). */
export function isCleanText(value: string): boolean {
  return !FORBIDDEN_CHARACTERS.test(value) && !LONE_SURROGATE.test(value);
}

/** The string without the characters `text` refuses: for writers that report text they did not type (the agent). */
export function withoutForbiddenCharacters(value: string): string {
  return value.replace(FORBIDDEN_CHARACTERS_ALL, '').replace(LONE_SURROGATES_ALL, '');
}

const cleanText = v.check(
  (input: string) => isCleanText(input),
  (issue) =>
    LONE_SURROGATE.test(issue.input)
      ? 'must be well-formed Unicode text (it holds a lone surrogate)'
      : 'must not contain NUL, a byte-order mark (U+FEFF) or bidirectional control characters (U+202A–U+202E, U+2066–U+2069)',
);

/**
 * Bounded text: every string from outside has a ceiling, and is refused (not silently changed,
 * so what a client stored stays what the server stores) when it holds NUL, a byte-order mark, a
 * bidirectional control or a lone surrogate. A refinement (`check`), so the replica schema
 * derived from this one stays as it was.
 */
export const text = (maxLength: number, minLength = 0) =>
  minLength > 0
    ? v.pipe(v.string(), v.minLength(minLength, `must not be empty`), v.maxLength(maxLength, `must be at most ${maxLength} characters`), cleanText)
    : v.pipe(v.string(), v.maxLength(maxLength, `must be at most ${maxLength} characters`), cleanText);

/**
 * How deep a free-form value from outside may nest. Our documents nest a few levels; comparing
 * (canonical JSON) and merging recurse, so a value 20,000 levels deep must be refused before.
 */
export const MAX_NESTING_DEPTH = 32;

/**
 * Whether a JSON-like value nests at most `maxDepth` levels of arrays and objects and its
 * strings (keys too) are clean text. Walks without recursion, so it cannot overflow itself.
 */
export function isBoundedValue(value: unknown, maxDepth = MAX_NESTING_DEPTH): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: item, depth } = next;
    if (typeof item === 'string') {
      if (!isCleanText(item)) return false;
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= maxDepth) return false;
    const children = Array.isArray(item) ? item : Object.entries(item).flat();
    for (const child of children) pending.push({ value: child, depth: depth + 1 });
  }
  return true;
}

/** Any JSON value, within the nesting bound and with clean strings: what a conflict record keeps. */
export const BoundedValue = v.pipe(
  v.unknown(),
  v.check(isBoundedValue, `must not nest deeper than ${MAX_NESTING_DEPTH} levels, nor hold NUL, byte-order marks, bidirectional controls or lone surrogates`),
);

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
  keptValue: BoundedValue,
  otherValue: BoundedValue,
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
