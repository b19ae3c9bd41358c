import * as v from 'valibot';
import { ConflictSide, type ConflictRecord, type WriterKind } from '../schema/common.ts';
import { canonicalJson, isDeepEqual } from './canonical.ts';

/**
 * Three-way, field-level merge of one replicated document (DESIGN.md, Sync: "Conflicts lose
 * nothing"). `base` is what the client last saw of the master (RxDB's assumedMasterState),
 * `master` is the server's current state, `local` is the client's new state.
 */
export interface MergeInput<T> {
  base: T | undefined;
  master: T;
  local: T;
  /**
   * Who wrote each side, where known: every conflict record then says who wrote its kept value
   * (master) and its other value (local), with the side's `updatedAt` as the author's clock.
   */
  authors?: { master?: Writer | undefined; local?: Writer | undefined } | undefined;
}

/** Who wrote one side of a merge, as far as the caller knows it. */
export interface Writer {
  kind?: WriterKind | undefined;
  id?: string | undefined;
  /** A user's display name. */
  name?: string | undefined;
  /** When the server accepted this side's state (ISO); absent for a state that never reached it. */
  serverAt?: string | undefined;
}

type JsonObject = Record<string, unknown>;
type IdentifiedItem = JsonObject & { id: string };
type Primitive = string | number | boolean | null;

interface MergeContext {
  readonly recordedAt: string;
  /** Who wrote master's and local's values: copied into every record this merge raises. */
  readonly kept: ConflictSide | undefined;
  readonly other: ConflictSide | undefined;
  /** Conflict records raised by this merge, in field order. */
  readonly conflicts: ConflictRecord[];
}

/** Handled after the field-by-field merge: they follow their own rules. */
const DOCUMENT_LEVEL_KEYS: ReadonlySet<string> = new Set(['_deleted', 'conflicts']);
/** Bookkeeping that says nothing about content, so it never makes a delete lose to an edit. */
const NON_CONTENT_KEYS: ReadonlySet<string> = new Set(['_deleted', 'conflicts', 'updatedAt']);
const EPOCH = '1970-01-01T00:00:00.000Z';

export function mergeDocuments<T extends { conflicts?: ConflictRecord[] | undefined }>(input: MergeInput<T>): T {
  const base: JsonObject = input.base === undefined ? {} : toRecord(input.base);
  const master = toRecord(input.master);
  const local = toRecord(input.local);
  const context: MergeContext = {
    recordedAt: recordedAtOf(local, master, base),
    kept: sideOf(input.authors?.master, master),
    other: sideOf(input.authors?.local, local),
    conflicts: [],
  };

  const merged = mergeObjects(base, master, local, '', context, DOCUMENT_LEVEL_KEYS);
  if (ownValue(master, '_deleted') !== undefined || ownValue(local, '_deleted') !== undefined) {
    merged['_deleted'] = mergeDeleted(base, master, local);
  }
  const conflicts = mergeConflictLists(base, master, local, context.conflicts);
  if (conflicts.length > 0 || Array.isArray(ownValue(master, 'conflicts')) || Array.isArray(ownValue(local, 'conflicts'))) {
    merged['conflicts'] = conflicts;
  }
  // The merge rebuilt the document from T-shaped parts; the cast restores the caller's type.
  return merged as unknown as T;
}

function mergeValue(base: unknown, master: unknown, local: unknown, path: string, context: MergeContext): unknown {
  // Serialize each side once: the three comparisons below then cost string compares.
  const baseJson = canonicalJson(base);
  const masterJson = canonicalJson(master);
  const localJson = canonicalJson(local);
  if (localJson === baseJson || localJson === masterJson) return cloneJson(master);
  if (masterJson === baseJson) return cloneJson(local);

  // Both sides changed this value, differently: merge inside it where its shape allows.
  if (isPlainObject(master) && isPlainObject(local)) {
    return mergeObjects(isPlainObject(base) ? base : {}, master, local, path, context);
  }
  if (Array.isArray(master) && Array.isArray(local)) {
    const baseList: unknown[] = Array.isArray(base) ? base : [];
    if (isIdentifiedList(master) && isIdentifiedList(local)) {
      return mergeIdentifiedLists(isIdentifiedList(baseList) ? baseList : [], master, local, path, context);
    }
    if (isPrimitiveList(master) && isPrimitiveList(local)) {
      return mergePrimitiveSets(isPrimitiveList(baseList) ? baseList : [], master, local);
    }
  }
  return keepMasterAndRecord(master, local, path, context);
}

