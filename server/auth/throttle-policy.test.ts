import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ThrottleState } from '../store/accounts.ts';
import { FORGET_FAILURES_AFTER_MS, MAX_LOCK_MS, growingLock, rateCap, type ThrottlePolicy } from './throttle-policy.ts';

/** Admits at `at` when the policy lets it, as the store would: the new state, or undefined when refused. */
function attempt(policy: ThrottlePolicy, state: ThrottleState | undefined, at: number): ThrottleState | undefined {
  return policy.waitMs(state, at) > 0 ? undefined : policy.admit(state, at);
}

describe('growingLock', () => {
  const pair = growingLock({ freeFailures: 5, onSuccess: 'forget' });

  it('admits the free failures one after another, then locks for 1 s, 2 s, 4 s … up to 15 min', () => {
    let state: ThrottleState | undefined;
    for (let i = 0; i < 5; i++) {
      state = attempt(pair, state, 1_000);
      expect(state?.lockedUntil).toBe(1_000);
    }
    state = attempt(pair, state, 1_000);
    expect(state).toMatchObject({ failures: 6, lockedUntil: 2_000 });
    expect(attempt(pair, state, 1_999)).toBeUndefined();
    expect(pair.waitMs(state, 1_500)).toBe(500);
    state = attempt(pair, state, 2_000);
    expect(state).toMatchObject({ failures: 7, lockedUntil: 4_000 });
    const late = pair.admit({ failures: 40, lockedUntil: 0, lastFailureAt: 10, windowStartedAt: 0 }, 20);
    expect(late.lockedUntil).toBe(20 + MAX_LOCK_MS);
  });

  it('forgets failures a day after the last one', () => {
    const old: ThrottleState = { failures: 50, lockedUntil: 900_000, lastFailureAt: 0, windowStartedAt: 0 };
    expect(pair.waitMs(old, FORGET_FAILURES_AFTER_MS)).toBe(0);
    expect(pair.admit(old, FORGET_FAILURES_AFTER_MS).failures).toBe(1);
  });

  it('forgets the key on success, or gives back only the attempt and the lock it set', () => {
    const state: ThrottleState = { failures: 101, lockedUntil: 2_000, lastFailureAt: 1_000, windowStartedAt: 0 };
    expect(pair.afterSuccess(state, 1_000, 1_100)).toBeUndefined();
    const account = growingLock({ freeFailures: 100, onSuccess: 'refund' });
    expect(account.afterSuccess(state, 1_000, 1_100)).toEqual({ failures: 100, lockedUntil: 1_100, lastFailureAt: 1_000, windowStartedAt: 0 });
  });

  it('never admits more than the free failures plus one at one instant, whatever the order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 60 }), (freeFailures, attempts) => {
        const policy = growingLock({ freeFailures, onSuccess: 'forget' });
        let state: ThrottleState | undefined;
        let admitted = 0;
        for (let i = 0; i < attempts; i++) {
          const next = attempt(policy, state, 5_000);
          if (next) {
            state = next;
            admitted++;
          }
        }
        expect(admitted).toBe(Math.min(attempts, freeFailures + 1));
      }),
    );
  });
});

describe('rateCap', () => {
  const cap = rateCap({ maxAttempts: 3, windowMs: 60_000 });

  it('admits a number of attempts per window, then waits only for the window to end', () => {
    let state: ThrottleState | undefined;
    for (const at of [1_000, 2_000, 3_000]) state = attempt(cap, state, at);
    expect(state).toMatchObject({ failures: 3, windowStartedAt: 1_000 });
    expect(attempt(cap, state, 4_000)).toBeUndefined();
    expect(cap.waitMs(state, 4_000)).toBe(57_000);
    expect(attempt(cap, state, 61_000)).toMatchObject({ failures: 1, windowStartedAt: 61_000 });
  });

  it('gives a successful attempt back, unless its window has ended since', () => {
    const state: ThrottleState = { failures: 3, lockedUntil: 0, lastFailureAt: 2_000, windowStartedAt: 1_000 };
    expect(cap.afterSuccess(state, 2_000, 2_100)).toMatchObject({ failures: 2 });
    const nextWindow = { ...state, failures: 1, windowStartedAt: 61_000 };
    expect(cap.afterSuccess(nextWindow, 2_000, 61_500)).toEqual(nextWindow);
  });
});
