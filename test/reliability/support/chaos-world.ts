import { canonicalJson } from '../../../shared/merge/canonical.ts';
import type { Random } from '../../../server/seed/random.ts';
import { serverSnapshot } from '../../support/client.ts';
import { makeSite } from '../../support/documents.ts';
import { ServerProcess } from '../../support/server-process.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, signIn } from '../../support/server.ts';
import { WORKLOAD_COLLECTIONS, type WorkloadCollection } from './chaos-documents.ts';
import { FaultProxy, NO_FAULTS } from './fault-proxy.ts';
import { startRemoteClients, type Acknowledged, type RemoteClient, type RemoteClients } from './remote-clients.ts';
import { WriteLedger } from './set-accounting.ts';

export interface ChaosWorldOptions {
  clients: number;
  /** Distinct accounts the clients sign in as (default: up to 4); each costs an argon2 hash. */
  users?: number;
  random: Random;
  /**
   * Deadline of one client request: a half-open connection is given up after this. Long enough
   * for a loaded server (20 clients pulling at once on two shared cores): a deadline shorter
   * than the answer time retries forever.
   */
  requestTimeoutMs?: number;
}

const PASSWORD = 'lantern-gravel-orbit-42';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface User {
  id: string;
  email: string;
  password: string;
}

/**
 * The system under test: the real server as a process of its own, a fault-injecting proxy in
 * front of it, and RxDB clients (each with its own session, as one of a few users) replicating
 * through the proxy. The ledger learns every value a push acknowledged.
 */
export class ChaosWorld {
  readonly ledger = new WriteLedger();
  readonly pushes = { accepted: 0, conflicts: 0, rejected: [] as string[] };
  /** Rejections in a client that nobody handled (each a client bug). */
  readonly unhandled: string[] = [];
  #remote: RemoteClients | undefined;

  private constructor(
    readonly server: ServerProcess,
    readonly proxy: FaultProxy,
    readonly orgId: string,
    readonly siteId: string,
    private readonly admin: typeof fetch,
  ) {}

  get clients(): RemoteClient[] {
    return this.#remote?.clients ?? [];
  }

  static async create(options: ChaosWorldOptions): Promise<ChaosWorld> {
    // Heartbeats every second, so a client notices a dead stream within a few seconds.
    const server = await ServerProcess.start({ OUTPOST_STREAM_HEARTBEAT_SECONDS: '1' });
    let world: ChaosWorld | undefined;
    try {
      const admin = await server.signInAdmin();
      const me = (await (await admin.fetch(`${server.url}/api/auth/me`)).json()) as { user: { id: string; memberships: { orgId: string }[] } };
      const orgId = me.user.memberships[0]?.orgId;
      if (!orgId) throw new Error('the administrator has no organization');
      const site = makeSite(orgId, { id: options.random.uuid(Date.UTC(2026, 0, 1)) });
      await expectOk(admin.fetch(`${server.url}/api/sync/sites/push`, json([{ newDocumentState: { ...site, _deleted: false } }])));
      world = new ChaosWorld(server, await FaultProxy.start(server.url, options.random.fork('proxy')), orgId, site.id, admin.fetch);
      const users = await world.#createUsers(Math.min(options.clients, options.users ?? 4), me.user.id);
      const clients = await Promise.all(
        Array.from({ length: options.clients }, async (_, index) => {
          const user = users[index % users.length] as User;
          return { author: { index, userId: user.id, orgId, siteId: site.id }, cookie: await signIn(server.url, user.email, user.password) };
        }),
      );
      const created = world;
      created.#remote = await startRemoteClients(created.proxy.url, options.requestTimeoutMs ?? 10_000, clients, (message) => created.#acknowledge(message), (text) => created.unhandled.push(text));
      return world;
    } catch (error) {
      if (world) await world.dispose();
      else await server.dispose();
      throw error;
    }
  }

