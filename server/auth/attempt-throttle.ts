import type { ThrottleStore } from '../store/accounts.ts';
import type { ThrottlePolicy } from './throttle-policy.ts';

/** One counter an attempt is taken from: a key and how it counts. */
export interface ThrottleLimit {
  key: string;
  policy: ThrottlePolicy;
}

/**
 * The answer to "may this attempt be checked?". Admitted, it already counts as a failure;
 * call `succeeded()` once it proved right. Refused, it was not counted and must not be checked.
 */
export type Admission = { isAdmitted: true; succeeded(): Promise<void> } | { isAdmitted: false; retryAfterSeconds: number };

/** Takes attempts from several limits at once, atomically, in the store (every instance shares it). */
export class AttemptThrottle {
  constructor(
    private readonly store: ThrottleStore,
    // Read at every call (not Date.now captured once), so a test can hold the time still.
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Admitted by every limit, and counted by each of them; or refused by one, and counted by none. */
  async admit(limits: readonly ThrottleLimit[]): Promise<Admission> {
    const admittedAt = this.now();
    const waitMs = await this.store.update(
      limits.map((l) => l.key),
      (states) => {
        const wait = Math.max(0, ...limits.map((l) => l.policy.waitMs(states.get(l.key), admittedAt)));
        if (wait > 0) return { writes: new Map(), result: wait };
        return { writes: new Map(limits.map((l) => [l.key, l.policy.admit(states.get(l.key), admittedAt)])), result: 0 };
      },
    );
    if (waitMs > 0) return { isAdmitted: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    return { isAdmitted: true, succeeded: () => this.#settleSuccess(limits, admittedAt) };
  }

  async #settleSuccess(limits: readonly ThrottleLimit[], admittedAt: number): Promise<void> {
    const now = this.now();
    await this.store.update(
      limits.map((l) => l.key),
      (states) => ({ writes: new Map(limits.map((l) => [l.key, l.policy.afterSuccess(states.get(l.key), admittedAt, now)])), result: undefined }),
    );
  }
}
