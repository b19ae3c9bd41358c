import fc from 'fast-check';
import { uuidv7 } from '../../../shared/id/uuidv7.ts';
import { SLOTS, type WorkloadCollection, type WriteCommand } from './chaos-documents.ts';
import { write } from './chaos-run.ts';
import type { ChaosWorld } from './chaos-world.ts';
import { valuesIn } from './set-accounting.ts';

/** What the model knows besides the ledger (which lives in the world): who is offline. */
export interface SyncModel {
  isOnline: boolean[];
}

type Command = fc.AsyncCommand<SyncModel, ChaosWorld>;

/** The server's live workload values right now. */
export async function presentValues(world: ChaosWorld): Promise<Set<string>> {
  const present = new Set<string>();
  for (const [collection, documents] of await world.serverDocuments()) {
    for (const document of documents) for (const value of valuesIn(document, SLOTS[collection])) present.add(value);
  }
  return present;
}

class Write implements Command {
  constructor(
    readonly client: number,
    readonly kind: WriteCommand['kind'],
    readonly collection: WorkloadCollection,
    readonly pick: number,
  ) {}
  check = () => true;
  async run(_model: SyncModel, world: ChaosWorld): Promise<void> {
    const client = world.clients[this.client];
    if (!client) throw new Error(`no client ${this.client}`);
    const collection = this.kind === 'create' || this.collection !== 'timeline' ? this.collection : 'devices';
    await write(client, world, { kind: this.kind, collection, pick: this.pick, slotPick: this.pick, value: world.ledger.nextValue(), id: uuidv7() });
  }
  toString = () => `${this.kind} ${this.collection} on client ${this.client} (pick ${this.pick.toFixed(2)})`;
}

class Offline implements Command {
  constructor(readonly client: number) {}
  check = (model: Readonly<SyncModel>) => model.isOnline[this.client] === true;
  async run(model: SyncModel, world: ChaosWorld): Promise<void> {
    model.isOnline[this.client] = false;
    await world.clients[this.client]?.setOnline(false);
  }
  toString = () => `client ${this.client} goes offline`;
}

class Online implements Command {
  constructor(readonly client: number) {}
  check = (model: Readonly<SyncModel>) => model.isOnline[this.client] === false;
  async run(model: SyncModel, world: ChaosWorld): Promise<void> {
    model.isOnline[this.client] = true;
    await world.clients[this.client]?.setOnline(true);
    await world.clients[this.client]?.resync();
  }
  toString = () => `client ${this.client} comes online`;
}

class KillServer implements Command {
  constructor(readonly downtimeMs: number) {}
  check = () => true;
  async run(_model: SyncModel, world: ChaosWorld): Promise<void> {
    await world.killServer(this.downtimeMs);
  }
  toString = () => `SIGKILL the server, back after ${this.downtimeMs} ms`;
}

class RestartClient implements Command {
  constructor(readonly client: number) {}
  check = () => true;
  async run(_model: SyncModel, world: ChaosWorld): Promise<void> {
    await world.clients[this.client]?.reopen();
  }
  toString = () => `client ${this.client} restarts`;
}

/**
 * The online clients settle: each must then hold exactly the server's documents, no acknowledged
 * value may be gone, none may appear from nowhere, and every value an online client wrote and
 * nobody replaced must be on the server.
 */
class Sync implements Command {
  check = () => true;
  async run(model: SyncModel, world: ChaosWorld): Promise<void> {
    const online = world.clients.filter((client) => model.isOnline[client.index]);
    for (const client of online) await client.resync();
    await world.converge(120_000, online);
    const present = await presentValues(world);
    const report = world.ledger.report(present);
    if (report.lost.length > 0 || report.unexpected.length > 0) {
      throw new Error(`after sync: lost ${report.lost.join(' ')}, unexpected ${report.unexpected.join(' ')}`);
    }
    const missing = report.missingAfterSync.filter((value) => model.isOnline[world.ledger.written.get(value)?.client ?? -1]);
    if (missing.length > 0) throw new Error(`after sync, written by online clients and missing: ${missing.join(' ')}`);
  }
  toString = () => 'sync';
}

/** The commands of the model-based test, for `clients` clients. */
export function syncCommands(clients: number): fc.Arbitrary<Command>[] {
  const client = fc.nat(clients - 1);
  const pick = fc.integer({ min: 0, max: 999 }).map((n) => n / 1000);
  // Creates and updates most, as people do; deletes and resolutions now and then.
  const kind = fc.constantFrom<WriteCommand['kind']>('create', 'create', 'create', 'update', 'update', 'update', 'update', 'delete', 'resolve');
  const writes = fc
    .tuple(client, kind, fc.constantFrom(...(Object.keys(SLOTS) as WorkloadCollection[])), pick)
    .map(([c, kind, collection, p]) => new Write(c, kind, collection, p));
  // Listed three times: writes are most of what people do.
  return [
    writes,
    writes,
    writes,
    client.map((c) => new Offline(c)),
    client.map((c) => new Online(c)),
    fc.integer({ min: 0, max: 500 }).map((ms) => new KillServer(ms)),
    client.map((c) => new RestartClient(c)),
    fc.constant(new Sync()),
  ];
}
