import { timingSafeEqual } from 'node:crypto';
import type { Device } from '../../shared/schema/device.ts';
import { hashToken } from '../auth/tokens.ts';
import { defaultLogger, type Logger } from '../observability/logger.ts';
import type { AgentDeviceRecord, AgentIngestUpdate } from '../store/agents.ts';
import type { Store } from '../store/store.ts';
import type { TelemetryState } from './telemetry-pipeline.ts';

/** Agent states written per transaction by a flush (about 2 ms of SQLite each here). */
const FLUSH_CHUNK = 100;

interface Entry {
  agent: AgentDeviceRecord;
  /** The device document as last committed (kept fresh from the store's change feed). */
  device: Device | undefined;
  state: TelemetryState;
  /** The stored state `state` derives from: a flush saves only over that one. */
  stateStamp: string;
  /** Another instance saved a newer state: `state` is reloaded before it decides anything. */
  isStale: boolean;
  lastSeenAt: number;
  /** Ids applied but not yet flushed to the durable list: checked before the database. */
  recentRecordIds: Set<string>;
  pendingRecordIds: string[];
  isDirty: boolean;
  usedAt: number;
}

/**
 * In-memory view of enrolled agents, so a heartbeat costs no database round trip: it moves
 * last-seen and the open hour's sums in memory, flushed every second in one transaction.
 * Records that change documents (inventory, checks, transitions) are flushed before the answer.
 * A crash loses at most the last second of heartbeat soft state, never a document change.
 *
 * Several instances may hear the same device (no sticky sessions). Last seen only moves forward
 * in the database; a state is saved only over the stored state it derives from, so an instance
 * that missed another's save finds out at its next flush, drops its copy (heartbeat sums of at
 * most one flush interval) and reloads; and anything that writes a document is decided on the
 * durable state (`reload`). A revocation through another instance is learnt at the next flush.
 */
export class AgentRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #stopWatching: () => void;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly options: { flushEveryMs?: number; idleEvictMs?: number; logger?: Logger } = {},
  ) {
    const logger = options.logger ?? defaultLogger();
    this.#timer = setInterval(() => void this.flush().catch((error: unknown) => logger.error({ err: error }, 'agent state flush failed')), options.flushEveryMs ?? 1000);
    this.#timer.unref();
    this.#stopWatching = store.onChange((batch) => {
      if (batch.collection !== 'devices') return;
      for (const document of batch.documents) {
        const entry = this.#entries.get(document.id);
        if (entry) entry.device = document._deleted ? undefined : (document as unknown as Device);
      }
    });
  }

  /** The agent behind a `<deviceId>.<secret>` credential, or undefined. */
  async authenticate(deviceId: string, secret: string): Promise<Entry | undefined> {
    const entry = await this.entry(deviceId);
    if (!entry) return undefined;
    const expected = Buffer.from(entry.agent.secretHash);
    const actual = Buffer.from(hashToken(secret));
    return expected.length === actual.length && timingSafeEqual(expected, actual) ? entry : undefined;
  }

  async entry(deviceId: string): Promise<Entry | undefined> {
    const cached = this.#entries.get(deviceId);
    if (cached) {
      cached.usedAt = Date.now();
      return cached;
    }
    const agent = await this.store.agents.get(deviceId);
    if (!agent) return undefined;
    const [document] = await this.store.getMany('devices', [deviceId]);
    const raced = this.#entries.get(deviceId);
    if (raced) return raced;
    const entry: Entry = {
      agent,
      device: document && !document._deleted ? (document as unknown as Device) : undefined,
      state: (agent.telemetryState ?? { checks: {} }) as TelemetryState,
      stateStamp: agent.stateStamp,
      isStale: false,
      lastSeenAt: agent.lastSeenAt ?? 0,
      recentRecordIds: new Set(),
      pendingRecordIds: [],
      isDirty: false,
      usedAt: Date.now(),
    };
    this.#entries.set(deviceId, entry);
    return entry;
  }

  /**
   * Reads the device's stored state; when another instance saved a newer one, the entry takes
   * it (this instance's unsaved heartbeat sums are dropped). Resolves whether the state changed.
   * Callers hold the device's ingest lock.
   */
  async reload(entry: Entry): Promise<boolean> {
    const stored = await this.store.agents.get(entry.agent.deviceId);
    if (!stored) return false;
    entry.agent = stored;
    entry.lastSeenAt = Math.max(entry.lastSeenAt, stored.lastSeenAt ?? 0);
    entry.isStale = false;
    if (stored.stateStamp === entry.stateStamp) return false;
    entry.state = (stored.telemetryState ?? { checks: {} }) as TelemetryState;
    entry.stateStamp = stored.stateStamp;
    return true;
  }

  /** Revocation takes effect at once in this process (other instances: at their next flush). */
  forget(deviceId: string): void {
    this.#entries.delete(deviceId);
  }

  markApplied(entry: Entry, state: TelemetryState, recordIds: readonly string[]): void {
    entry.state = state;
    entry.lastSeenAt = Date.now();
    entry.pendingRecordIds.push(...recordIds);
    for (const id of recordIds) entry.recentRecordIds.add(id);
    entry.isDirty = true;
  }

  /** Writes every dirty state; chained so flushes never overlap. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(async () => {
      const dirty: { update: AgentIngestUpdate; entry: Entry }[] = [];
      const now = Date.now();
      for (const [deviceId, entry] of this.#entries) {
        if (entry.isDirty) {
          dirty.push({ update: { deviceId, lastSeenAt: entry.lastSeenAt, telemetryState: entry.state, basedOnStamp: entry.stateStamp, recordIds: entry.pendingRecordIds }, entry });
          entry.pendingRecordIds = [];
          entry.isDirty = false;
        } else if (now - entry.usedAt > (this.options.idleEvictMs ?? 15 * 60_000)) {
          // Idle entries are dropped, so state changed by another instance is reloaded.
          this.#entries.delete(deviceId);
        }
      }
      for (let start = 0; start < dirty.length; start += FLUSH_CHUNK) {
        // SQLite writes block the event loop: a fleet's second of heartbeats in one transaction
        // held every request behind it; in chunks, with requests served in between, it does not.
        if (start > 0) await new Promise((resolve) => setImmediate(resolve));
        const chunk = dirty.slice(start, start + FLUSH_CHUNK);
        for (const saved of await this.store.agents.saveIngest(chunk.map((d) => d.update))) {
          const entry = this.#entries.get(saved.deviceId);
          if (!entry) continue;
          // Saved: memory descends from what is stored. Refused: another instance saved first.
          entry.isStale = !saved.isSaved;
          if (saved.isSaved) entry.stateStamp = saved.stateStamp;
          if (saved.revokedAt !== undefined && entry.agent.revokedAt === undefined) entry.agent = { ...entry.agent, revokedAt: saved.revokedAt };
        }
        // Once durable, the database answers for these ids.
        for (const { update, entry } of chunk) for (const id of update.recordIds) entry.recentRecordIds.delete(id);
      }
    });
    return this.#flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#stopWatching();
    await this.flush();
  }
}

export type AgentEntry = Entry;
