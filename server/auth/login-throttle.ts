import type { ThrottleStore } from '../store/accounts.ts';
import { normalizeEmail } from '../store/rows.ts';

const MAX_LOCK_MS = 15 * 60 * 1000;
/** Failures older than this no longer count. */
export const FORGET_FAILURES_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Growing delays after failed sign-ins, counted per (account, address), per address and per
 * account. The per-account counter allows many more failures than the pair counter, so an
 * attacker elsewhere can slow an account down but not lock its owner out (ASVS 6.1.1).
 */
const POLICIES = [
  { prefix: 'pair', freeFailures: 5 },
  { prefix: 'address', freeFailures: 20 },
  { prefix: 'account', freeFailures: 100 },
] as const;

/** No lock for the first `freeFailures`, then one that doubles from 1 s up to 15 min. */
export const growingLock = (freeFailures: number) => (failures: number) =>
  failures <= freeFailures ? 0 : Math.min(MAX_LOCK_MS, 1000 * 2 ** (failures - freeFailures - 1));

export class LoginThrottle {
  constructor(
    private readonly store: ThrottleStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds the caller must wait before trying again, or 0. */
  async retryAfterSeconds(email: string, address: string): Promise<number> {
    const now = this.now();
    let lockedUntil = 0;
    for (const key of this.#keys(email, address)) {
      const state = await this.store.get(key.key);
      if (state) lockedUntil = Math.max(lockedUntil, state.lockedUntil);
    }
    return lockedUntil > now ? Math.ceil((lockedUntil - now) / 1000) : 0;
  }

  async recordFailure(email: string, address: string): Promise<void> {
    const now = this.now();
    for (const key of this.#keys(email, address)) await this.store.recordFailure(key.key, now, growingLock(key.freeFailures), FORGET_FAILURES_AFTER_MS);
  }

  /** A success clears this address's counters for the account; the others decay on their own. */
  async recordSuccess(email: string, address: string): Promise<void> {
    await this.store.clear(this.#keys(email, address)[0]?.key ?? '');
  }

  #keys(email: string, address: string) {
    const account = normalizeEmail(email);
    const values = { pair: `${account}|${address}`, address, account };
    return POLICIES.map((p) => ({ key: `${p.prefix}:${values[p.prefix]}`, freeFailures: p.freeFailures }));
  }
}
