/**
 * Jepsen's set workload, adapted to documents: every write puts a value no other write uses into
 * one field ("slot") of one document. A value may legitimately disappear only when a writer that
 * saw it replaced it (an edit of that slot, a delete of the document, a person resolving the
 * conflict record that held it). At the end, against the server's final documents:
 * - lost: acknowledged by the server, yet neither present nor replaced by someone who saw it;
 * - unexpected: present, yet never written;
 * - indeterminate: never seen acknowledged (the answer was cut, the client went away); of those,
 *   recovered: present anyway.
 */

export interface WriteInfo {
  client: number;
  collection: string;
  documentId: string;
  slot: string;
}

export interface SetReport {
  attempted: number;
  acknowledged: number;
  /** Acknowledged and present at the end. */
  ok: number;
  /** Replaced by a writer that saw them (not a loss). */
  replaced: number;
  lost: string[];
  unexpected: string[];
  indeterminate: number;
  recovered: number;
  /** Never acknowledged, never replaced, and missing although every client synced: must be empty too. */
  missingAfterSync: string[];
}

const VALUE = /^w\d+$/;

/** Whether a string is one of the workload's values (and not some other text). */
export const isWorkloadValue = (value: unknown): value is string => typeof value === 'string' && VALUE.test(value);

/** The workload values a document holds: in its slots and in its conflict records. */
export function valuesIn(document: Record<string, unknown>, slots: readonly string[]): string[] {
  const values: string[] = [];
  for (const slot of slots) if (isWorkloadValue(document[slot])) values.push(document[slot]);
  const conflicts = document['conflicts'];
  if (Array.isArray(conflicts)) {
    for (const record of conflicts as { keptValue?: unknown; otherValue?: unknown }[]) {
      if (isWorkloadValue(record.keptValue)) values.push(record.keptValue);
      if (isWorkloadValue(record.otherValue)) values.push(record.otherValue);
    }
  }
  return values;
}

export class WriteLedger {
  readonly written = new Map<string, WriteInfo>();
  readonly acknowledged = new Set<string>();
  readonly replaced = new Set<string>();
  #next = 0;

  /** A value no write has used before. */
  nextValue(): string {
    return `w${++this.#next}`;
  }

  recordWrite(value: string, info: WriteInfo): void {
    if (this.written.has(value)) throw new Error(`value ${value} written twice`);
    this.written.set(value, info);
  }

  /** Values a writer saw and replaced (the slot it overwrote, a document it deleted…). */
  recordReplaced(values: Iterable<string>): void {
    for (const value of values) this.replaced.add(value);
  }

  /** Values carried by a push row the server accepted. */
  recordAcknowledged(values: Iterable<string>): void {
    for (const value of values) this.acknowledged.add(value);
  }

  /** `present`: every workload value in the server's final, live documents. */
  report(present: ReadonlySet<string>): SetReport {
    const lost: string[] = [];
    const missingAfterSync: string[] = [];
    let ok = 0;
    let indeterminate = 0;
    let recovered = 0;
    for (const value of this.written.keys()) {
      const isPresent = present.has(value);
      const isGone = !isPresent && !this.replaced.has(value);
      if (this.acknowledged.has(value)) {
        if (isPresent) ok++;
        if (isGone) lost.push(value);
      } else {
        indeterminate++;
        if (isPresent) recovered++;
        if (isGone) missingAfterSync.push(value);
      }
    }
    return {
      attempted: this.written.size,
      acknowledged: this.acknowledged.size,
      ok,
      replaced: this.replaced.size,
      lost,
      unexpected: [...present].filter((value) => !this.written.has(value)),
      indeterminate,
      recovered,
      missingAfterSync,
    };
  }
}
