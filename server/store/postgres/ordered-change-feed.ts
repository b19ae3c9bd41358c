import { defaultLogger, type Logger } from '../../observability/logger.ts';
import type { ChangeBatch } from '../store.ts';

/**
 * An organization's committed changes with `afterSeq < seq <= throughSeq`, oldest first, grouped
 * into batches of consecutive changes of one collection, at most `limit` documents in all.
 */
export type ChangeLoader = (orgId: string, afterSeq: number, throughSeq: number, limit: number) => Promise<ChangeBatch[]>;

export type FeedEntry =
  /** Written through this instance: the documents are in hand, covering `fromSeq..batch.seq`. */
  | { kind: 'written'; batch: ChangeBatch; fromSeq: number }
  /** Seeded with insertMany, which announces nothing to listeners (as SQLite): only move past it. */
  | { kind: 'silent'; orgId: string; fromSeq: number; toSeq: number }
  /** Committed through another instance (or while this one was not listening): load it. */
  | { kind: 'announced'; orgId: string; toSeq: number };

const LOAD_PAGE = 500;

/**
 * Emits each organization's changes to listeners once, in sequence order, without gaps.
 *
 * Why: a live stream hands its client `{orgId: batch.seq}` as the new checkpoint. With several
 * writers, commits of one organization can reach this process out of order (two pooled
 * connections answer in any order; two instances' notifications race), and a client that got
 * seq 10 before 9 and then lost its stream would resume after 10 and never see 9.
 *
 * How: sequences are assigned under the organization's row lock until commit, so once seq N is
 * committed every smaller seq of that organization is committed too. An entry that arrives past
 * a gap therefore loads the gap from the database and emits it first; an entry already covered
 * by such a load is dropped. Entries of one organization are handled one at a time, in arrival
 * order; organizations do not wait for each other.
 */
export class OrderedChangeFeed {
  readonly #emittedThrough = new Map<string, number>();
  readonly #tails = new Map<string, Promise<void>>();
  #start!: () => void;
  /** Nothing is handled before the starting positions are known. */
  readonly #started = new Promise<void>((resolve) => (this.#start = resolve));

  constructor(
    private readonly load: ChangeLoader,
    private readonly emit: (batches: readonly ChangeBatch[]) => void,
    private readonly logger: Logger = defaultLogger(),
  ) {}

  /** Where each organization stood when this instance began to listen (absent: nothing yet). */
  start(positions: Iterable<readonly [string, number]>): void {
    for (const [orgId, seq] of positions) this.#emittedThrough.set(orgId, seq);
    this.#start();
  }

  positionOf(orgId: string): number {
    return this.#emittedThrough.get(orgId) ?? 0;
  }

  /** Resolves once the entry was handled (its changes emitted, or found already emitted). */
  deliver(entry: FeedEntry): Promise<void> {
    const orgId = entry.kind === 'written' ? entry.batch.orgId : entry.orgId;
    const previous = this.#tails.get(orgId) ?? this.#started;
    const done = previous.then(() => this.#handle(orgId, entry)).catch((error: unknown) => this.logger.error({ err: error, orgId }, 'change feed: handling a change failed'));
    this.#tails.set(orgId, done);
    void done.then(() => {
      if (this.#tails.get(orgId) === done) this.#tails.delete(orgId);
    });
    return done;
  }

  /** Settles once every entry delivered so far was handled. */
  async idle(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all(this.#tails.values());
  }

  async #handle(orgId: string, entry: FeedEntry): Promise<void> {
    const through = this.positionOf(orgId);
    const toSeq = entry.kind === 'written' ? entry.batch.seq : entry.toSeq;
    if (toSeq <= through) return;
    if (entry.kind === 'announced') {
      // On failure the position stays where loading stopped: the next entry retries the rest.
      await this.#emitCommitted(orgId, through, toSeq);
      return;
    }
    if (entry.fromSeq > through + 1) {
      try {
        await this.#emitCommitted(orgId, through, entry.fromSeq - 1);
      } catch (error) {
        // The database is unreachable: emit what is in hand rather than hold every listener back.
        this.logger.error({ err: error, orgId, fromSeq: through + 1, toSeq: entry.fromSeq - 1 }, 'change feed: could not load changes: emitting what is in hand');
      }
    }
    if (entry.kind === 'written') this.emit([entry.batch]);
    this.#emittedThrough.set(orgId, toSeq);
  }

  async #emitCommitted(orgId: string, afterSeq: number, throughSeq: number): Promise<void> {
    let position = afterSeq;
    while (position < throughSeq) {
      const batches = await this.load(orgId, position, throughSeq, LOAD_PAGE);
      const loaded = batches.reduce((sum, batch) => sum + batch.documents.length, 0);
      if (batches.length > 0) this.emit(batches);
      const last = batches.at(-1);
      // Fewer than a page: the rest of the range was rewritten later (it comes with its own seq) or purged.
      if (!last || loaded < LOAD_PAGE) break;
      position = last.seq;
      this.#emittedThrough.set(orgId, position);
    }
    this.#emittedThrough.set(orgId, throughSeq);
  }
}
