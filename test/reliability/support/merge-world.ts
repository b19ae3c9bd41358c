import 'fake-indexeddb/auto';
import { createOutpostDatabase, type OutpostDatabase } from '../../../client/db/database.ts';
import { getRxStorageLog } from '../../../client/db/log-storage/log-storage.ts';
import { isPristine } from '../../../client/sync/pristine.ts';
import { RejectionLog } from '../../../client/sync/rejections.ts';
import type { Random } from '../../../server/seed/random.ts';
import type { StoredDocument } from '../../../server/store/store.ts';
import { canonicalJson } from '../../../shared/merge/canonical.ts';
import type { Role } from '../../../shared/schema/user.ts';
import { withoutLocalFields } from '../../../shared/sync/document.ts';
import type { PushResponse, PushRow } from '../../../shared/sync/protocol.ts';
import { serverSnapshot, startTestClient, type TestClient } from '../../support/client.ts';
import { makeDevice, makeSite } from '../../support/documents.ts';
import { signIn, startTestServer, type TestServer } from '../../support/server.ts';
import type { FieldSlot, HeldDocument, MergeMode } from './merge-history.ts';

/** The collections and free-text fields the merge run writes; risks only by managers and admins. */
export const MERGE_FIELDS = {
  devices: ['notes', 'assignee', 'model', 'serial'],
  risks: ['title', 'description'],
} as const;
export type MergeCollection = keyof typeof MERGE_FIELDS;
export const MERGE_COLLECTIONS = Object.keys(MERGE_FIELDS) as MergeCollection[];
const WRITERS_OF: Record<MergeCollection, ReadonlySet<Role>> = {
  devices: new Set(['admin', 'manager', 'technician']),
  risks: new Set(['admin', 'manager']),
};
/** Client i signs in with ROLES[i % length]: the admin, managers and technicians of one organization. */
const ROLES: readonly Role[] = ['admin', 'manager', 'technician', 'manager', 'technician', 'admin'];
const PASSWORD = 'lantern-gravel-orbit-42';
const ID_EPOCH = Date.UTC(2026, 0, 1);

type Plain = Record<string, unknown>;
type AnyCollection = { findOne(id: string): { exec(): Promise<{ incrementalModify(change: (data: Plain) => Plain): Promise<unknown> } | null> }; find(): { exec(): Promise<{ toJSON(): unknown }[]> } };

/** Pushes a client sent, as the server answered them (for the explanation of a failure). */
export interface PushStats {
  rows: number;
  /** Rows sent with no assumed master state, for documents the server already held (all of the run's are). */
  withoutBase: number;
  conflictsAnswered: number;
  /** The first few pushes without a base: which client, document and when. */
  withoutBaseSamples: string[];
}

/** One signed-in user's device: its replicating tab (a TestClient over the log storage) and maybe a second tab. */
export class MergeClient {
  state: 'open' | 'closed' = 'open';
  tab: OutpostDatabase | undefined;
  readonly pushes: PushStats = { rows: 0, withoutBase: 0, conflictsAnswered: 0, withoutBaseSamples: [] };
  /** The step being run, for the push samples. */
  step = -1;

  constructor(
    readonly index: number,
    readonly role: Role,
    readonly userId: string,
    readonly client: TestClient,
  ) {}

  get label(): string {
    return `c${this.index}`;
  }

  mayWrite(collection: MergeCollection): boolean {
    return WRITERS_OF[collection].has(this.role);
  }

  /**
   * A second tab of the same replica: another RxDatabase by the same name over the same logs, that
   * does not replicate (the leader tab does), as a browser's other tabs are. Its storage is named
   * apart only because RxDB refuses two open databases of one name and storage name in one realm.
   */
  async openTab(): Promise<OutpostDatabase> {
    this.tab ??= await createOutpostDatabase({
      name: this.client.name,
      storage: { ...getRxStorageLog(), name: 'outpost-log-second-tab' },
      rejections: new RejectionLog(),
      collections: MERGE_COLLECTIONS,
    });
    return this.tab;
  }

  async closeTab(): Promise<void> {
    const tab = this.tab;
    this.tab = undefined;
    await tab?.close();
  }

  /** Sets one field through RxDB's document API as client/data/write.ts updateDocument does; returns what the replica held there just before. */
  async edit(via: 'main' | 'tab', collection: MergeCollection, documentId: string, field: string, value: string): Promise<unknown> {
    const db = via === 'tab' ? await this.openTab() : this.client.db;
    const rx = db.collections[collection] as unknown as AnyCollection;
    const document = await rx.findOne(documentId).exec();
    if (!document) throw new Error(`${this.label} ${via}: ${collection} ${documentId} is not in the replica`);
    let prior: unknown;
    // RxDB runs the change again on the stored state when a write landed first: the last run is what was replaced.
    await document.incrementalModify((data) => {
      prior = data[field];
      return { ...data, [field]: value, updatedAt: new Date().toISOString() };
    });
    return prior;
  }

