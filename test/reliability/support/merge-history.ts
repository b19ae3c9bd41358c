/**
 * What a merge run wrote, and the judgement of the end state against it. Every write puts a value
 * no other write uses (`c2#17`) into one field of one shared document, and records what the
 * writer's replica held in that field just before (`prior`): a write is "made on top of" the
 * write whose value it replaced, and of everything that one was made on top of. Pure: the
 * checks read only the history and the documents they are given.
 */

export type MergeMode = 'disjoint' | 'same-field';

export interface WriteRecord {
  value: string;
  client: number;
  userId: string;
  collection: string;
  documentId: string;
  field: string;
  /** The value the writer's replica held in the field just before writing (the last run of the change). */
  prior: unknown;
  step: number;
  /** Written in the client's replicating tab, or in a second tab of the same replica. */
  via: 'main' | 'tab';
}

export interface ConflictRecordLike {
  path?: unknown;
  keptValue?: unknown;
  otherValue?: unknown;
  /** Provenance (shared/schema/common.ts ConflictSide), checked when present: see checkProvenance. */
  kept?: { by?: unknown; byKind?: unknown; at?: unknown; serverAt?: unknown };
  other?: { by?: unknown; byKind?: unknown; at?: unknown; serverAt?: unknown };
}

/** A shared document as some holder (the server, a replica) has it. */
export interface HeldDocument {
  where: string;
  collection: string;
  document: Record<string, unknown>;
}

/** A (document, field) pair and who may write it: one client in mode disjoint, several in same-field. */
export interface FieldSlot {
  collection: string;
  documentId: string;
  field: string;
  original: string;
  writers: readonly number[];
}

export const slotKey = (documentId: string, field: string) => `${documentId}.${field}`;
const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

export class MergeHistory {
  readonly writes: WriteRecord[] = [];
  readonly #byValue = new Map<string, WriteRecord>();

  record(write: WriteRecord): void {
    if (this.#byValue.has(write.value)) throw new Error(`value ${write.value} written twice: the run must never reuse one`);
    this.writes.push(write);
    this.#byValue.set(write.value, write);
  }

  writeOf(value: unknown): WriteRecord | undefined {
    return typeof value === 'string' ? this.#byValue.get(value) : undefined;
  }

  /** Whether `later` was made on top of `earlier`: `earlier` is in the chain of values `later` replaced. */
  isOnTopOf(later: WriteRecord, earlier: WriteRecord): boolean {
    const seen = new Set<string>();
    for (let at: WriteRecord | undefined = this.writeOf(later.prior); at && !seen.has(at.value); at = this.writeOf(at.prior)) {
      if (at === earlier) return true;
      seen.add(at.value);
    }
    return false;
  }