  /** The administrator and managers of the organization: everyone may write every workload collection. */
  async #createUsers(count: number, adminId: string): Promise<User[]> {
    const users: User[] = [{ id: adminId, email: ADMIN_EMAIL, password: ADMIN_PASSWORD }];
    for (let i = 1; i < count; i++) {
      const email = `field-${i}@outpost.test`;
      const body = { email, name: `Field manager ${i}`, password: PASSWORD, memberships: [{ orgId: this.orgId, role: 'manager' }] };
      const response = await expectOk(this.admin(`${this.server.url}/api/admin/users`, json(body)));
      users.push({ id: ((await response.json()) as { user: { id: string } }).user.id, email, password: PASSWORD });
    }
    return users;
  }

  #acknowledge(message: Acknowledged): void {
    this.pushes.accepted += message.accepted;
    this.pushes.conflicts += message.conflicts;
    this.pushes.rejected.push(...message.rejected.map((r) => `${r.collection} ${r.id}: ${r.reason}`));
    this.ledger.recordAcknowledged(message.values);
  }

  /** SIGKILL mid-run; the server comes back on the same database after `downtimeMs`. */
  async killServer(downtimeMs: number): Promise<void> {
    await this.server.kill();
    await sleep(downtimeMs);
    await this.server.launch();
    this.proxy.upstream = this.server.url;
  }

  /** The network heals: no more faults, every client online and asked to pull. */
  async heal(): Promise<void> {
    this.proxy.rates = NO_FAULTS;
    for (const client of this.clients) {
      await client.setOnline(true);
      await client.resync();
    }
  }

  /** The server's live documents of every workload collection. */
  async serverDocuments(): Promise<Map<WorkloadCollection, Record<string, unknown>[]>> {
    const admin = { url: this.server.url, adminFetch: this.admin };
    const entries = await Promise.all(WORKLOAD_COLLECTIONS.map(async (c) => [c, await serverSnapshot(admin, c)] as const));
    return new Map(entries);
  }

  /** The replicas (of `clients`) that differ from the server's documents, by name. */
  async differingReplicas(onServer: Map<WorkloadCollection, Record<string, unknown>[]>, clients: readonly RemoteClient[] = this.clients): Promise<string[]> {
    const differing: string[] = [];
    for (const client of clients) {
      for (const collection of WORKLOAD_COLLECTIONS) {
        if (canonicalJson(await client.snapshot(collection)) !== canonicalJson(onServer.get(collection))) differing.push(`client ${client.index} ${collection}`);
      }
    }
    return differing;
  }

  /**
   * Waits until every replica of `clients` holds exactly the server's documents (fields,
   * conflict records, deletions); resolves with them, or rejects naming the replicas that differ.
   */
  async converge(timeoutMs: number, clients: readonly RemoteClient[] = this.clients): Promise<Map<WorkloadCollection, Record<string, unknown>[]>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const onServer = await this.serverDocuments();
      const differing = await this.differingReplicas(onServer, clients);
      if (differing.length === 0) return onServer;
      if (Date.now() > deadline) {
        throw new Error(`replicas still differ from the server after ${timeoutMs} ms: ${differing.slice(0, 10).join(', ')}\n${await this.#explain(onServer, clients)}`);
      }
      await sleep(150);
    }
  }

  /** How the first differing replicas differ, and what their replication last complained about. */
  async #explain(onServer: Map<WorkloadCollection, Record<string, unknown>[]>, clients: readonly RemoteClient[]): Promise<string> {
    const lines: string[] = [];
    for (const client of clients) {
      for (const collection of WORKLOAD_COLLECTIONS) {
        const server = new Map((onServer.get(collection) ?? []).map((d) => [String(d['id']), canonicalJson(d)]));
        const local = new Map((await client.snapshot(collection)).map((d) => [String(d['id']), canonicalJson(d)]));
        const only = (a: Map<string, string>, b: Map<string, string>) => [...a.keys()].filter((id) => !b.has(id));
        const changed = [...server].filter(([id, json]) => local.has(id) && local.get(id) !== json).map(([id]) => id);
        if (only(server, local).length + only(local, server).length + changed.length === 0) continue;
        lines.push(`client ${client.index} ${collection}: missing ${only(server, local).join(' ')}; extra ${only(local, server).join(' ')}; different ${changed.join(' ')}`);
        // The replica's stored state (tombstones, revision, pristine marker), its conflict base and checkpoints.
        for (const id of [...only(server, local), ...only(local, server), ...changed].slice(0, 3)) lines.push(`  server ${server.get(id)}\n  replica ${await client.inspect(collection, id)}`);
        const isStorageRight = canonicalJson(await client.freshSnapshot(collection)) === canonicalJson(onServer.get(collection));
        lines.push(`  a query never made before ${isStorageRight ? 'DOES return the server state: the cached query result is stale' : 'differs too: the stored replica is behind'}`);
        lines.push(`  client state and last replication errors: ${(await client.recentErrors()).join(' | ')}`);
      }
    }
    if (this.unhandled.length > 0) lines.push(`unhandled rejections in clients: ${this.unhandled.slice(0, 3).join('\n')}`);
    return lines.slice(0, 40).join('\n');
  }

  async dispose(): Promise<void> {
    try {
      await this.#remote?.close();
      await this.proxy.close();
    } finally {
      await this.server.dispose();
    }
  }
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function expectOk(pending: Promise<Response>): Promise<Response> {
  const response = await pending;
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
  return response;
}