  /** Plain, sorted documents of a collection in the replicating tab, or in the second tab. */
  async snapshot(collection: MergeCollection, via: 'main' | 'tab' = 'main'): Promise<Plain[]> {
    const db = via === 'tab' ? this.tab : this.client.db;
    if (!db) return [];
    const documents = await (db.collections[collection] as unknown as AnyCollection).find().exec();
    return documents.map((d) => withoutLocalFields(d.toJSON() as Plain)).sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
  }

  /** Whether every shared document is still exactly as the bulk first sync stored it. */
  async arePristine(ids: Map<MergeCollection, string[]>): Promise<string[]> {
    const notPristine: string[] = [];
    for (const [collection, list] of ids) {
      const stored = await this.client.db.collections[collection].storageInstance.findDocumentsById(list, false);
      if (stored.length !== list.length) notPristine.push(`${collection}: ${list.length - stored.length} missing`);
      for (const document of stored) if (!isPristine(document as never)) notPristine.push(`${collection} ${String((document as Plain)['id'])}`);
    }
    return notPristine;
  }

  /**
   * Observes this client's pushes (the fetch under its switchable network); `note` gets one line
   * per row: what it changed from which base, and the answer, or that the answer never came (the
   * server may have applied it: the client cannot know).
   */
  static recordingFetch(holder: { current?: MergeClient }, note: (line: string) => void): typeof fetch {
    return async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const collection = /\/api\/sync\/([a-z]+)\/push$/.exec(new URL(url).pathname)?.[1];
      const self = holder.current;
      if (!collection || !self || typeof init?.body !== 'string') return fetch(input, init);
      const rows = JSON.parse(init.body) as PushRow<Plain>[];
      const noteRows = (answer: (row: PushRow<Plain>) => string) => {
        for (const row of rows) note(`   ${self.label} push ${collection} ${String(row.newDocumentState['id']).slice(-6)}: ${describeRow(collection, row)}: ${answer(row)}`);
      };
      let response: Response;
      let answer: PushResponse<Plain> | undefined;
      try {
        response = await fetch(input, init);
        answer = response.status === 200 ? ((await response.clone().json()) as PushResponse<Plain>) : undefined;
      } catch (error) {
        noteRows(() => `NO ANSWER (${error instanceof Error ? error.name : 'error'}: the link was cut)`);
        throw error;
      }
      if (!answer) {
        noteRows(() => `HTTP ${response.status}`);
        return response;
      }
      self.pushes.rows += rows.length;
      self.pushes.conflictsAnswered += answer.conflicts.length;
      for (const row of rows.filter((r) => r.assumedMasterState === undefined)) {
        self.pushes.withoutBase++;
        if (self.pushes.withoutBaseSamples.length < 5) self.pushes.withoutBaseSamples.push(`${self.label} at step ${self.step}: ${collection} ${String(row.newDocumentState['id']).slice(-6)}`);
      }
      const conflicts = answer.conflicts;
      noteRows((row) => describeAnswer(self.label, collection, row, conflicts.find((d) => d['id'] === row.newDocumentState['id'])));
      return response;
    };
  }
}

/** The fields of the run a push row changes, from its base to its new state ("?" with no base). */
function describeRow(collection: string, row: PushRow<Plain>): string {
  const fields = MERGE_FIELDS[collection as MergeCollection] ?? [];
  const assumed = row.assumedMasterState;
  const changed = fields.filter((f) => assumed?.[f] !== row.newDocumentState[f]).map((f) => `${f} ${assumed ? String(assumed[f]) : '?'}→${String(row.newDocumentState[f])}`);
  const records = (row.newDocumentState['conflicts'] as unknown[] | undefined)?.length ?? 0;
  return `${assumed ? '' : 'NO assumed master state; '}${changed.join(', ') || 'no field of the run changed'}${records ? ` (+${records} conflict records)` : ''}`;
}

/**
 * The server's answer to a row; a conflict where the server holds a value this same client wrote,
 * newer than the row's base, is flagged: the client sent that write earlier and did not keep it as
 * its base (the answer was lost, or the replication stopped before storing it).
 */