  /** The last value each client wrote into each slot, in the order it wrote them. */
  lastWrites(): Map<string, WriteRecord> {
    const last = new Map<string, WriteRecord>();
    for (const write of this.writes) last.set(`${write.client}@${slotKey(write.documentId, write.field)}`, write);
    return last;
  }
}

function conflictsOf(document: Record<string, unknown>): ConflictRecordLike[] {
  const records = document['conflicts'];
  return Array.isArray(records) ? (records as ConflictRecordLike[]) : [];
}

interface RecordPlace {
  collection: string;
  documentId: string;
  holders: string[];
}

/** Each conflict record once (the same record is on the server and every replica), with where it is held. */
function distinctRecords(held: readonly HeldDocument[]): Map<ConflictRecordLike, RecordPlace> {
  const byKey = new Map<string, [ConflictRecordLike, RecordPlace]>();
  for (const { where, collection, document } of held) {
    for (const record of conflictsOf(document)) {
      const documentId = String(document['id']);
      const key = JSON.stringify([documentId, record.path, record.keptValue, record.otherValue]);
      const found = byKey.get(key);
      if (found) found[1].holders.push(where);
      else byKey.set(key, [record, { collection, documentId, holders: [where] }]);
    }
  }
  return new Map(byKey.values());
}

/**
 * Mode disjoint: nobody writes a field another client writes, so the merge has nothing to choose.
 * - no conflict record, on the server or in any replica;
 * - every field holds its writer's last value on the server (the original when never written);
 * - each write was made on top of its writer's previous value of that field: the writer's replica
 *   never lost its own change (this pins a failure to the write that first saw it).
 */
export function judgeDisjoint(history: MergeHistory, slots: readonly FieldSlot[], onServer: readonly HeldDocument[], inReplicas: readonly HeldDocument[]): string[] {
  const failures: string[] = [];
  for (const [record, where] of distinctRecords([...onServer, ...inReplicas])) {
    failures.push(`conflict record (at ${where.holders.join(', ')}): ${where.collection} ${where.documentId} ${show(record.path)} kept ${show(record.keptValue)} (${describeWrite(history, record.keptValue)}), other ${show(record.otherValue)} (${describeWrite(history, record.otherValue)})`);
  }
  const serverById = new Map(onServer.map((held) => [String(held.document['id']), held.document]));
  const last = history.lastWrites();
  for (const slot of slots) {
    const owner = slot.writers[0];
    const expected = owner === undefined ? undefined : last.get(`${owner}@${slotKey(slot.documentId, slot.field)}`);
    const value = serverById.get(slot.documentId)?.[slot.field];
    const wanted = expected?.value ?? slot.original;
    if (value !== wanted) {
      failures.push(`${slot.collection} ${slot.documentId}.${slot.field}: the server holds ${show(value)} (${describeWrite(history, value)}), but its only writer c${owner} last wrote ${show(wanted)}${expected ? ` at step ${expected.step}` : ''}`);
    }
  }
  const previous = new Map<string, WriteRecord>();
  for (const write of history.writes) {
    const key = slotKey(write.documentId, write.field);
    const before = previous.get(key);
    const heldBefore = before?.value ?? slots.find((s) => s.documentId === write.documentId && s.field === write.field)?.original;
    if (write.prior !== heldBefore) {
      failures.push(`step ${write.step}: c${write.client} (${write.via}) wrote ${write.value} into ${write.collection} ${key} while its replica held ${show(write.prior)} (${describeWrite(history, write.prior)}) there, not its own last value ${show(heldBefore)}`);
    }
    previous.set(key, write);
  }
  return failures;
}

/**
 * Mode same-field: several clients write the same fields.
 * - every conflict record holds two values really written, by two different writes, concurrently:
 *   neither writer held the other's value (or a value made on top of it) when writing;
 * - if records name their writers (provenance), they name the right ones;
 * - no write is lost: its value is on the server, or a later write was made on top of it, or a
 *   conflict record on the server keeps it.
 */
export function judgeSameField(history: MergeHistory, onServer: readonly HeldDocument[], inReplicas: readonly HeldDocument[]): string[] {
  const failures: string[] = [];
  for (const [record, at] of distinctRecords([...onServer, ...inReplicas])) {
    const where = `${at.collection} ${at.documentId} ${show(record.path)} (at ${at.holders.join(', ')})`;
    const kept = history.writeOf(record.keptValue);
    const other = history.writeOf(record.otherValue);
    if (!kept || !other) {
      failures.push(`false conflict: ${where}: kept ${show(record.keptValue)} (${describeWrite(history, record.keptValue)}), other ${show(record.otherValue)} (${describeWrite(history, record.otherValue)}): ${!kept && !other ? 'neither value was' : 'one value was not'} written by this run`);
      continue;
    }
    if (kept === other) {
      failures.push(`false conflict: ${where}: kept and other are the same write ${kept.value}`);
      continue;
    }
    if (history.isOnTopOf(other, kept)) {
      failures.push(`false conflict: ${where}: other ${other.value} (step ${other.step}, c${other.client}) was written on top of kept ${kept.value} (step ${kept.step}, c${kept.client}): its writer held ${show(other.prior)}`);
    } else if (history.isOnTopOf(kept, other)) {
      failures.push(`false conflict: ${where}: kept ${kept.value} (step ${kept.step}, c${kept.client}) was written on top of other ${other.value} (step ${other.step}, c${other.client}): its writer held ${show(kept.prior)}`);
    }
    failures.push(...checkProvenance(where, record, kept, other, history));
  }

  const serverById = new Map(onServer.map((held) => [String(held.document['id']), held.document]));
  const supersededBy = new Map<string, WriteRecord>();
  for (const write of history.writes) {
    const seen = new Set<string>();
    for (let at = history.writeOf(write.prior); at && !seen.has(at.value); at = history.writeOf(at.prior)) {
      seen.add(at.value);
      if (!supersededBy.has(at.value)) supersededBy.set(at.value, write);
    }
  }
  for (const write of history.writes) {
    const document = serverById.get(write.documentId);
    if (document?.[write.field] === write.value) continue;
    if (supersededBy.has(write.value)) continue;
    const isKeptAside = conflictsOf(document ?? {}).some((record) => record.path === write.field && (record.keptValue === write.value || record.otherValue === write.value));
    if (isKeptAside) continue;
    failures.push(`lost write: step ${write.step} c${write.client} (${write.via}) wrote ${write.value} into ${write.collection} ${slotKey(write.documentId, write.field)} (it held ${show(write.prior)}); the server holds ${show(document?.[write.field])} (${describeWrite(history, document?.[write.field])}), no write was made on top of it and no conflict record keeps it`);
  }
  return failures;
}

/**
 * PROVENANCE: conflict records that say who wrote each value (`kept: {by, byKind, at, serverAt}`,
 * `other: {...}`, shared/schema/common.ts ConflictSide) must name the right people. The other
 * value is the merging device's own: its writer exactly. The kept value is the server's: the
 * record names who wrote the server's version that held it (the server keeps a writer per
 * document version, not per field), so that writer must be the kept value's or one who wrote
 * the same document (whose push, maybe a merge, made that version). Records without them (written before provenance existed) pass; a
 * side that is there but names nobody, or someone else, fails.
 */
function checkProvenance(where: string, record: ConflictRecordLike, kept: WriteRecord, other: WriteRecord, history: MergeHistory): string[] {
  const failures: string[] = [];
  const writersOfDocument = new Set(history.writes.filter((write) => write.documentId === kept.documentId).map((write) => write.userId));
  for (const [name, side, write] of [
    ['kept', record.kept, kept],
    ['other', record.other, other],
  ] as const) {
    if (side === undefined) continue;
    const isRightWriter = name === 'kept' ? typeof side.by === 'string' && writersOfDocument.has(side.by) : side.by === write.userId;
    if (!isRightWriter || (side.byKind !== undefined && side.byKind !== 'user')) {
      failures.push(`wrong provenance: ${where}: ${name}.by ${show(side.by)}${side.byKind === undefined ? '' : ` (${show(side.byKind)})`}, but ${write.value} was written by c${write.client} (user ${write.userId})${name === 'kept' ? ' and the document by no such user' : ''}`);
    }
  }
  return failures;
}

/** "c2 at step 17, on top of c1#5", or "never written by this run". */
export function describeWrite(history: MergeHistory, value: unknown): string {
  const write = history.writeOf(value);
  if (!write) return 'never written by this run';
  return `c${write.client} ${write.via} at step ${write.step}, on top of ${show(write.prior)}`;
}
