import { COLLAB_PARENT_COLLECTIONS, type CollabParentCollection } from '../../shared/schema/doc-update.ts';
import { SYSTEM_PRINCIPAL } from '../auth/principal.ts';
import { defaultLogger, type Logger } from '../observability/logger.ts';
import type { ChangeBatch, CollabTextKey, Store } from '../store/store.ts';
import { planCompaction } from './compaction-plan.ts';

export interface TextCompactorOptions {
  /** Compact a text once it has this many live updates (y-indexeddb uses 500). */
  thresholdUpdates: number;
  now?: () => Date;
  /** Where a failed compaction is reported. */
  logger?: Logger;
}

const keyOf = (key: CollabTextKey) => `${key.orgId}/${key.targetCollection}/${key.targetId}`;

const isParentCollection = (collection: string): collection is CollabParentCollection =>
  (COLLAB_PARENT_COLLECTIONS as readonly string[]).includes(collection);

/**
 * Keeps collaborative texts small to sync: after each committed change to a text's updates (or
 * to an incident, which may have moved site), checks that text and compacts it past the
 * threshold. One text at a time per instance; instances sharing a database are kept apart by
 * the store's per-text lock.
 */
export class TextCompactor {
  readonly #store: Store;
  readonly #options: Required<TextCompactorOptions>;
  readonly #queue = new Map<string, CollabTextKey>();
  #draining: Promise<void> | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(store: Store, options: TextCompactorOptions) {
    if (!Number.isInteger(options.thresholdUpdates) || options.thresholdUpdates < 2) throw new RangeError('thresholdUpdates must be an integer of at least 2');
    this.#store = store;
    this.#options = { now: () => new Date(), logger: defaultLogger(), ...options };
  }

  start(): void {
    this.#unsubscribe ??= this.#store.onChange((batch) => this.#heard(batch));
  }

  /** Stops listening and waits for the compaction under way. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#queue.clear();
    await this.idle();
  }

  /** Resolves once every text heard of so far has been checked. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  /** Compacts one text if it needs it; returns how many documents that wrote (0: it did not). */
  async compactIfNeeded(key: CollabTextKey): Promise<number> {
    const bySite = await this.#store.countLiveUpdates(key);
    const total = [...bySite.values()].reduce((sum, count) => sum + count, 0);
    if (total === 0) return 0;
    const [parent] = await this.#store.getMany(key.targetCollection, [key.targetId]);
    // Until its runbook or incident arrives (or once it is deleted), where a text belongs is not
    // known: a snapshot must not guess a site, so the text waits as it is.
    if (!parent || parent._deleted || parent.orgId !== key.orgId) return 0;
    // An incident's review follows the incident to its current site; a runbook's text has none.
    const siteId = key.targetCollection === 'incidents' ? parent.siteId : undefined;
    const isMisplaced = [...bySite.keys()].some((site) => (site ?? undefined) !== siteId);
    if (total < this.#options.thresholdUpdates && !isMisplaced) return 0;
    const policy = { thresholdUpdates: this.#options.thresholdUpdates, siteId, now: this.#options.now() };
    return this.#store.compactText(SYSTEM_PRINCIPAL, key, (live) => planCompaction(live, policy));
  }

  #heard(batch: ChangeBatch): void {
    for (const document of batch.documents) {
      if (document._deleted) continue;
      if (batch.collection === 'doc_updates' && isParentCollection(String(document['targetCollection']))) {
        this.#enqueue({ orgId: document.orgId, targetCollection: document['targetCollection'] as CollabParentCollection, targetId: String(document['targetId']) });
      } else if (batch.collection === 'incidents') {
        this.#enqueue({ orgId: document.orgId, targetCollection: 'incidents', targetId: document.id });
      }
    }
  }

  #enqueue(key: CollabTextKey): void {
    this.#queue.set(keyOf(key), key);
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
    });
  }

  async #drain(): Promise<void> {
    for (const [id, key] of this.#queue) {
      this.#queue.delete(id);
      try {
        await this.compactIfNeeded(key);
      } catch (error) {
        // The next change to this text tries again; nothing is lost meanwhile, only not yet compacted.
        this.#options.logger.error({ err: error, text: id }, 'compacting a collaborative text failed');
      }
    }
  }
}
