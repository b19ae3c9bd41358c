import type { Author, WorkloadCollection, WriteCommand } from './chaos-documents.ts';

/**
 * RxDB's free edition opens at most 13 collections per JavaScript realm, so workload clients live
 * in worker threads, a few per worker; these are the messages between a worker and the run.
 */
export const CLIENTS_PER_WORKER = 4;

export interface WorkerSetup {
  proxyUrl: string;
  requestTimeoutMs: number;
  clients: { author: Author; cookie: string }[];
}

export type ClientCall =
  | { kind: 'write'; client: number; command: WriteCommand }
  | { kind: 'network'; client: number; isOnline: boolean }
  | { kind: 'reopen'; client: number }
  | { kind: 'resync'; client: number }
  | { kind: 'snapshot'; client: number; collection: WorkloadCollection }
  /** The same, through a query never made before: what storage holds, past any cached query result. */
  | { kind: 'fresh-snapshot'; client: number; collection: WorkloadCollection }
  /** The last replication errors of a client, newest last (for a run that did not converge). */
  | { kind: 'errors'; client: number }
  /** A document's stored state (tombstones included), its conflict base and the replication's checkpoints. */
  | { kind: 'inspect'; client: number; collection: WorkloadCollection; id: string }
  | { kind: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'reply'; id: number; result: unknown }
  | { type: 'failure'; id: number; message: string }
  /** A push the server answered: the workload values of the rows it accepted. */
  /** A promise in a client rejected with nobody waiting: a bug in the client, reported, not fatal to the thread. */
  | { type: 'unhandled'; text: string }
  | { type: 'acknowledged'; collection: string; values: string[]; accepted: number; conflicts: number; rejected: { collection: string; id: string; reason: string }[] };
