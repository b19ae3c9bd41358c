import type { CollectionName } from '../schema/collections.ts';

/** A field of a document that names other documents by id: one id, or a list of them. */
export interface Reference {
  /** A top-level field, or a field of an object field (`links.deviceIds`). */
  path: readonly [string] | readonly [string, string];
  collection: CollectionName;
  /** The document belongs to the referenced one's site: a timeline entry is at its incident's. */
  isSameSite?: true;
}

/**
 * Every reference to another document, by collection (DESIGN.md, Data). People (`by`,
 * `ownerId`, `approvedBy`…) are not here: attribution rules judge them. A text update's
 * `targetId` is not either: its rule judges the parent fully (the right to edit it).
 */
export const REFERENCES: Record<CollectionName, readonly Reference[]> = {
  orgs: [],
  sites: [],
  devices: [],
  alerts: [
    { path: ['deviceId'], collection: 'devices' },
    { path: ['incidentId'], collection: 'incidents' },
  ],
  runbooks: [{ path: ['appliesTo', 'siteIds'], collection: 'sites' }],
  runs: [
    { path: ['runbookId'], collection: 'runbooks' },
    { path: ['deviceId'], collection: 'devices' },
    { path: ['incidentId'], collection: 'incidents' },
  ],
  risks: [
    { path: ['links', 'deviceIds'], collection: 'devices' },
    { path: ['links', 'siteIds'], collection: 'sites' },
    { path: ['links', 'runbookIds'], collection: 'runbooks' },
    { path: ['links', 'incidentIds'], collection: 'incidents' },
  ],
  incidents: [
    { path: ['deviceIds'], collection: 'devices' },
    { path: ['alertIds'], collection: 'alerts' },
    { path: ['runIds'], collection: 'runs' },
  ],
  timeline: [{ path: ['incidentId'], collection: 'incidents', isSameSite: true }],
  users: [{ path: ['siteIds'], collection: 'sites' }],
  runbook_versions: [{ path: ['runbookId'], collection: 'runbooks' }],
  doc_updates: [],
};

/** What the rules need to know of a referenced document, as the server holds it. */
export interface ReferencedDocument {
  orgId: string;
  siteId?: string | undefined;
}

/** The key of a referenced document in `WriteContext.references`. */
export const referenceKey = (collection: CollectionName, id: string): string => `${collection}/${id}`;

/** The ids a document names through one reference (none where the field is absent or malformed). */
export function referencedIds(document: Readonly<Record<string, unknown>> | undefined, reference: Reference): string[] {
  if (document === undefined) return [];
  const [field, nested] = reference.path;
  let value = document[field];
  if (nested !== undefined) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[nested] : undefined;
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
}

/** Every document a state names, by collection: what the server looks up before judging a push. */
export function allReferencedIds(collection: CollectionName, documents: readonly Readonly<Record<string, unknown>>[]): Map<CollectionName, Set<string>> {
  const byCollection = new Map<CollectionName, Set<string>>();
  for (const reference of REFERENCES[collection]) {
    const ids = byCollection.get(reference.collection) ?? new Set<string>();
    for (const document of documents) for (const id of referencedIds(document, reference)) ids.add(id);
    byCollection.set(reference.collection, ids);
  }
  return byCollection;
}

/**
 * The references a write adds: every id the new state names that the state it replaces did not
 * (all of them for a create). Only those are judged, so a document whose old links drifted out
 * of reach (a device moved to another site) can still be edited.
 */
export function addedReferences(
  collection: CollectionName,
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>>,
): { reference: Reference; id: string }[] {
  return REFERENCES[collection].flatMap((reference) => {
    const earlier = new Set(referencedIds(before, reference));
    return [...new Set(referencedIds(after, reference))].filter((id) => !earlier.has(id)).map((id) => ({ reference, id }));
  });
}