/** A key absent on one side means "unset"; unsetting is a change like any other. */
function mergeObjects(
  base: JsonObject,
  master: JsonObject,
  local: JsonObject,
  path: string,
  context: MergeContext,
  skippedKeys?: ReadonlySet<string>,
): JsonObject {
  const merged: JsonObject = {};
  for (const key of unionOfKeys(master, local)) {
    if (skippedKeys?.has(key)) continue;
    const [b, m, l] = [ownValue(base, key), ownValue(master, key), ownValue(local, key)];
    const value = key === 'updatedAt' ? mergeUpdatedAt(b, m, l) : mergeValue(b, m, l, joinPath(path, key), context);
    if (value !== undefined) setKey(merged, key, value);
  }
  return merged;
}

/** The author's clock is informational: a clash never becomes a conflict record. */
function mergeUpdatedAt(base: unknown, master: unknown, local: unknown): unknown {
  if (isDeepEqual(local, base)) return cloneJson(master);
  if (isDeepEqual(master, base)) return cloneJson(local);
  if (typeof master === 'string' && typeof local === 'string') return local > master ? local : master;
  return typeof local === 'string' ? local : cloneJson(master);
}

/**
 * Steps, mitigations, contacts, disks…: items merge by id. Nobody's change is dropped: an item
 * removed on one side survives when the other side changed it.
 */
function mergeIdentifiedLists(
  base: readonly IdentifiedItem[],
  master: readonly IdentifiedItem[],
  local: readonly IdentifiedItem[],
  path: string,
  context: MergeContext,
): IdentifiedItem[] {
  const baseById = indexById(base);
  const masterById = indexById(master);
  const localById = indexById(local);
  const kept = new Map<string, IdentifiedItem>();
  for (const id of [...masterById.keys(), ...localById.keys()]) {
    if (kept.has(id)) continue;
    const [b, m, l] = [baseById.get(id), masterById.get(id), localById.get(id)];
    let item: unknown;
    if (m !== undefined && l !== undefined) item = mergeValue(b, m, l, `${path}[id=${id}]`, context);
    else item = survivorOfOneSidedRemoval(b, m ?? l);
    if (item !== undefined) kept.set(id, item as IdentifiedItem);
  }
  return orderLikeMaster([...masterById.keys()], [...localById.keys()], kept);
}

/** Present on one side only: an addition, an untouched removal (gone), or an edit (kept). */
function survivorOfOneSidedRemoval(base: unknown, present: unknown): unknown {
  if (base === undefined || !isDeepEqual(present, base)) return cloneJson(present);
  return undefined;
}

/** Tags, ips, deviceIds…: a three-way set, so additions from both sides and removals from either apply. */
function mergePrimitiveSets(base: readonly Primitive[], master: readonly Primitive[], local: readonly Primitive[]): Primitive[] {
  const inBase = new Set(base.map(keyOfPrimitive));
  const inMaster = new Set(master.map(keyOfPrimitive));
  const inLocal = new Set(local.map(keyOfPrimitive));
  const merged: Primitive[] = [];
  const seen = new Set<string>();
  const add = (value: Primitive, key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    merged.push(value);
  };
  for (const value of master) {
    const key = keyOfPrimitive(value);
    if (inLocal.has(key) || !inBase.has(key)) add(value, key);
  }
  for (const value of local) {
    const key = keyOfPrimitive(value);
    if (!inMaster.has(key) && !inBase.has(key)) add(value, key);
  }
  return merged;
}

