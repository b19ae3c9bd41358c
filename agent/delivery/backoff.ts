export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** From one second to five minutes: quick after a blip, gentle on a server that is down. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 300_000 };

/**
 * "Full jitter" (AWS Architecture Blog, Exponential Backoff and Jitter): a uniform delay
 * between zero and the exponential ceiling. Thousands of agents that lost the same server at
 * the same moment spread their retries out instead of returning in waves.
 * `failures` counts consecutive failed attempts, starting at 1.
 */
export function backoffDelayMs(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeilingMs(failures, policy));
}

export function backoffCeilingMs(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}
