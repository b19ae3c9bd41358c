import {
  createRevision,
  getComposedPrimaryKeyOfDocumentData,
  getRxReplicationMetaInstanceSchema,
  hasEncryption,
  now,
  type RxCollection,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorageInstance,
  type RxStorageReplicationMeta,
} from 'rxdb';

/**
 * RxDB keeps each replication's checkpoints and assumed master states in a storage instance of
 * its own (the "meta instance"). The bulk catch-up and the conflict bases write there directly,
 * in RxDB's own format, so the replication continues from what they wrote as if it had written
 * it itself. Names and formats follow rxdb/src/replication-protocol (v17).
 */
type Meta = RxStorageReplicationMeta<unknown, unknown>;
export type MetaInstance = RxStorageInstance<Meta, unknown, unknown>;
export type Direction = 'up' | 'down';

/** The same name RxDB's replicateRxCollection gives the meta instance of this replication. */
export async function metaCollectionName(collection: RxCollection, replicationIdentifier: string): Promise<string> {
  return `rx-replication-meta-${await collection.database.hashFunction([collection.name, replicationIdentifier].join('-'))}`;
}

/** What RxDB writes into a document's `_meta.o`: the hash of the replication that pulled it. */
export function replicationHash(collection: RxCollection, replicationIdentifier: string): Promise<string> {
  return collection.database.hashFunction(`rxdbreplication${replicationIdentifier}`);
}

export async function openMetaInstance(collection: RxCollection, replicationIdentifier: string): Promise<MetaInstance> {
  const database = collection.database;
  const schema = getRxReplicationMetaInstanceSchema(collection.schema.jsonSchema, hasEncryption(collection.schema.jsonSchema));
  return (await database.storage.createStorageInstance({
    databaseName: database.name,
    collectionName: await metaCollectionName(collection, replicationIdentifier),
    databaseInstanceToken: database.token,
    multiInstance: database.multiInstance,
    options: {},
    schema: schema as RxJsonSchema<RxDocumentData<Meta>>,
    password: database.password,
    devMode: false,
  })) as MetaInstance;
}

const checkpointId = (meta: MetaInstance, direction: Direction) =>
  getComposedPrimaryKeyOfDocumentData(meta.schema, { isCheckpoint: '1', itemId: direction });

const assumedMasterId = (meta: MetaInstance, documentId: string) =>
  getComposedPrimaryKeyOfDocumentData(meta.schema, { isCheckpoint: '0', itemId: documentId });

async function findCheckpointDocument(meta: MetaInstance, direction: Direction): Promise<RxDocumentData<Meta> | undefined> {
  return (await meta.findDocumentsById([checkpointId(meta, direction)], false))[0];
}

export async function readCheckpoint<C>(meta: MetaInstance, direction: Direction): Promise<C | undefined> {
  return (await findCheckpointDocument(meta, direction))?.checkpointData as C | undefined;
}

export async function writeCheckpoint<C>(meta: MetaInstance, direction: Direction, checkpoint: C, token: string): Promise<void> {
  const previous = await findCheckpointDocument(meta, direction);
  const document: RxDocumentData<Meta> = {
    id: checkpointId(meta, direction),
    isCheckpoint: '1',
    itemId: direction,
    checkpointData: checkpoint,
    _deleted: false,
    _attachments: {},
    _meta: { lwt: now() },
    _rev: createRevision(token, previous),
  };
  const result = await meta.bulkWrite([{ document, ...(previous ? { previous } : {}) }], 'replication-set-checkpoint');
  const error = result.error[0];
  if (error) throw new Error(`could not store the ${direction} checkpoint (status ${error.status})`);
}

/** The assumed master state the replication keeps for a document, if any (its meta row). */
export async function findAssumedMaster(meta: MetaInstance, documentId: string): Promise<RxDocumentData<Meta> | undefined> {
  return (await meta.findDocumentsById([assumedMasterId(meta, documentId)], true))[0];
}

/** The assumed master states the replication keeps for these documents, by id. */
export async function findAssumedMasters(meta: MetaInstance, documentIds: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  const found = await meta.findDocumentsById(
    documentIds.map((id) => assumedMasterId(meta, id)),
    true,
  );
  return new Map(found.map((row) => [row.itemId, row.docData as Record<string, unknown>]));
}

/** The ids, among these, whose assumed master state the replication already keeps. */
export async function idsWithAssumedMaster(meta: MetaInstance, documentIds: readonly string[]): Promise<Set<string>> {
  const found = await meta.findDocumentsById(
    documentIds.map((id) => assumedMasterId(meta, id)),
    true,
  );
  return new Set(found.map((document) => document.itemId));
}