/**
 * The master value stays (the server accepted it and others already see it, so it must not flip
 * under them); the local value goes into a record a person can resolve.
 */
function keepMasterAndRecord(master: unknown, local: unknown, path: string, context: MergeContext): unknown {
  // JSON has no undefined and the record must survive the wire and validation: unset is null.
  const otherValue = cloneJson(local) ?? null;
  context.conflicts.push({
    id: conflictId(path, otherValue),
    path,
    keptValue: cloneJson(master) ?? null,
    otherValue,
    recordedAt: context.recordedAt,
    // Copies: records never share structure with each other.
    ...(context.kept ? { kept: { ...context.kept } } : {}),
    ...(context.other ? { other: { ...context.other } } : {}),
  });
  return cloneJson(master);
}

const SIDE_FIELDS = ConflictSide.entries;

/**
 * One side's provenance for its records: the writer as given, the side's `updatedAt` as the
 * author's clock. A field the record schema would refuse is left out, never sent: the server
 * refuses a whole push over one invalid record, and the merged document must reach it.
 */
function sideOf(writer: Writer | undefined, document: JsonObject): ConflictSide | undefined {
  if (writer === undefined) return undefined;
  const candidates: [keyof ConflictSide, unknown][] = [
    ['by', writer.id],
    ['byKind', writer.kind],
    ['byName', writer.name],
    ['at', ownValue(document, 'updatedAt')],
    ['serverAt', writer.serverAt],
  ];
  const side: Record<string, unknown> = {};
  for (const [key, value] of candidates) {
    if (value !== undefined && v.is(SIDE_FIELDS[key].wrapped, value)) side[key] = value;
  }
  return Object.keys(side).length > 0 ? (side as ConflictSide) : undefined;
}

/**
 * Union of both sides' records, except that a record one side removed stays removed (removing
 * it is how a person resolves a conflict), plus this merge's new records.
 */
function mergeConflictLists(base: JsonObject, master: JsonObject, local: JsonObject, fresh: readonly ConflictRecord[]): ConflictRecord[] {
  const baseIds = new Set(conflictsOf(base).map((record) => record.id));
  const masterById = indexById(conflictsOf(master));
  const localById = indexById(conflictsOf(local));
  const kept = new Map<string, ConflictRecord>();
  for (const [id, record] of [...localById, ...masterById]) {
    const isOnBothSides = masterById.has(id) && localById.has(id);
    // Records are immutable, so the one on both sides is the same record: master's copy is taken.
    if (isOnBothSides || !baseIds.has(id)) kept.set(id, cloneJson(record) as ConflictRecord);
  }
  const merged = orderLikeMaster([...masterById.keys()], [...localById.keys()], kept);
  const present = new Set(merged.map((record) => record.id));
  for (const record of fresh) {
    if (present.has(record.id)) continue;
    present.add(record.id);
    merged.push(record);
  }
  return merged;
}

/**
 * An edit beats a delete, so no change is lost: a deletion stands only when the other side left
 * the content as it was.
 */
function mergeDeleted(base: JsonObject, master: JsonObject, local: JsonObject): boolean {
  const wasDeleted = base['_deleted'] === true;
  const isDeletedOnMaster = master['_deleted'] === true;
  const isDeletedOnLocal = local['_deleted'] === true;
  if (isDeletedOnMaster === isDeletedOnLocal) return isDeletedOnMaster;
  if (isDeletedOnMaster !== wasDeleted) return isDeletedOnMaster && !hasContentChange(base, local);
  return isDeletedOnLocal && !hasContentChange(base, master);
}

function hasContentChange(base: JsonObject, side: JsonObject): boolean {
  for (const key of unionOfKeys(base, side)) {
    if (!NON_CONTENT_KEYS.has(key) && !isDeepEqual(ownValue(base, key), ownValue(side, key))) return true;
  }
  // A record added since the base holds an edit that lost a clash: an edit, so it beats a delete
  // its deleter never saw. (Removing records is a person resolving them: bookkeeping.)
  const baseIds = new Set(conflictsOf(base).map((record) => record.id));
  return conflictsOf(side).some((record) => !baseIds.has(record.id));
}

