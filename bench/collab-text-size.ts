import * as Y from 'yjs';
import { DEFAULT_IDLE_MS, DEFAULT_MAX_DELAY_MS } from '../client/collab/collab-text.ts';
import { planCompaction } from '../server/collab/compaction-plan.ts';
import { Random } from '../server/seed/random.ts';
import type { StoredDocument } from '../server/store/store.ts';
import { textOf } from '../shared/collab/collab-text.ts';
import { decodeUpdate, encodeUpdate } from '../shared/collab/update-encoding.ts';
import { uuidv7 } from '../shared/id/uuidv7.ts';

/*
 * Size discipline of collaborative text: a year of realistic edits to one runbook, batched as
 * the client binding batches typing, compacted as the server compacts, and the bytes that makes
 * for a device that opens the text at the end of the year and for one that followed all year.
 * Run: npx tsx bench/collab-text-size.ts (BENCH_SEED, BENCH_COMPACT_AFTER, BENCH_IDLE_MS, BENCH_MAX_DELAY_MS to vary).
 */

const DAY_MS = 86_400_000;
const RETENTION_DAYS = 30;
const WORDS = 'check the power cable restart service printer spooler queue driver port switch router firmware ticket vendor roll paper receipt terminal reboot verify log error status network cable label backup restore'.split(' ');

export interface Batching {
  idleMs: number;
  maxDelayMs: number;
}

interface Stored {
  document: StoredDocument;
  /** When it was written, for the tombstones a new device still receives within the retention. */
  atMs: number;
}

