import { Random } from '../../../server/seed/random.ts';
import { setBroadcastLatency } from './broadcast-latency.ts';
import { judgeDisjoint, judgeSameField, MergeHistory, type FieldSlot, type MergeMode } from './merge-history.ts';
import { MERGE_COLLECTIONS, MergeWorld, type MergeClient, type MergeCollection } from './merge-world.ts';

/** RxDB's free edition refuses a 14th open collection in one realm (COL23). */
const MAX_OPEN_COLLECTIONS = 13;

export interface MergeOptions {
  seed: number;
  mode: MergeMode;
  clients: number;
  devices: number;
  risks: number;
  steps: number;
  /** Each step is followed by a pause of up to this long, so replication interleaves with the next. */
  maxPauseMs: number;
  /** How long the healed system may take to converge. */
  convergeTimeoutMs: number;
  /** Second tabs that edit the same replica (they do not replicate; the first tab pushes their writes). */
  tabs: boolean;
  /** Delivery latency of the log storage's BroadcastChannel notices, up to this (see broadcast-latency.ts); 0 for Node's. */
  broadcastLatencyMs: number;
  /** Changes the weight of kinds of step (see Planner): 0 leaves a kind out. */
  weights?: Partial<Record<StepKind, number>>;
  /** The replicas' storage (default: the log storage, as in browsers); second tabs need the log storage. */
  storage?: 'log' | 'memory';
  log?(line: string): void;
  /** Logs each step as it runs (the step log is kept either way). */
  trace?: boolean;
}

export interface MergeResult {
  seed: number;
  mode: MergeMode;
  /** Every step as it ran, with what each write replaced: the sequence to read when a seed fails. */
  stepLog: string[];
  counts: Record<string, number>;
  writes: number;
  conflictRecords: number;
  pushes: { rows: number; withoutBase: number; conflictsAnswered: number; withoutBaseSamples: string[] };
  /** Set when some replica did not equal the server after healing. */
  divergence: string | undefined;
  /** What the end state shows wrong (empty: the run passed). */
  failures: string[];
  durationMs: number;
}

