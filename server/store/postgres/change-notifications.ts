import { createHash } from 'node:crypto';
import pg from 'pg';
import * as v from 'valibot';
import { COLLECTIONS, type CollectionName } from '../../../shared/schema/collections.ts';
import type { Logger } from '../../observability/logger.ts';
import { clientConfig, type Queryable } from './connection.ts';

/**
 * What one committed transaction did to one organization. Small and of fixed size (PostgreSQL
 * refuses payloads of 8000 bytes and more): receivers load the documents by sequence range.
 */
export interface ChangeAnnouncement {
  /** The instance that wrote it, which has already told its own listeners. */
  instance: string;
  collection: CollectionName;
  orgId: string;
  fromSeq: number;
  toSeq: number;
  /** Seeded with insertMany: not for listeners (as on SQLite), only a position to move past. */
  isSilent: boolean;
  /**
   * When it was sent (the sender's clock, ms since the epoch), for the fan-out delay metric.
   * Optional: instances of the previous version, during a rolling upgrade, do not send it.
   */
  sentAt?: number | undefined;
}

const Seq = v.pipe(v.number(), v.safeInteger(), v.minValue(1));
const AnnouncementSchema = v.object({
  instance: v.string(),
  collection: v.picklist(Object.keys(COLLECTIONS) as [CollectionName, ...CollectionName[]]),
  orgId: v.pipe(v.string(), v.minLength(1)),
  fromSeq: Seq,
  toSeq: Seq,
  isSilent: v.boolean(),
  sentAt: v.optional(v.pipe(v.number(), v.safeInteger())),
});

export function encodeAnnouncement(announcement: ChangeAnnouncement): string {
  return JSON.stringify(announcement);
}

/** Undefined for anything that is not an announcement (a foreign sender on the channel). */
export function decodeAnnouncement(payload: string | undefined): ChangeAnnouncement | undefined {
  try {
    const result = v.safeParse(AnnouncementSchema, JSON.parse(payload ?? ''));
    return result.success && result.output.fromSeq <= result.output.toSeq ? result.output : undefined;
  } catch {
    return undefined;
  }
}

/** One channel per schema: stores isolated in schemas of one database do not hear each other. */
export function channelFor(schema: string): string {
  const channel = schema === 'public' ? 'outpost_changes' : `outpost_changes_${schema}`;
  // Identifiers stop at 63 bytes; pg_notify refuses longer channel names.
  return channel.length <= 63 ? channel : `outpost_changes_${createHash('sha256').update(schema).digest('hex').slice(0, 40)}`;
}

/**
 * Sent after the write committed, as a statement of its own. Inside the write's transaction it
 * would be atomic with it, but PostgreSQL holds a database-wide lock from a notifying
 * transaction's pre-commit until its end, across the WAL flush of the commit: every writer of
 * every organization would queue there. A NOTIFY-only transaction writes no WAL to flush. A signal
 * lost in a crash between the two costs latency only: the organization's next announcement loads
 * the gap (see OrderedChangeFeed), and clients re-pull after reconnecting.
 */
export async function publish(db: Queryable, channel: string, announcements: readonly ChangeAnnouncement[]): Promise<void> {
  if (announcements.length === 0) return;
  await db.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [channel, announcements.map(encodeAnnouncement)]);
}

export interface ListenerOptions {
  url: string;
  channel: string;
  applicationName: string;
  onAnnouncement: (announcement: ChangeAnnouncement) => void;
  /** After a reconnect: announcements sent while disconnected were lost, catch up from the database. */
  onReconnected: () => Promise<void>;
  pingEveryMs?: number;
  logger: Logger;
}

/**
 * A dedicated connection LISTENing on the channel (a pooled one would be handed to queries and
 * its LISTEN lost). It reconnects with backoff when the connection drops or stops answering.
 */
export class ChangeListenerConnection {
  #client: pg.Client | undefined;
  #isStopped = false;
  #retryDelayMs = 100;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: ListenerOptions) {}

  get isConnected(): boolean {
    return this.#client !== undefined;
  }

  /** Connects and listens; fails if the first attempt fails (the store cannot start without it). */
  async start(): Promise<void> {
    await this.#connect();
    this.#pingTimer = setInterval(() => void this.#ping(), this.options.pingEveryMs ?? 10_000);
    this.#pingTimer.unref();
  }

  async stop(): Promise<void> {
    this.#isStopped = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#pingTimer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({
      ...clientConfig({ url: this.options.url, applicationName: this.options.applicationName }),
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      query_timeout: 5_000,
    });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, undefined));
    client.on('notification', (message) => {
      if (message.channel !== this.options.channel) return;
      const announcement = decodeAnnouncement(message.payload);
      if (announcement) this.options.onAnnouncement(announcement);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(this.options.channel)}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#isStopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#retryDelayMs = 100;
  }

  #lost(client: pg.Client, error: Error | undefined): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => undefined);
    if (this.#isStopped) return;
    this.options.logger.error({ reason: error?.message }, 'PostgreSQL change listener: connection lost, reconnecting');
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#isStopped || this.#retryTimer) return;
    const delay = this.#retryDelayMs * (0.75 + Math.random() * 0.5);
    this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, 5_000);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#connect().then(
        () => (this.#isStopped ? undefined : this.options.onReconnected()),
        (error: unknown) => {
          this.options.logger.error({ reason: error instanceof Error ? error.message : String(error) }, 'PostgreSQL change listener: reconnect failed');
          this.#scheduleReconnect();
        },
      ).catch((error: unknown) => this.options.logger.error({ err: error }, 'PostgreSQL change listener: catching up after a reconnect failed'));
    }, delay);
    this.#retryTimer.unref();
  }

  /** A connection can die without a word (a failover, a dropped NAT entry): ask it now and then. */
  async #ping(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    try {
      await client.query('SELECT 1');
    } catch (error) {
      this.#lost(client, error instanceof Error ? error : new Error(String(error)));
    }
  }
}
