import * as Y from 'yjs';
import { openCollabText, type CollabTarget, type CollabText, type CollabTextOptions } from '../../../client/collab/collab-text.ts';
import { textOf } from '../../../shared/collab/collab-text.ts';
import { decodeUpdate } from '../../../shared/collab/update-encoding.ts';
import { uuidv7 } from '../../../shared/id/uuidv7.ts';
import type { CollectionName } from '../../../shared/schema/collections.ts';
import type { Role } from '../../../shared/schema/user.ts';
import type { Incident, Runbook } from '../../../shared/schema/index.ts';
import type { Checkpoint } from '../../../shared/sync/checkpoint.ts';
import type { StoredDocument } from '../../../server/store/store.ts';
import { startTestClient, waitFor, type TestClient } from '../../support/client.ts';
import { signIn, type TestServer } from '../../support/server.ts';

/** What a client needs to edit collaborative texts: their parents and their updates. */
export const TEXT_COLLECTIONS = ['runbooks', 'incidents', 'doc_updates'] as const;

/** A signed-in client of a new account with one role in the server's organization. */
export async function clientAs(
  server: TestServer,
  role: Exclude<Role, 'admin'>,
  siteIds?: string[],
  collections: readonly CollectionName[] = TEXT_COLLECTIONS,
): Promise<TestClient> {
  const email = `${role}-${uuidv7().slice(-8)}@outpost.test`;
  const password = 'collaborative-text-passphrase';
  const response = await server.adminFetch(`${server.url}/api/admin/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: `The ${role}`, password, memberships: [{ orgId: server.orgId, role, ...(siteIds ? { siteIds } : {}) }] }),
  });
  if (response.status !== 201) throw new Error(`creating a ${role} failed: ${response.status} ${await response.text()}`);
  return startTestClient(server.url, await signIn(server.url, email, password), { collections });
}

export function draftRunbook(orgId: string, status: Runbook['status'] = 'draft'): StoredDocument {
  const runbook: Runbook = {
    id: uuidv7(), orgId, updatedAt: new Date().toISOString(), title: 'Printer offline', summary: '', tags: [],
    appliesTo: { deviceKinds: [], tags: [], siteIds: [] }, steps: [], status, version: 1,
    ...(status === 'approved' ? { approvedBy: uuidv7(), approvedAt: new Date().toISOString() } : {}),
  };
  return { ...runbook, _deleted: false };
}

export function incidentAt(orgId: string, siteId: string): StoredDocument {
  const incident: Incident = {
    id: uuidv7(), orgId, siteId, updatedAt: new Date().toISOString(), title: 'Tills offline', summary: '', severity: 'sev3',
    status: 'triage', deviceIds: [], alertIds: [], runIds: [], openedBy: uuidv7(), openedAt: new Date().toISOString(),
  };
  return { ...incident, _deleted: false };
}

/** Opens the text on a client once its parent document has replicated there. */
export async function openWhenPresent(client: TestClient, target: CollabTarget, options?: CollabTextOptions): Promise<CollabText> {
  await waitFor(async () => (await client.db[target.collection].findOne(target.id).exec()) !== null, 10_000, `${target.collection} ${target.id} on the client`);
  const text = openCollabText(client.db, target, options);
  await text.loaded;
  return text;
}

/** The updates the server holds for a text, read as the system: the live ones, or the compacted ones (tombstones). */
export async function serverUpdates(server: TestServer, targetId: string, which: 'live' | 'compacted' = 'live'): Promise<StoredDocument[]> {
  const updates: StoredDocument[] = [];
  let checkpoint: Checkpoint = {};
  for (;;) {
    const page = await server.store.pull({ kind: 'everything' }, 'doc_updates', checkpoint, 2000);
    updates.push(...page.documents.filter((d) => d['targetId'] === targetId && d._deleted === (which === 'compacted')));
    if (page.remaining === 0) return updates;
    checkpoint = page.checkpoint;
  }
}

/** The text as the server's live updates make it: what a client opening it for the first time sees. */
export async function serverText(server: TestServer, targetId: string): Promise<Y.Text> {
  const doc = new Y.Doc();
  for (const update of await serverUpdates(server, targetId)) Y.applyUpdate(doc, decodeUpdate(String(update['update'])));
  return textOf(doc);
}

export const deltaOf = (text: Y.Text): string => JSON.stringify(text.toDelta());
