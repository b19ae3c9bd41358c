import type { Page } from 'playwright-core';
import { screenshot } from './browser.ts';

/**
 * The seeds of a randomized browser test: the fixed ones, plus those listed in
 * `<PREFIX>_SEEDS` (comma-separated) to explore more; `<PREFIX>_SEED` replays only that one.
 * The seed fixes every choice a test makes; the browser's timing still varies between runs.
 */
export function seedsFromEnvironment(prefix: string, fixed: readonly number[]): number[] {
  const replay = process.env[`${prefix}_SEED`];
  if (replay) return [parseSeed(replay, `${prefix}_SEED`)];
  const extra = (process.env[`${prefix}_SEEDS`] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => parseSeed(item, `${prefix}_SEEDS`));
  return [...new Set([...fixed, ...extra])];
}

function parseSeed(text: string, variable: string): number {
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) throw new Error(`${variable}: "${text}" is not an integer seed`);
  return seed;
}

/** A promise that settles after `ms`: for random gaps the seed chose between actions, never to wait for a state. */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The steps a randomized run took, with the time since it started, so a failure says which
 * step it was and what came before it.
 */
export class StepLog {
  readonly #started = Date.now();
  readonly #lines: string[] = [];
  readonly #title: string;

  constructor(title: string) {
    this.#title = title;
  }

  add(line: string): void {
    this.#lines.push(`${((Date.now() - this.#started) / 1000).toFixed(1).padStart(6)} s  ${line}`);
  }

  get last(): string | undefined {
    return this.#lines.at(-1);
  }

  toString(): string {
    return [this.#title, ...this.#lines].join('\n');
  }

  /**
   * Runs a randomized scenario; when it fails, prints the steps, saves a screenshot of every
   * page still open (named `<name>-<label>`), adds what `describe` says (the server's state) and
   * fails with the seed and the step in the message.
   */
  async run(name: string, pages: () => [label: string, page: Page][], scenario: () => Promise<void>, describe?: () => Promise<string[]>): Promise<void> {
    try {
      await scenario();
    } catch (error) {
      const shots: string[] = [];
      for (const [label, page] of pages()) {
        if (page.isClosed()) continue;
        try {
          // The header says what the replica thinks: online or not, pending, conflicts.
          const header = (await page.locator('.sync').first().innerText({ timeout: 1_000 }).catch(() => null))?.replace(/\s+/g, ' ').trim();
          shots.push(`${label} at ${page.url()} [${header ?? 'no sync indicator'}]: ${await screenshot(page, `${name}-${label}`)}`);
        } catch (failure) {
          shots.push(`${label}: no screenshot (${failure instanceof Error ? failure.message.split('\n')[0] : String(failure)})`);
        }
      }
      const more = describe ? await describe().catch((failure: unknown) => [`(no more evidence: ${String(failure)})`]) : [];
      const evidence = `${this.toString()}\nscreenshots:\n  ${shots.join('\n  ') || 'none'}${more.length ? `\n${more.join('\n')}` : ''}`;
      console.error(`${evidence}\nfailed: ${error instanceof Error ? error.message : String(error)}`);
      if (error instanceof Error) {
        error.message = `${this.#title}, after step: ${this.last ?? '(none)'}\n${error.message}\n\n${evidence}`;
        throw error;
      }
      throw new Error(`${this.#title}: ${String(error)}\n\n${evidence}`);
    }
  }
}