export const STEP_KINDS = ['edit', 'burst', 'tab edit', 'offline', 'online', 'reload', 'reload and edit', 'close', 'open', 'restart sync', 'pause'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

type Step =
  | { kind: 'edit'; client: number; via: 'main' | 'tab'; edits: Edit[] }
  | { kind: 'offline' | 'online' | 'reload' | 'close' | 'open' | 'restart sync'; client: number; thenEdit?: Edit[] }
  | { kind: 'pause'; ms: number };
interface Edit {
  collection: MergeCollection;
  documentId: string;
  field: string;
  value: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A randomized run of real clients editing shared documents (see merge-world.ts), through
 * disconnects, reloads, closed and reopened replicas, restarted replication, second tabs and live
 * changes arriving while they edit; then everyone heals and the end state is judged against the
 * history (merge-history.ts). The seed fixes every step; only the timing of replication varies.
 */
export async function runMerge(options: MergeOptions): Promise<MergeResult> {
  if (options.clients * MERGE_COLLECTIONS.length > MAX_OPEN_COLLECTIONS) throw new Error(`at most ${Math.floor(MAX_OPEN_COLLECTIONS / MERGE_COLLECTIONS.length)} clients: RxDB's free edition opens at most ${MAX_OPEN_COLLECTIONS} collections in a process`);
  if (options.tabs && options.storage === 'memory') throw new Error('second tabs share a replica through the log storage: run them with storage log');
  const started = Date.now();
  const random = new Random(options.seed, `merge-${options.mode}`);
  const log = options.log ?? (() => undefined);
  const broadcastDraws = random.fork('broadcast');
  setBroadcastLatency(options.broadcastLatencyMs, () => broadcastDraws.next());
  const stepLog: string[] = [];
  const note = (line: string) => {
    stepLog.push(line);
    if (options.trace) log(line);
  };
  const world = await MergeWorld.create({ clients: options.clients, devices: options.devices, risks: options.risks, mode: options.mode, random: random.fork('world'), note, ...(options.storage ? { storage: options.storage } : {}) }).catch((error: unknown) => {
    setBroadcastLatency(0);
    throw error;
  });
  const history = new MergeHistory();
  const counts: Record<string, number> = {};
  const failures: string[] = [];
  try {
    note(`setup: ${world.clients.map((c) => `${c.label} ${c.role}`).join(', ')}; ${describeSlots(world.slots, options.mode)}`);
    const notPristine = (await Promise.all(world.clients.map(async (c) => (await c.arePristine(world.ids)).map((what) => `${c.label} ${what}`)))).flat();
    // The bug this run hunts lives where conflict bases are written lazily: edits must start on pristine documents.
    if (notPristine.length > 0) throw new Error(`shared documents not pristine after the first sync: ${notPristine.join(', ')}`);

    const plan = new Planner(random.fork('steps'), world.clients, world.slots, options);
    for (let index = 0; index < options.steps; index++) {
      const step = plan.next();
      counts[step.kind] = (counts[step.kind] ?? 0) + 1;
      await run(step, index, world, history, note);
      await sleep(random.int(0, options.maxPauseMs));
    }

    note('heal: every client open and online');
    await world.heal();
    const divergence = await world.converge(options.convergeTimeoutMs);
    if (divergence) failures.push(divergence);
    const onServer = await world.serverDocuments();
    const inReplicas = await world.replicaDocuments();
    failures.push(...(options.mode === 'disjoint' ? judgeDisjoint(history, world.slots, onServer, inReplicas) : judgeSameField(history, onServer, inReplicas)));
    const pushes = { rows: 0, withoutBase: 0, conflictsAnswered: 0, withoutBaseSamples: [] as string[] };
    for (const client of world.clients) {
      pushes.rows += client.pushes.rows;
      pushes.withoutBase += client.pushes.withoutBase;
      pushes.conflictsAnswered += client.pushes.conflictsAnswered;
      pushes.withoutBaseSamples.push(...client.pushes.withoutBaseSamples);
    }
    return {
      seed: options.seed,
      mode: options.mode,
      stepLog,
      counts,
      writes: history.writes.length,
      conflictRecords: onServer.reduce((n, held) => n + ((held.document['conflicts'] as unknown[] | undefined)?.length ?? 0), 0),
      pushes,
      divergence,
      failures,
      durationMs: Date.now() - started,
    };
  } finally {
    await world.dispose();
    setBroadcastLatency(0);
  }
}

async function run(step: Step, index: number, world: MergeWorld, history: MergeHistory, note: (line: string) => void): Promise<void> {
  if (step.kind === 'pause') {
    note(`#${index} pause ${step.ms} ms`);
    await sleep(step.ms);
    return;
  }
  const client = world.clients[step.client] as MergeClient;
  client.step = index;
  if (step.kind === 'edit') {
    await edits(client, step.via, step.edits, index, history, note);
    return;
  }
  note(`#${index} ${client.label} ${step.kind}`);
  const test = client.client;
  if (step.kind === 'offline') test.network.goOffline();
  if (step.kind === 'online') {
    test.network.goOnline();
    test.sync.resync();
  }
  if (step.kind === 'restart sync') {
    await test.sync.stop();
    test.restartSync();
  }
  if (step.kind === 'reload' || step.kind === 'open') {
    // A reload closes every tab of the replica first (the second tab would keep its own copy).
    await client.closeTab();
    await test.reopen();
    client.state = 'open';
  }
  if (step.kind === 'close') {
    await client.closeTab();
    await test.close();
    client.state = 'closed';
  }
  // Right after a reopen, before its log replay and sync settle.
  if (step.thenEdit) await edits(client, 'main', step.thenEdit, index, history, note);
}

async function edits(client: MergeClient, via: 'main' | 'tab', list: readonly Edit[], index: number, history: MergeHistory, note: (line: string) => void): Promise<void> {
  for (const edit of list) {
    const prior = await client.edit(via, edit.collection, edit.documentId, edit.field, edit.value);
    history.record({ ...edit, client: client.index, userId: client.userId, prior, step: index, via });
    note(`#${index} ${client.label}${via === 'tab' ? ' (second tab)' : ''} ${edit.collection} ${edit.documentId.slice(-6)}.${edit.field} = ${edit.value} (held ${typeof prior === 'string' ? prior : JSON.stringify(prior)})`);
  }
}

function describeSlots(slots: readonly FieldSlot[], mode: MergeMode): string {
  return `${mode}: ${slots.map((s) => `${s.documentId.slice(-6)}.${s.field}→${s.writers.map((w) => `c${w}`).join('/')}`).join(' ')}`;
}

/**
 * Draws the steps. Every choice depends only on the seed and on the steps drawn before (which
 * clients are open, offline, have a second tab), never on how a step turned out, so a seed always
 * gives the same sequence.
 */
class Planner {
  readonly #isOffline = new Set<number>();
  readonly #isClosed = new Set<number>();
  readonly #hasTab = new Set<number>();
  #values = 0;
  /** RxDB's free edition opens at most 13 collections in a realm: each database here has two. */
  readonly #maxTabs: number;

  constructor(
    private readonly random: Random,
    private readonly clients: readonly MergeClient[],
    private readonly slots: readonly FieldSlot[],
    private readonly options: MergeOptions,
  ) {
    this.#maxTabs = Math.max(0, Math.floor(MAX_OPEN_COLLECTIONS / MERGE_COLLECTIONS.length) - clients.length);
  }

  next(): Step {
    const open = this.clients.filter((c) => !this.#isClosed.has(c.index));
    const writers = open.filter((c) => this.#slotsOf(c.index).length > 0);
    const kinds: [StepKind, number][] = [
      ['edit', writers.length > 0 ? 40 : 0],
      ['burst', writers.length > 0 ? 8 : 0],
      ['tab edit', writers.length > 0 && this.options.tabs ? 10 : 0],
      ['offline', open.some((c) => !this.#isOffline.has(c.index)) ? 6 : 0],
      ['online', this.#isOffline.size > 0 ? 7 : 0],
      ['reload', open.length > 0 ? 3 : 0],
      ['reload and edit', writers.length > 0 ? 3 : 0],
      ['close', open.length > 1 ? 2 : 0],
      ['open', this.#isClosed.size > 0 ? 3 : 0],
      ['restart sync', open.length > 0 ? 3 : 0],
      ['pause', 4],
    ];
    const weights = this.options.weights ?? {};
    for (const entry of kinds) if (entry[1] > 0 && weights[entry[0]] !== undefined) entry[1] = weights[entry[0]] as number;
    const kind = this.random.weighted(kinds);
    if (kind === 'pause') return { kind, ms: this.random.int(20, 300) };
    if (kind === 'edit' || kind === 'burst' || kind === 'tab edit') {
      const candidates = kind === 'tab edit' && this.#hasTab.size >= this.#maxTabs ? writers.filter((c) => this.#hasTab.has(c.index)) : writers;
      const client = this.random.pick(candidates.length > 0 ? candidates : writers).index;
      const via = kind === 'tab edit' && (this.#hasTab.has(client) || this.#hasTab.size < this.#maxTabs) ? 'tab' : 'main';
      if (via === 'tab') this.#hasTab.add(client);
      return { kind: 'edit', client, via, edits: kind === 'burst' ? this.#burst(client) : [this.#edit(this.random.pick(this.#slotsOf(client)), client)] };
    }
    if (kind === 'online') {
      const client = this.random.pick([...this.#isOffline].sort((a, b) => a - b));
      this.#isOffline.delete(client);
      return { kind, client };
    }
    if (kind === 'open') {
      const client = this.random.pick([...this.#isClosed].sort((a, b) => a - b));
      this.#isClosed.delete(client);
      return { kind, client };
    }
    if (kind === 'reload and edit') {
      const client = this.random.pick(writers).index;
      this.#hasTab.delete(client);
      return { kind: 'reload', client, thenEdit: [this.#edit(this.random.pick(this.#slotsOf(client)), client)] };
    }
    const candidates = kind === 'offline' ? open.filter((c) => !this.#isOffline.has(c.index)) : open;
    const client = this.random.pick(candidates).index;
    if (kind === 'offline') this.#isOffline.add(client);
    if (kind === 'close') this.#isClosed.add(client);
    if (kind === 'reload' || kind === 'close') this.#hasTab.delete(client);
    return { kind, client };
  }

  #slotsOf(client: number): FieldSlot[] {
    return this.slots.filter((s) => s.writers.includes(client));
  }

  #edit(slot: FieldSlot, client: number): Edit {
    return { collection: slot.collection as MergeCollection, documentId: slot.documentId, field: slot.field, value: `c${client}#${++this.#values}` };
  }

  /** Several edits of one document in a row, by one client, of the fields it writes there. */
  #burst(client: number): Edit[] {
    const mine = this.#slotsOf(client);
    const documentId = this.random.pick(mine).documentId;
    const onDocument = mine.filter((s) => s.documentId === documentId);
    return Array.from({ length: this.random.int(2, 4) }, () => this.#edit(this.random.pick(onDocument), client));
  }
}

/** One line per figure, for the console. */
export function describeMerge(result: MergeResult): string {
  return [
    `seed ${result.seed} (${result.mode}): ${Object.entries(result.counts).map(([k, v]) => `${v} ${k}`).join(', ')}; ${result.writes} writes; ${(result.durationMs / 1000).toFixed(1)} s`,
    `pushes: ${result.pushes.rows} rows, ${result.pushes.conflictsAnswered} answered with a conflict, ${result.pushes.withoutBase} sent with no assumed master state${result.pushes.withoutBaseSamples.length ? ` (${result.pushes.withoutBaseSamples.slice(0, 3).join('; ')})` : ''}`,
    `end state: ${result.conflictRecords} conflict records on the server; ${result.divergence === undefined ? 'every replica identical to the server' : 'SOME REPLICAS DIFFER from the server'}; ${result.failures.length} failures`,
  ].join('\n');
}