/**
 * Records master states as the replication's assumed master states, where it has none yet.
 * A concurrent writer that got there first wins: its state is at least as recent.
 */
export async function insertAssumedMasters(meta: MetaInstance, states: readonly Record<string, unknown>[], token: string): Promise<void> {
  await writeAssumedMasters(meta, states, new Map(), token);
}

/**
 * Records these master states as the replication's assumed master states, replacing what it
 * keeps. A row changed meanwhile by another writer stays as that writer left it.
 */
export async function replaceAssumedMasters(meta: MetaInstance, states: readonly Record<string, unknown>[], token: string): Promise<void> {
  if (states.length === 0) return;
  const current = await meta.findDocumentsById(
    states.map((state) => assumedMasterId(meta, String(state['id']))),
    true,
  );
  await writeAssumedMasters(meta, states, new Map(current.map((row) => [row.itemId, row])), token);
}

/** Writes assumed master rows over `previous` (by document id; none: an insert). A 409 means another writer was first. */
async function writeAssumedMasters(meta: MetaInstance, states: readonly Record<string, unknown>[], previous: ReadonlyMap<string, RxDocumentData<Meta>>, token: string): Promise<void> {
  if (states.length === 0) return;
  const rows = states.map((docData) => {
    const itemId = String(docData['id']);
    const replaced = previous.get(itemId);
    const document = {
      id: assumedMasterId(meta, itemId),
      isCheckpoint: '0',
      itemId,
      docData,
      _deleted: false,
      _attachments: {},
      _meta: { lwt: now() },
      _rev: createRevision(token, replaced),
    } as RxDocumentData<Meta>;
    return replaced ? { document, previous: replaced } : { document };
  });
  const result = await meta.bulkWrite(rows, 'replication-down-write-meta');
  const failed = result.error.find((error) => error.status !== 409);
  if (failed) throw new Error(`could not store a conflict base (status ${failed.status})`);
}

/** A document's latest pushed states are kept as a checkpoint-kind row of their own (see own-pushes.ts). */
const pushedRowId = (meta: MetaInstance, documentId: string) => getComposedPrimaryKeyOfDocumentData(meta.schema, { isCheckpoint: '1', itemId: `pushed:${documentId}` });

export interface PushedStates {
  states: Record<string, unknown>[];
  /** The assumed master state they were all pushed on. */
  base?: Record<string, unknown>;
  /** The last master the server answered a push of this document with, and the base that push carried. */
  answered?: AnsweredMaster;
  row?: RxDocumentData<Meta>;
}

export interface AnsweredMaster {
  on?: Record<string, unknown>;
  master: Record<string, unknown>;
}

type PushedStatesData = Omit<PushedStates, 'row'>;

/** The pushed states remembered for these documents, by id (none for a document never pushed). */
export async function readPushedStates(meta: MetaInstance, documentIds: readonly string[]): Promise<Map<string, PushedStates>> {
  const rows = await meta.findDocumentsById(
    documentIds.map((id) => pushedRowId(meta, id)),
    false,
  );
  const byRowId = new Map(rows.map((row) => [row.id, row]));
  return new Map(
    documentIds.map((id) => {
      const row = byRowId.get(pushedRowId(meta, id));
      const data = row?.checkpointData as Partial<PushedStatesData> | undefined;
      return [id, { ...data, states: data?.states ?? [], ...(row ? { row } : {}) }];
    }),
  );
}

/** Stores each document's pushed states, replacing the rows read by readPushedStates. */
export async function writePushedStates(
  meta: MetaInstance,
  entries: readonly {
    documentId: string;
    states: Record<string, unknown>[];
    base?: Record<string, unknown> | undefined;
    answered?: AnsweredMaster | undefined;
    previous?: RxDocumentData<Meta> | undefined;
  }[],
  token: string,
): Promise<void> {
  const rows = entries.map(({ documentId, previous, ...data }) => ({
    document: {
      id: pushedRowId(meta, documentId),
      isCheckpoint: '1',
      itemId: `pushed:${documentId}`,
      checkpointData: Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined)),
      _deleted: false,
      _attachments: {},
      _meta: { lwt: now() },
      _rev: createRevision(token, previous),
    } as RxDocumentData<Meta>,
    ...(previous ? { previous } : {}),
  }));
  if (rows.length === 0) return;
  const result = await meta.bulkWrite(rows, 'outpost-pushed-states');
  const failed = result.error[0];
  if (failed) throw new Error(`could not remember a pushed state (status ${failed.status})`);
}