function describeAnswer(label: string, collection: string, row: PushRow<Plain>, conflict: Plain | undefined): string {
  if (!conflict) return 'accepted';
  const fields = MERGE_FIELDS[collection as MergeCollection] ?? [];
  const own = fields.filter((f) => conflict[f] !== row.assumedMasterState?.[f] && String(conflict[f]).startsWith(`${label}#`));
  const ownNote = own.length > 0 ? ` [the server holds this client's own ${own.map((f) => String(conflict[f])).join(', ')}, newer than the base it sent]` : '';
  return `CONFLICT, server has ${fields.map((f) => `${f} ${String(conflict[f])}`).join(', ')}${ownNote}`;
}

export interface MergeWorldOptions {
  clients: number;
  devices: number;
  risks: number;
  mode: MergeMode;
  random: Random;
  /** Deadline of one request, and the live stream's silence before it reconnects. */
  requestTimeoutMs?: number;
  /** The replicas' storage: the browser's log storage (default), or RxDB's memory storage (to tell its bugs from others). */
  storage?: 'log' | 'memory';
  /** Gets a line per pushed row (for the step log). */
  note?(line: string): void;
}

/**
 * The system under test: the real server on a free port, with one organization, its admin,
 * managers and technicians; shared devices and risks created on the server; one RxDB client per
 * user in this process, replicating over HTTP with the live stream, its replica in the browser's
 * log storage over fake-indexeddb; each got the shared documents by its bulk first sync.
 */
export class MergeWorld {
  private constructor(
    readonly server: TestServer,
    readonly clients: MergeClient[],
    readonly slots: FieldSlot[],
    readonly ids: Map<MergeCollection, string[]>,
  ) {}

  static async create(options: MergeWorldOptions): Promise<MergeWorld> {
    // Heartbeats every second, so a client notices a dead stream within a few seconds.
    const server = await startTestServer({ OUTPOST_STREAM_HEARTBEAT_SECONDS: '1' });
    const clients: MergeClient[] = [];
    try {
      const random = options.random;
      const site = makeSite(server.orgId, { id: random.uuid(ID_EPOCH) });
      await server.store.insertMany('sites', [{ ...site, _deleted: false }]);
      const devices = Array.from({ length: options.devices }, (_, i) => {
        const id = random.uuid(ID_EPOCH + 1 + i);
        return makeDevice(server.orgId, site.id, { id, hostname: `merge-${i}`, ...Object.fromEntries(MERGE_FIELDS.devices.map((f) => [f, `orig:d${i}.${f}`])) });
      });
      const risks = Array.from({ length: options.risks }, (_, i) => makeRisk(server.orgId, random.uuid(ID_EPOCH + 1000 + i), i));
      await server.store.insertMany('devices', devices.map((d) => ({ ...d, _deleted: false })) as StoredDocument[]);
      await server.store.insertMany('risks', risks.map((r) => ({ ...r, _deleted: false })) as StoredDocument[]);

      const accounts = await createAccounts(server, options.clients);
      for (const [index, account] of accounts.entries()) {
        const holder: { current?: MergeClient } = {};
        const timeout = options.requestTimeoutMs ?? 5000;
        const client = await startTestClient(
          server.url,
          account.cookie,
          { collections: MERGE_COLLECTIONS, requestTimeoutMs: timeout, streamIdleTimeoutMs: timeout },
          { storage: options.storage ?? 'log', baseFetch: MergeClient.recordingFetch(holder, options.note ?? (() => undefined)), author: { id: account.userId, name: account.name } },
        );
        holder.current = new MergeClient(index, account.role, account.userId, client);
        clients.push(holder.current);
      }
      await Promise.all(clients.map((c) => c.client.sync.awaitInSync()));

      const ids = new Map<MergeCollection, string[]>([
        ['devices', devices.map((d) => d.id)],
        ['risks', risks.map((r) => String(r['id']))],
      ]);
      const slots = assignSlots(options.mode, clients, devices, risks, random.fork('slots'));
      return new MergeWorld(server, clients, slots, ids);
    } catch (error) {
      for (const client of clients) await client.client.close().catch(() => undefined);
      await server.dispose();
      throw error;
    }
  }

  /** Documents the server holds, as held documents. */
  async serverDocuments(): Promise<HeldDocument[]> {
    const held: HeldDocument[] = [];
    for (const collection of MERGE_COLLECTIONS) {
      for (const document of await serverSnapshot(this.server, collection)) held.push({ where: 'server', collection, document });
    }
    return held;
  }

  /** Every open replica's documents (replicating tabs and second tabs). */
  async replicaDocuments(): Promise<HeldDocument[]> {
    const held: HeldDocument[] = [];
    for (const client of this.clients) {
      if (client.state !== 'open') continue;
      for (const via of client.tab ? (['main', 'tab'] as const) : (['main'] as const)) {
        for (const collection of MERGE_COLLECTIONS) {
          for (const document of await client.snapshot(collection, via)) held.push({ where: `${client.label}${via === 'tab' ? ' second tab' : ''}`, collection, document });
        }
      }
    }
    return held;
  }

