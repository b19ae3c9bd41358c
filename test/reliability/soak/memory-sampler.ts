import { readFileSync } from 'node:fs';

/** Resident memory of a process, from /proc (Linux), sampled on an interval. */
export class MemorySampler {
  readonly samples: { atMs: number; rssBytes: number }[] = [];
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly pid: number,
    intervalMs: number,
  ) {
    const started = Date.now();
    this.#timer = setInterval(() => {
      const rssBytes = residentBytes(this.pid);
      if (rssBytes !== undefined) this.samples.push({ atMs: Date.now() - started, rssBytes });
    }, intervalMs);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Mean resident memory over [fromMs, toMs) of the run. */
  meanBetween(fromMs: number, toMs: number): number {
    const window = this.samples.filter((s) => s.atMs >= fromMs && s.atMs < toMs);
    return window.reduce((sum, s) => sum + s.rssBytes, 0) / Math.max(1, window.length);
  }
}

function residentBytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