/**
 * Master's order, with each local-only item placed after the item that precedes it in local (or
 * first): both sides' orderings survive as far as they can, deterministically.
 */
function orderLikeMaster<V>(masterIds: readonly string[], localIds: readonly string[], kept: ReadonlyMap<string, V>): V[] {
  const inMaster = new Set(masterIds);
  const START = Symbol('start');
  const followers = new Map<string | symbol, string[]>();
  let anchor: string | symbol = START;
  for (const id of localIds) {
    if (!kept.has(id)) continue;
    if (!inMaster.has(id)) followers.set(anchor, [...(followers.get(anchor) ?? []), id]);
    anchor = id;
  }
  const ordered: V[] = [];
  // Iterative, not recursive: a long run of local additions (step results) chains one after another.
  const emitFollowersOf = (key: string | symbol) => {
    const pending = [...(followers.get(key) ?? [])].reverse();
    for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
      ordered.push(kept.get(id) as V);
      pending.push(...[...(followers.get(id) ?? [])].reverse());
    }
  };
  emitFollowersOf(START);
  for (const id of masterIds) {
    const value = kept.get(id);
    if (value === undefined) continue;
    ordered.push(value);
    emitFollowersOf(id);
  }
  return ordered;
}

/** Stable across engines and runs, no Node crypto: this runs in browsers too. */
function conflictId(path: string, otherValue: unknown): string {
  return `c-${fnv1a64(`${path}\u0000${canonicalJson(otherValue)}`)}`;
}

const FNV_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;

function fnv1a64(text: string): string {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of new TextEncoder().encode(text)) {
    hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * FNV_PRIME);
  }
  return hash.toString(16).padStart(16, '0');
}

function recordedAtOf(local: JsonObject, master: JsonObject, base: JsonObject): string {
  for (const side of [local, master, base]) {
    const updatedAt = ownValue(side, 'updatedAt');
    if (typeof updatedAt === 'string') return updatedAt;
  }
  return EPOCH;
}

function conflictsOf(document: JsonObject): ConflictRecord[] {
  const list = ownValue(document, 'conflicts');
  return Array.isArray(list) && isIdentifiedList(list) ? (list as unknown as ConflictRecord[]) : [];
}

function isIdentifiedList(list: readonly unknown[]): list is IdentifiedItem[] {
  const ids = new Set<string>();
  for (const item of list) {
    if (!isPlainObject(item) || typeof item['id'] !== 'string' || ids.has(item['id'])) return false;
    ids.add(item['id']);
  }
  return true;
}

function isPrimitiveList(list: readonly unknown[]): list is Primitive[] {
  return list.every((item) => item === null || ['string', 'number', 'boolean'].includes(typeof item));
}

function keyOfPrimitive(value: Primitive): string {
  return canonicalJson(value);
}

function indexById<V extends { id: string }>(list: readonly V[]): Map<string, V> {
  return new Map(list.map((item) => [item.id, item]));
}

function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function toRecord(document: object): JsonObject {
  return document as JsonObject;
}

/** Own properties only: a key such as `constructor` must not read Object.prototype's. */
function ownValue(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function unionOfKeys(first: JsonObject, second: JsonObject): string[] {
  const keys = Object.keys(first);
  for (const key of Object.keys(second)) if (!Object.hasOwn(first, key)) keys.push(key);
  return keys;
}

function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Deep copy of JSON-shaped data, so the result never shares structure with the inputs. */
function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (!isPlainObject(value)) return value;
  const copy: JsonObject = {};
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item !== undefined) setKey(copy, key, cloneJson(item));
  }
  return copy;
}

/** Defines rather than assigns, so a `__proto__` key stays data instead of changing the prototype. */
function setKey(object: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
