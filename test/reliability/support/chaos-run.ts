import { Random } from '../../../server/seed/random.ts';
import { SLOTS, type WriteCommand } from './chaos-documents.ts';
import { ChaosWorld } from './chaos-world.ts';
import type { RemoteClient } from './remote-clients.ts';
import type { FaultKind, FaultRates } from './fault-proxy.ts';
import { valuesIn, type SetReport } from './set-accounting.ts';

export interface ChaosOptions {
  seed: number;
  clients: number;
  operations: number;
  /** SIGKILLs of the server, spread over the run. */
  kills: number;
  rates: FaultRates;
  /** Each operation is followed by a pause of up to this long, so replication interleaves. */
  maxPauseMs: number;
  /** How long the healed system may take to converge. */
  convergeTimeoutMs: number;
  log?(line: string): void;
  /** Logs every write with what it replaced: the history to read when a seed fails. */
  trace?: boolean;
  /** Weight of client restarts among the steps (writes weigh 80); default 2. */
  restartWeight?: number;
}

export interface ChaosResult {
  seed: number;
  clients: number;
  operations: Record<string, number>;
  kills: number;
  faults: Record<FaultKind | 'requests' | 'connections', number>;
  /** Rows accepted, conflicts answered, and refusals with their reasons. */
  pushes: { accepted: number; conflicts: number; rejected: string[] };
  /** Live documents on the server at the end, and conflict records among them. */
  documents: number;
  conflictRecords: number;
  report: SetReport;
  /** Why the replicas did not all equal the server after healing; undefined when they did. */
  divergence: string | undefined;
  /** Rejections no client code handled. */
  unhandled: string[];
  durationMs: number;
}

/** The fault rates of a run: every kind of fault, often enough to hit pushes in every state. */
export const CHAOS_RATES: FaultRates = {
  delay: 0.2,
  maxDelayMs: 400,
  drop: 0.03,
  reset: 0.03,
  halfOpen: 0.01,
  cutAfterCommit: 0.08,
  duplicate: 0.1,
  streamCut: 0.2,
};

type Step = 'write' | 'offline' | 'online' | 'restart client' | 'pause';
const steps = (restartWeight: number): readonly (readonly [Step, number])[] => [['write', 80], ['offline', 6], ['online', 7], ['restart client', restartWeight], ['pause', 5]];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A randomized run: random clients create, update, delete and resolve documents while going
 * offline and online and restarting, through a faulty network, while the server is killed with
 * SIGKILL and restarted; then the network heals, every replica must equal the server, and the
 * ledger counts lost, unexpected and indeterminate writes. The seed fixes every random choice
 * (operations, targets, faults, kill points); only the interleaving with timers varies.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const random = new Random(options.seed, 'chaos');
  const log = options.log ?? (() => undefined);
  log(`chaos seed ${options.seed}: ${options.clients} clients, ${options.operations} operations, ${options.kills} kills (reproduce: CHAOS_SEED=${options.seed} npm run chaos)`);
  const world = await ChaosWorld.create({ clients: options.clients, random: random.fork('world') });
  try {
    const counts: Record<string, number> = {};
    const count = (what: string | undefined) => {
      if (what) counts[what] = (counts[what] ?? 0) + 1;
    };
    const killAt = new Set(Array.from({ length: options.kills }, (_, k) => Math.floor(((k + 1) * options.operations) / (options.kills + 1))));
    world.proxy.rates = options.rates;
    const STEPS = steps(options.restartWeight ?? 2);

    for (let i = 0; i < options.operations; i++) {
      if (killAt.has(i)) {
        await world.killServer(random.int(50, 800));
        log(`  op ${i}: server killed with SIGKILL and restarted (${world.server.kills} so far)`);
      }
      count(await step(random.weighted(STEPS), random.pick(world.clients), world, random, options.trace ? log : undefined));
      await sleep(random.int(0, options.maxPauseMs));
      if ((i + 1) % 1000 === 0) log(`  ${i + 1} operations, ${world.ledger.written.size} values written, ${world.ledger.acknowledged.size} acknowledged`);
    }

    await world.heal();
    log('  network healed: waiting for every replica to equal the server');
    // A replica left behind fails the run, yet the writes are still counted against the server.
    let divergence: string | undefined;
    const onServer = await world.converge(options.convergeTimeoutMs).catch(async (error: unknown) => {
      divergence = error instanceof Error ? error.message : String(error);
      return world.serverDocuments();
    });
    const present = new Set<string>();
    let documents = 0;
    let conflictRecords = 0;
    for (const [collection, list] of onServer) {
      documents += list.length;
      for (const document of list) {
        for (const value of valuesIn(document, SLOTS[collection])) present.add(value);
        conflictRecords += (document['conflicts'] as unknown[] | undefined)?.length ?? 0;
      }
    }
    return {
      seed: options.seed,
      clients: options.clients,
      operations: counts,
      kills: world.server.kills,
      faults: { ...world.proxy.counts },
      pushes: { ...world.pushes, rejected: [...world.pushes.rejected] },
      documents,
      conflictRecords,
      report: world.ledger.report(present),
      divergence,
      unhandled: [...world.unhandled],
      durationMs: Date.now() - started,
    };
  } finally {
    await world.dispose();
  }
}

