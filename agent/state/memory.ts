import * as v from 'valibot';
import type { AgentDatabase } from './database.ts';

/**
 * What the agent remembers between cycles and restarts (last check states, inventory
 * fingerprint, delivery results), as JSON per key in the same file as the outbox.
 */
export class AgentMemory {
  readonly #get: (key: string) => { value: string } | undefined;
  readonly #set: (key: string, value: string) => void;
  readonly #clear: () => void;

  constructor(db: AgentDatabase) {
    const get = db.prepare<[string], { value: string }>('SELECT value FROM memory WHERE key = ?');
    const set = db.prepare<[string, string]>('INSERT INTO memory (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    const clear = db.prepare('DELETE FROM memory');
    this.#get = (key) => get.get(key);
    this.#set = (key, value) => void set.run(key, value);
    this.#clear = () => void clear.run();
  }

  /** A value that no longer fits its schema (an older agent wrote it) reads as `fallback`. */
  read<TSchema extends v.GenericSchema>(key: string, schema: TSchema, fallback: v.InferOutput<TSchema>): v.InferOutput<TSchema> {
    const row = this.#get(key);
    if (!row) return fallback;
    try {
      const result = v.safeParse(schema, JSON.parse(row.value));
      return result.success ? result.output : fallback;
    } catch {
      return fallback;
    }
  }

  write(key: string, value: unknown): void {
    this.#set(key, JSON.stringify(value));
  }

  /** A new enrollment starts from nothing: the new device must hear every check once. */
  forget(): void {
    this.#clear();
  }
}
