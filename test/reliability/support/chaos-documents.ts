import type { RxDocument } from 'rxdb';
import type { TestClient } from '../../support/client.ts';
import { isWorkloadValue, valuesIn, type WriteInfo } from './set-accounting.ts';

/** The collections the workload writes, and the fields ("slots") that carry its values. */
export const SLOTS = {
  devices: ['notes', 'assignee', 'model'],
  incidents: ['title', 'summary'],
  timeline: ['text'],
} as const;
export type WorkloadCollection = keyof typeof SLOTS;
export const WORKLOAD_COLLECTIONS = Object.keys(SLOTS) as WorkloadCollection[];

/**
 * One write, every choice made in advance by the run's seeded stream: `pick` and `slotPick`
 * (in [0, 1)) choose among what the replica holds, `value` and `id` were never used before.
 */
export interface WriteCommand {
  kind: 'create' | 'update' | 'delete' | 'resolve';
  collection: WorkloadCollection;
  pick: number;
  slotPick: number;
  value: string;
  id: string;
}

export interface WriteOutcome {
  /** What was done ("update devices"), undefined when there was nothing to do it to. */
  label: string | undefined;
  written?: WriteInfo & { value: string };
  /** The document deleted (for the trace). */
  target?: string;
  /** Values the writer saw and replaced. */
  replaced: string[];
}

export interface Author {
  index: number;
  userId: string;
  orgId: string;
  siteId: string;
}

type Plain = Record<string, unknown>;
type AnyDocument = RxDocument<Plain>;
type AnyCollection = { find(): { exec(): Promise<AnyDocument[]> }; insert(document: Plain): Promise<unknown> };

const now = () => new Date().toISOString();
const pickFrom = <T>(items: readonly T[], pick: number): T => items[Math.min(items.length - 1, Math.floor(pick * items.length))] as T;
const collectionOf = (client: TestClient, name: WorkloadCollection) => (client.db.collections as unknown as Record<string, AnyCollection>)[name] as AnyCollection;

/** Live documents in the replica, in id order, so the same pick finds the same document. */
async function liveDocuments(client: TestClient, collection: WorkloadCollection): Promise<AnyDocument[]> {
  return (await collectionOf(client, collection).find().exec()).sort((a, b) => (a.primary < b.primary ? -1 : 1));
}

function newDocument(collection: WorkloadCollection, command: WriteCommand, author: Author, incidentId: string | undefined): Plain {
  const base = { id: command.id, orgId: author.orgId, siteId: author.siteId, updatedAt: now() };
  const value = command.value;
  if (collection === 'devices') {
    return { ...base, hostname: `chaos-${command.id.slice(-6)}`, kind: 'workstation', ips: [], macs: [], tags: [], trend: [], status: 'online', health: 'ok', healthReasons: [], notes: value };
  }
  if (collection === 'incidents') {
    return { ...base, title: value, summary: '', severity: 'sev3', status: 'triage', deviceIds: [], alertIds: [], runIds: [], openedBy: author.userId, openedAt: now() };
  }
  return { ...base, incidentId, at: now(), by: author.userId, kind: 'note', text: value };
}

/** Runs one write command on a client's replica. */
export async function applyWrite(client: TestClient, author: Author, command: WriteCommand): Promise<WriteOutcome> {
  if (command.kind === 'create') return create(client, author, command);
  const editable = command.collection;
  if (editable === 'timeline') throw new Error('timeline entries are append-only: only created');
  const documents = await liveDocuments(client, editable);
  const candidates = command.kind === 'resolve' ? documents.filter((d) => (d.toJSON()['conflicts'] as unknown[] | undefined)?.length) : documents;
  if (candidates.length === 0) return { label: undefined, replaced: [] };
  const document = pickFrom(candidates, command.pick);
  if (command.kind === 'update') {
    const slot = pickFrom(SLOTS[editable], command.slotPick);
    const replaced = await modify(document, (data) => {
      const previous = data[slot];
      data[slot] = command.value;
      return isWorkloadValue(previous) ? [previous] : [];
    });
    return { label: `update ${editable}`, written: { value: command.value, client: author.index, collection: editable, documentId: document.primary, slot }, replaced };
  }
  if (command.kind === 'delete') {
    const replaced = await modify(document, (data) => {
      data['_deleted'] = true;
      return valuesIn(data, SLOTS[editable]);
    });
    return { label: `delete ${editable}`, target: document.primary, replaced };
  }
  const replaced = await modify(document, (data) => {
    // A person settles the records: only the values set aside go; a kept value stays in its field.
    const records = (data['conflicts'] ?? []) as { otherValue?: unknown }[];
    data['conflicts'] = [];
    return records.map((record) => record.otherValue).filter(isWorkloadValue);
  });
  return { label: `resolve ${editable}`, replaced };
}

/** A new document carrying the value; a timeline entry needs an incident, so without one an incident is made. */
async function create(client: TestClient, author: Author, command: WriteCommand): Promise<WriteOutcome> {
  let collection = command.collection;
  let incidentId: string | undefined;
  if (collection === 'timeline') {
    const incidents = await liveDocuments(client, 'incidents');
    if (incidents.length === 0) collection = 'incidents';
    else incidentId = pickFrom(incidents, command.pick).primary;
  }
  await collectionOf(client, collection).insert(newDocument(collection, command, author, incidentId));
  return { label: `create ${collection}`, written: { value: command.value, client: author.index, collection, documentId: command.id, slot: SLOTS[collection][0] }, replaced: [] };
}

/**
 * Changes a document and returns what the writer saw and replaced: `change` runs on the latest
 * local state (RxDB runs it again if a pull lands first), so the values captured on its last run
 * are exactly the ones the committed write replaced.
 */
async function modify(document: AnyDocument, change: (data: Plain) => string[]): Promise<string[]> {
  let replaced: string[] = [];
  await document.incrementalModify((data: Plain) => {
    replaced = change(data);
    data['updatedAt'] = now();
    return data;
  });
  return replaced;
}