let idCounter = 0;
const ID_EPOCH = Date.UTC(2026, 0, 1);

/** The next write, every choice drawn from the run's stream (ids are time-ordered by a counter). */
export function nextWrite(random: Random, world: { ledger: { nextValue(): string } }): WriteCommand {
  const kind = random.weighted([['create', 30], ['update', 55], ['delete', 9], ['resolve', 6]] as const);
  const collection =
    kind === 'create' ? random.weighted([['devices', 5], ['incidents', 3], ['timeline', 2]] as const) : random.weighted([['devices', 3], ['incidents', 2]] as const);
  return { kind, collection, pick: random.next(), slotPick: random.next(), value: world.ledger.nextValue(), id: random.uuid(ID_EPOCH + ++idCounter) };
}

/** Runs a write on a client and enters it in the ledger. */
export async function write(client: RemoteClient, world: ChaosWorld, command: WriteCommand, trace?: (line: string) => void): Promise<string | undefined> {
  const outcome = await client.write(command);
  trace?.(`c${client.index} ${command.kind} ${command.collection} ${command.value}: ${outcome.label ?? 'nothing to do'} ${outcome.written ? `${outcome.written.documentId}.${outcome.written.slot}` : (outcome.target ?? '')} replaced [${outcome.replaced.join(',')}]`);
  if (outcome.written) world.ledger.recordWrite(outcome.written.value, outcome.written);
  world.ledger.recordReplaced(outcome.replaced);
  return outcome.label;
}

async function step(kind: Step, client: RemoteClient, world: ChaosWorld, random: Random, trace: ((line: string) => void) | undefined): Promise<string | undefined> {
  if (kind === 'offline' || kind === 'restart client') trace?.(`c${client.index} ${kind}`);
  if (kind === 'offline') {
    if (!client.isOnline) return undefined;
    await client.setOnline(false);
    return 'offline';
  }
  if (kind === 'online') {
    const offline = world.clients.filter((c) => !c.isOnline);
    if (offline.length === 0) return undefined;
    const back = random.pick(offline);
    trace?.(`c${back.index} online`);
    await back.setOnline(true);
    await back.resync();
    return 'online';
  }
  if (kind === 'restart client') {
    await client.reopen();
    return 'restart client';
  }
  if (kind === 'pause') {
    await sleep(random.int(50, 400));
    return 'pause';
  }
  return write(client, world, nextWrite(random, world), trace);
}

/** One line per figure, for the console and the note. */
export function describeChaos(result: ChaosResult): string {
  const { report } = result;
  return [
    `seed ${result.seed}: ${result.clients} clients, ${Object.values(result.operations).reduce((a, b) => a + b, 0)} operations (${Object.entries(result.operations).map(([k, v]) => `${v} ${k}`).join(', ')})`,
    `server SIGKILLed and restarted ${result.kills} times; ${(result.durationMs / 1000).toFixed(1)} s`,
    `faults: ${Object.entries(result.faults).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `pushes: ${result.pushes.accepted} rows accepted, ${result.pushes.conflicts} conflicts answered, ${result.pushes.rejected.length} refused${result.pushes.rejected.length ? ` (${result.pushes.rejected.slice(0, 5).join('; ')})` : ''}`,
    `end state: ${result.documents} live documents, ${result.conflictRecords} conflict records, ${result.divergence === undefined ? 'every replica identical to the server' : 'SOME REPLICAS DIFFER from the server'}; ${result.unhandled.length} unhandled rejections in clients`,
    `set workload: ${report.attempted} written, ${report.acknowledged} acknowledged, ${report.ok} ok, ${report.replaced} replaced by a writer that saw them, ` +
      `${report.lost.length} lost, ${report.unexpected.length} unexpected, ${report.indeterminate} indeterminate (${report.recovered} recovered), ${report.missingAfterSync.length} missing after sync`,
  ].join('\n');
}