/** Groups one session's updates the way client/collab does: a write per pause, at most one per max delay. */
class TypingBatcher {
  #queued: Uint8Array[] = [];
  #firstAt = 0;
  #lastAt = 0;
  constructor(
    private readonly batching: Batching,
    private readonly write: (update: Uint8Array, atMs: number) => void,
  ) {}
  add(update: Uint8Array, atMs: number): void {
    if (this.#queued.length > 0 && atMs >= this.#dueAt()) this.flush();
    if (this.#queued.length === 0) this.#firstAt = atMs;
    this.#queued.push(update);
    this.#lastAt = atMs;
  }
  flush(): void {
    if (this.#queued.length === 0) return;
    this.write(Y.mergeUpdates(this.#queued), this.#dueAt());
    this.#queued = [];
  }
  #dueAt(): number {
    return Math.min(this.#lastAt + this.batching.idleMs, this.#firstAt + this.batching.maxDelayMs);
  }
}

const sentence = (random: Random) => `${Array.from({ length: random.int(4, 16) }, () => random.pick(WORDS)).join(' ')}. `;

/** One editing session: typing with typos, rewrites, a paste, a removed paragraph; returns the clock after it. */
function editSession(random: Random, text: Y.Text, startMs: number, onOperation: (atMs: number) => void): number {
  let now = startMs;
  const at = (ms: number) => {
    now += ms;
    onOperation(now);
  };
  for (let actions = random.int(2, 10); actions > 0; actions--) {
    // A runbook grows to a few pages, then is pruned about as much as it grows.
    const removeWeight = text.length > 15_000 ? 4 : 1;
    const action = random.weighted([['type', 6], ['rewrite', 3], ['paste', 1], ['remove', removeWeight]] as const);
    const length = text.length;
    if (action === 'remove' && length > 400) {
      const start = random.int(0, length - 300);
      text.delete(start, random.int(50, 300));
      at(random.int(500, 3000));
      continue;
    }
    if (action === 'paste') {
      text.insert(random.int(0, length), `\n\`\`\`\n${sentence(random)}${sentence(random)}\n\`\`\`\n`);
      at(random.int(2000, 8000));
      continue;
    }
    if (action === 'rewrite' && length > 100) {
      const start = random.int(0, length - 60);
      text.delete(start, random.int(5, 60));
      at(random.int(300, 1500));
    }
    // Typing, key by key, with a typo corrected now and then, and pauses between sentences.
    let position = random.int(0, text.length);
    for (const character of sentence(random) + (random.chance(0.5) ? sentence(random) : '')) {
      text.insert(position++, character);
      at(random.int(90, 260));
      if (random.chance(0.04)) {
        const typos = random.int(1, 3);
        text.delete(position - typos, typos);
        position -= typos;
        at(random.int(200, 600));
      }
    }
    at(random.int(2000, 15_000));
  }
  return now;
}

export interface TextSizeReport {
  sessions: number;
  updateDocuments: number;
  compactions: number;
  textCharacters: number;
  updateBytes: number;
  replicatedBytesAllYear: number;
  snapshotBytes: number;
  mergedWithoutGcBytes: number;
  liveDocumentsAtEnd: number;
  newDeviceBytes: number;
  /** Of which tombstones of compacted updates still within the retention. */
  newDeviceTombstoneBytes: number;
}

export function simulateYear(seed: number, compactAfter: number, batching: Batching): TextSizeReport {
  const random = new Random(seed, 'runbook year');
  const orgId = uuidv7();
  const targetId = uuidv7();
  const replica = new Y.Doc();
  let live: Stored[] = [];
  const tombstones: Stored[] = [];
  const allUpdates: Uint8Array[] = [];
  let replicatedBytes = 0;
  let compactions = 0;
  let sessions = 0;
  const sizeOf = (document: StoredDocument) => JSON.stringify(document).length;

  const store = (update: Uint8Array, atMs: number) => {
    allUpdates.push(update);
    const document: StoredDocument = {
      id: uuidv7(atMs), orgId, targetCollection: 'runbooks', targetId, field: 'body', update: encodeUpdate(update), updatedAt: new Date(atMs).toISOString(), _deleted: false,
    };
    live.push({ document, atMs });
    replicatedBytes += sizeOf(document);
    if (live.length < compactAfter) return;
    const written = planCompaction(live.map((s) => s.document), { thresholdUpdates: compactAfter, siteId: undefined, now: new Date(atMs) }) ?? [];
    const [snapshot, ...merged] = written;
    if (!snapshot) return;
    compactions++;
    live = [{ document: snapshot, atMs }];
    tombstones.push(...merged.map((document) => ({ document, atMs })));
    replicatedBytes += written.reduce((sum, document) => sum + sizeOf(document), 0);
  };

  const start = Date.parse('2026-01-05T08:00:00.000Z');
  for (let week = 0; week < 52; week++) {
    if (!random.chance(0.8)) continue;
    sessions++;
    // A session opens the text in a new Y.Doc (a new Yjs client), loaded from the replica.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(replica), 'replica');
    const batcher = new TypingBatcher(batching, store);
    let clock = start + week * 7 * DAY_MS + random.int(0, 4) * DAY_MS;
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'replica') batcher.add(update, clock);
    });
    clock = editSession(random, textOf(doc), clock, (atMs) => {
      clock = atMs;
    });
    batcher.flush();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    doc.destroy();
  }

  const end = start + 365 * DAY_MS;
  const retained = tombstones.filter((t) => t.atMs > end - RETENTION_DAYS * DAY_MS);
  const [snapshot] = planCompaction(live.map((s) => s.document), { thresholdUpdates: 1, siteId: undefined, now: new Date(end) }) ?? [];
  return {
    sessions,
    updateDocuments: allUpdates.length,
    compactions,
    textCharacters: textOf(replica).length,
    updateBytes: allUpdates.reduce((sum, u) => sum + u.length, 0),
    replicatedBytesAllYear: replicatedBytes,
    snapshotBytes: snapshot ? decodeUpdate(String(snapshot['update'])).length : 0,
    mergedWithoutGcBytes: Y.mergeUpdates(allUpdates).length,
    liveDocumentsAtEnd: live.length,
    newDeviceBytes: [...live, ...retained].reduce((sum, s) => sum + sizeOf(s.document), 0),
    newDeviceTombstoneBytes: retained.reduce((sum, s) => sum + sizeOf(s.document), 0),
  };
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const seed = Number(process.env['BENCH_SEED'] ?? 1);
  const compactAfter = Number(process.env['BENCH_COMPACT_AFTER'] ?? 200);
  const batching = { idleMs: Number(process.env['BENCH_IDLE_MS'] ?? DEFAULT_IDLE_MS), maxDelayMs: Number(process.env['BENCH_MAX_DELAY_MS'] ?? DEFAULT_MAX_DELAY_MS) };
  const report = simulateYear(seed, compactAfter, batching);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(`A year of edits to one runbook (seed ${seed}, compaction after ${compactAfter} updates, batching ${batching.idleMs} ms idle / ${batching.maxDelayMs} ms max)`);
  console.table({
    'editing sessions': report.sessions,
    'update documents written': report.updateDocuments,
    'server compactions': report.compactions,
    'text at year end (characters)': report.textCharacters,
    'all updates, Yjs bytes': kb(report.updateBytes),
    'all updates merged without GC (Y.mergeUpdates)': kb(report.mergedWithoutGcBytes),
    'snapshot after compaction (Yjs bytes)': kb(report.snapshotBytes),
    'replicated all year to a device online throughout (JSON)': kb(report.replicatedBytesAllYear),
    'live documents at year end': report.liveDocumentsAtEnd,
    [`a new device opening it at year end (JSON, with ${RETENTION_DAYS} days of tombstones)`]: kb(report.newDeviceBytes),
    '… of which tombstones': kb(report.newDeviceTombstoneBytes),
  });
}
