import { parentPort, workerData } from 'node:worker_threads';
import type { RxCollection } from 'rxdb';
import { withoutLocalFields } from '../../../shared/sync/document.ts';
import { replicationIdentifierFor } from '../../../client/sync/http-replication.ts';
import { findAssumedMaster, openMetaInstance, readCheckpoint } from '../../../client/sync/replication-meta.ts';
import { startTestClient, type TestClient } from '../../support/client.ts';
import { applyWrite, SLOTS, WORKLOAD_COLLECTIONS, type Author, type WorkloadCollection } from './chaos-documents.ts';
import { observePushes, type PushOutcome } from './push-observer.ts';
import { valuesIn } from './set-accounting.ts';
import type { ClientCall, FromWorker, WorkerSetup } from './worker-protocol.ts';

/** Hosts a few workload clients in this worker thread and runs the calls the run sends. */
/** A collection queried with a selector of its own (RxDB caches one result per distinct query). */
type FreshQueryable = { find(query: object): { exec(): Promise<{ toJSON(): Record<string, unknown> }[]> } };

const port = parentPort;
if (!port) throw new Error('client-worker.ts runs in a worker thread');
const setup = workerData as WorkerSetup;
const send = (message: FromWorker) => port.postMessage(message);

function acknowledge(outcome: PushOutcome): void {
  const slots = SLOTS[outcome.collection as WorkloadCollection] ?? [];
  // A tombstone carries values its deleter saw and replaced: it acknowledges none of them.
  const values = outcome.accepted.filter((d) => d['_deleted'] !== true).flatMap((d) => valuesIn(d, slots));
  send({ type: 'acknowledged', collection: outcome.collection, values, accepted: outcome.accepted.length, conflicts: outcome.conflicts, rejected: outcome.rejected });
}

// A promise rejected with nobody waiting would end this thread and every client in it: report it.
process.on('unhandledRejection', (reason) => {
  send({ type: 'unhandled', text: reason instanceof Error ? (reason.stack ?? reason.message).slice(0, 1000) : JSON.stringify(reason) });
});

const clients = new Map<number, { client: TestClient; author: Author }>();
const recentErrors = new Map<number, string[]>();

/** RxDB wraps what the handler threw (RC_PUSH, RC_PULL): the cause is inside. */
function describeError(error: unknown): string {
  const causes = (error as { parameters?: { errors?: unknown[] } }).parameters?.errors;
  // RxDB hands the causes over as plain objects (name, message, status…), not Errors.
  const cause = (causes?.[causes.length - 1] ?? error) as { name?: unknown; message?: unknown; status?: unknown };
  const status = cause.status === undefined ? '' : `HTTP ${String(cause.status)} `;
  return `${status}${String(cause.name ?? 'Error')}: ${String(cause.message ?? JSON.stringify(cause))}`.slice(0, 300);
}

/** Keeps the last replication errors of a client's current sync engine. */
function watchErrors(index: number, client: TestClient): void {
  for (const [name, replication] of client.sync.replications) {
    replication.error$.subscribe((error) => {
      const list = recentErrors.get(index) ?? [];
      list.push(`${name}: ${describeError(error)}`);
      recentErrors.set(index, list.slice(-5));
    });
  }
}

for (const { author, cookie } of setup.clients) {
  const client = await startTestClient(
    setup.proxyUrl,
    cookie,
    { collections: WORKLOAD_COLLECTIONS, requestTimeoutMs: setup.requestTimeoutMs, streamIdleTimeoutMs: setup.requestTimeoutMs + 1000 },
    { baseFetch: observePushes(acknowledge) },
  );
  clients.set(author.index, { client, author });
  watchErrors(author.index, client);
}

function hosted(index: number): { client: TestClient; author: Author } {
  const entry = clients.get(index);
  if (!entry) throw new Error(`client ${index} is not in this worker`);
  return entry;
}

async function run(call: ClientCall): Promise<unknown> {
  if (call.kind === 'close') {
    for (const { client } of clients.values()) await client.close();
    return undefined;
  }
  const { client, author } = hosted(call.client);
  if (call.kind === 'write') return applyWrite(client, author, call.command);
  if (call.kind === 'network') {
    if (call.isOnline) client.network.goOnline();
    else client.network.goOffline();
    return undefined;
  }
  if (call.kind === 'reopen') {
    await client.reopen();
    return watchErrors(author.index, client);
  }
  if (call.kind === 'errors') {
    const state = `${client.network.isOnline ? 'online' : 'OFFLINE'}, stream ${client.sync.stream?.isConnected ? 'connected' : 'NOT connected'}`;
    return [state, ...[...client.sync.replications].map(([name, r]) => `${name}: ${describeReplication(r)}`), ...(recentErrors.get(author.index) ?? [])];
  }
  if (call.kind === 'resync') return client.sync.resync();
  if (call.kind === 'inspect') return inspect(client, call.collection, call.id);
  if (call.kind === 'fresh-snapshot') {
    const documents = await (client.db.collections[call.collection] as unknown as FreshQueryable).find({ selector: { id: { $ne: `fresh-${Math.random()}` } } }).exec();
    return documents.map((d) => withoutLocalFields(d.toJSON())).sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
  }
  return client.snapshot(call.collection);
}

/** Where a replication stands: started, stopped, busy, and how far its protocol got. */
type Replication = TestClient['sync']['replications'] extends Map<string, infer R> ? R : never;

function describeReplication(replication: Replication): string {
  const internal = replication.internalReplicationState;
  if (!internal) return `wasStarted ${replication.wasStarted}, stopped ${replication.isStopped()}, no protocol state (never started or still in the bulk catch-up)`;
  const events = internal.events;
  return `stopped ${replication.isStopped()}, paused ${events.paused.getValue()}, active up ${events.active.up.getValue()} down ${events.active.down.getValue()}, stats ${JSON.stringify(internal.stats)}`;
}

async function inspect(client: TestClient, collection: WorkloadCollection, id: string): Promise<string> {
  const rx = client.db.collections[collection] as unknown as RxCollection;
  const [stored] = await rx.storageInstance.findDocumentsById([id], true);
  const meta = await openMetaInstance(rx, replicationIdentifierFor(collection, setup.proxyUrl));
  try {
    const checkpoints = { down: await readCheckpoint(meta, 'down'), up: await readCheckpoint(meta, 'up') };
    return JSON.stringify({ stored, base: await findAssumedMaster(meta, id), checkpoints });
  } finally {
    await meta.close();
  }
}

port.on('message', (message: { id: number; call: ClientCall }) => {
  run(message.call).then(
    (result) => send({ type: 'reply', id: message.id, result }),
    (error: unknown) => send({ type: 'failure', id: message.id, message: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
});
send({ type: 'ready' });
