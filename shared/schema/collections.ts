import type * as v from 'valibot';
import { Alert } from './alert.ts';
import { Device } from './device.ts';
import { DocUpdate } from './doc-update.ts';
import { Incident } from './incident.ts';
import { Org } from './org.ts';
import { Risk } from './risk.ts';
import { Run } from './run.ts';
import { Runbook } from './runbook.ts';
import { RunbookVersion } from './runbook-version.ts';
import { Site } from './site.ts';
import { TimelineEntry } from './timeline.ts';
import { UserEntry } from './user.ts';

type EntitySchema = v.GenericSchema<unknown, { id: string; orgId: string; updatedAt: string }>;

export interface CollectionDefinition<TSchema extends EntitySchema = EntitySchema> {
  readonly schema: TSchema;
  /** Documents carrying a `siteId` are visible only to members of that site (or of all sites). */
  readonly isSiteScoped: boolean;
  /**
   * Extra RxDB indexes, only for fields a client query selects on (`find({ selector })`); each
   * field must be required. Every index is one more IndexedDB entry per stored document: a
   * first sync of 10,000 devices writes each of them 10,000 times.
   */
  readonly indexes: readonly (string | readonly string[])[];
  /** The server never changes a stored document (it may only tombstone it): a conflict is settled by taking its state. */
  readonly isImmutable?: true;
}

const define = <TSchema extends EntitySchema>(d: CollectionDefinition<TSchema>) => d;

/**
 * Every replicated collection, by its plural name. The free RxDB edition opens at most 13
 * collections per database: keep this list under that ceiling.
 */
export const COLLECTIONS = {
  orgs: define({ schema: Org, isSiteScoped: false, indexes: [] }),
  sites: define({ schema: Site, isSiteScoped: true, indexes: [] }),
  // Indexes no query used were dropped (devices: status, health; runbooks: status; risks:
  // status, score): those lists are filtered and sorted in memory. A replica created with them
  // keeps them (client/db/database.ts).
  devices: define({ schema: Device, isSiteScoped: true, indexes: ['siteId'] }),
  alerts: define({ schema: Alert, isSiteScoped: true, indexes: ['deviceId', 'status'] }),
  runbooks: define({ schema: Runbook, isSiteScoped: false, indexes: [] }),
  runs: define({ schema: Run, isSiteScoped: true, indexes: ['runbookId'] }),
  risks: define({ schema: Risk, isSiteScoped: false, indexes: [] }),
  incidents: define({ schema: Incident, isSiteScoped: true, indexes: ['status'] }),
  timeline: define({ schema: TimelineEntry, isSiteScoped: true, indexes: ['incidentId'] }),
  users: define({ schema: UserEntry, isSiteScoped: false, indexes: ['userId'] }),
  runbook_versions: define({ schema: RunbookVersion, isSiteScoped: false, indexes: ['runbookId'], isImmutable: true }),
  /** Site-scoped where they carry a site (incident reviews); a runbook's text is organization-wide. */
  doc_updates: define({ schema: DocUpdate, isSiteScoped: true, indexes: ['targetId'], isImmutable: true }),
} as const;

export type Collections = typeof COLLECTIONS;
export type CollectionName = keyof Collections;
export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as CollectionName[];

export type EntityOf<C extends CollectionName> = v.InferOutput<Collections[C]['schema']>;

export function isCollectionName(name: string): name is CollectionName {
  return Object.hasOwn(COLLECTIONS, name);
}
