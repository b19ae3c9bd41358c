import { Worker } from 'node:worker_threads';
import type { WorkloadCollection, WriteCommand, WriteOutcome } from './chaos-documents.ts';
import { CLIENTS_PER_WORKER, type ClientCall, type FromWorker, type WorkerSetup } from './worker-protocol.ts';

/** Far beyond any call's normal duration (a write, a reopen, a snapshot take milliseconds). */
const CALL_DEADLINE_MS = 60_000;

export type Acknowledged = Extract<FromWorker, { type: 'acknowledged' }>;

/** TypeScript in a worker thread: tsx is registered inside the worker before the entry loads. */
const ENTRY = new URL('./client-worker.ts', import.meta.url).href;
const BOOT = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(ENTRY)}); })`;

class ClientWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #nextId = 0;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  static async start(setup: WorkerSetup, onAcknowledged: (message: Acknowledged) => void, onUnhandled: (text: string) => void): Promise<ClientWorker> {
    const worker = new Worker(BOOT, { eval: true, workerData: setup });
    const client = new ClientWorker(worker);
    await new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'acknowledged') onAcknowledged(message);
        else if (message.type === 'unhandled') onUnhandled(message.text);
        else client.#settle(message);
      });
    });
    worker.on('error', (error) => {
      for (const pending of client.#pending.values()) pending.reject(error);
      client.#pending.clear();
    });
    return client;
  }

  /** Rejects, naming the call, when it has not finished within CALL_DEADLINE_MS: a hang is a finding, not a wait. */
  call<R>(call: ClientCall): Promise<R> {
    const id = ++this.#nextId;
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${JSON.stringify(call).slice(0, 200)} did not finish within ${CALL_DEADLINE_MS / 1000} s`));
      }, CALL_DEADLINE_MS);
      const settle = <A extends unknown[]>(done: (...args: A) => void) => (...args: A) => {
        clearTimeout(timer);
        done(...args);
      };
      this.#pending.set(id, { resolve: settle(resolve as (value: unknown) => void), reject: settle(reject) });
      this.#worker.postMessage({ id, call });
    });
  }

  async close(): Promise<void> {
    await this.call({ kind: 'close' }).catch(() => undefined);
    await this.#worker.terminate();
  }

  #settle(message: Extract<FromWorker, { type: 'reply' | 'failure' }>): void {
    const pending = this.#pending.get(message.id);
    this.#pending.delete(message.id);
    if (message.type === 'reply') pending?.resolve(message.result);
    else pending?.reject(new Error(`in the client worker: ${message.message}`));
  }
}

/** One workload client living in a worker thread, driven by the run. */
export class RemoteClient {
  #isOnline = true;

  constructor(
    readonly index: number,
    private readonly worker: ClientWorker,
  ) {}

  get isOnline(): boolean {
    return this.#isOnline;
  }

  write(command: WriteCommand): Promise<WriteOutcome> {
    return this.worker.call({ kind: 'write', client: this.index, command });
  }

  async setOnline(isOnline: boolean): Promise<void> {
    this.#isOnline = isOnline;
    await this.worker.call({ kind: 'network', client: this.index, isOnline });
  }

  /** Closes the replica and opens it again, as a reloaded tab does. */
  reopen(): Promise<void> {
    return this.worker.call({ kind: 'reopen', client: this.index });
  }

  resync(): Promise<void> {
    return this.worker.call({ kind: 'resync', client: this.index });
  }

  recentErrors(): Promise<string[]> {
    return this.worker.call({ kind: 'errors', client: this.index });
  }

  /** One document as the replica stores it, with its conflict base and the checkpoints (for a run that did not converge). */
  inspect(collection: WorkloadCollection, id: string): Promise<string> {
    return this.worker.call({ kind: 'inspect', client: this.index, collection, id });
  }

  /** What the replica's storage holds, read through a query never made before. */
  freshSnapshot(collection: WorkloadCollection): Promise<Record<string, unknown>[]> {
    return this.worker.call({ kind: 'fresh-snapshot', client: this.index, collection });
  }

  snapshot(collection: WorkloadCollection): Promise<Record<string, unknown>[]> {
    return this.worker.call({ kind: 'snapshot', client: this.index, collection });
  }
}

export interface RemoteClients {
  clients: RemoteClient[];
  close(): Promise<void>;
}

/** Starts the clients, a few per worker thread. */
export async function startRemoteClients(
  proxyUrl: string,
  requestTimeoutMs: number,
  clients: WorkerSetup['clients'],
  onAcknowledged: (message: Acknowledged) => void,
  onUnhandled: (text: string) => void,
): Promise<RemoteClients> {
  const groups: WorkerSetup['clients'][] = [];
  for (let i = 0; i < clients.length; i += CLIENTS_PER_WORKER) groups.push(clients.slice(i, i + CLIENTS_PER_WORKER));
  const workers = await Promise.all(groups.map((group) => ClientWorker.start({ proxyUrl, requestTimeoutMs, clients: group }, onAcknowledged, onUnhandled)));
  return {
    clients: groups.flatMap((group, w) => group.map(({ author }) => new RemoteClient(author.index, workers[w] as ClientWorker))),
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