  /** Everyone open and online, asked to pull and push now. */
  async heal(): Promise<void> {
    for (const client of this.clients) {
      if (client.state === 'closed') {
        await client.client.reopen();
        client.state = 'open';
      }
      client.client.network.goOnline();
      client.client.sync.resync();
    }
  }

  /** Waits until every replica (tabs too) equals the server; undefined, or what still differs at the deadline. */
  async converge(timeoutMs: number): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const differing = await this.#differing();
      if (differing.length === 0) return undefined;
      if (Date.now() > deadline) return `replicas still differ from the server after ${timeoutMs} ms: ${differing.slice(0, 6).join('; ')}`;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async #differing(): Promise<string[]> {
    const differing: string[] = [];
    for (const collection of MERGE_COLLECTIONS) {
      const onServer = await serverSnapshot(this.server, collection);
      const serverById = new Map(onServer.map((d) => [String(d['id']), canonicalJson(d)]));
      for (const client of this.clients) {
        for (const via of client.tab ? (['main', 'tab'] as const) : (['main'] as const)) {
          const local = await client.snapshot(collection, via);
          if (canonicalJson(local) === canonicalJson(onServer)) continue;
          const changed = local.filter((d) => serverById.get(String(d['id'])) !== canonicalJson(d)).map((d) => String(d['id']).slice(-6));
          differing.push(`${client.label}${via === 'tab' ? ' second tab' : ''} ${collection} (${local.length} vs ${onServer.length} documents; differ: ${changed.join(' ')})`);
        }
      }
    }
    return differing;
  }

  async dispose(): Promise<void> {
    for (const client of this.clients) {
      await client.closeTab().catch(() => undefined);
      await client.client.close().catch(() => undefined);
    }
    await this.server.dispose();
  }
}

function makeRisk(orgId: string, id: string, i: number): Plain {
  const now = new Date().toISOString();
  return {
    id,
    orgId,
    title: `orig:r${i}.title`,
    description: `orig:r${i}.description`,
    category: 'availability',
    likelihood: 2,
    impact: 3,
    score: 6,
    treatment: 'mitigate',
    mitigations: [],
    status: 'open',
    nextReviewAt: now,
    links: { deviceIds: [], siteIds: [], runbookIds: [], incidentIds: [] },
    decisions: [],
    updatedAt: now,
  };
}

interface Account {
  role: Role;
  userId: string;
  name: string;
  cookie: string;
}

/** The bootstrap admin and, per further client, a user of the next role, created through the admin API. */
async function createAccounts(server: TestServer, count: number): Promise<Account[]> {
  const me = (await (await server.adminFetch(`${server.url}/api/auth/me`)).json()) as { user: { id: string; name?: string } };
  const accounts: Account[] = [{ role: 'admin', userId: me.user.id, name: me.user.name ?? 'Administrator', cookie: server.adminCookie }];
  for (let i = 1; i < count; i++) {
    const role = ROLES[i % ROLES.length] as Role;
    const email = `merge-${i}-${role}@outpost.test`;
    const name = `Merge ${role} ${i}`;
    const response = await server.adminFetch(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, name, password: PASSWORD, memberships: [{ orgId: server.orgId, role }] }),
    });
    if (response.status !== 201) throw new Error(`creating ${email} failed: ${response.status} ${await response.text()}`);
    const { user } = (await response.json()) as { user: { id: string } };
    accounts.push({ role, userId: user.id, name, cookie: await signIn(server.url, email, PASSWORD) });
  }
  return accounts;
}

/**
 * Who writes which field: in mode disjoint each (document, field) pair has exactly one writer
 * among the clients whose role may write it; in mode same-field, two or more of them.
 */
function assignSlots(mode: MergeMode, clients: readonly MergeClient[], devices: readonly Plain[], risks: readonly Plain[], random: Random): FieldSlot[] {
  const slots: FieldSlot[] = [];
  const documents: [MergeCollection, readonly Plain[]][] = [
    ['devices', devices],
    ['risks', risks],
  ];
  for (const [collection, list] of documents) {
    const eligible = clients.filter((c) => c.mayWrite(collection)).map((c) => c.index);
    for (const document of list) {
      for (const field of MERGE_FIELDS[collection]) {
        const writers = mode === 'disjoint' ? [random.pick(eligible)] : random.sample(eligible, Math.max(2, random.int(2, eligible.length)));
        slots.push({ collection, documentId: String(document['id']), field, original: String(document[field]), writers });
      }
    }
  }
  return slots;
}
