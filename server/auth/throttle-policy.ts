import type { ThrottleState } from '../store/accounts.ts';

/**
 * How one throttle key admits attempts and counts them. Pure functions of a key's state and the
 * time: the store applies them atomically (ThrottleStore.update), server/auth/attempt-throttle.ts
 * combines several keys.
 *
 * An attempt is counted when it is admitted, before the expensive check (argon2), as if it were
 * going to fail: parallel attempts then see each other, and at most the allowed number get past
 * the check. A success settles its attempt afterwards (`afterSuccess`); a failure needs nothing.
 */
export interface ThrottlePolicy {
  /** Milliseconds until the key admits an attempt; 0: it admits one now. */
  waitMs(state: ThrottleState | undefined, now: number): number;
  /** The key's state once an attempt is admitted at `now`. */
  admit(state: ThrottleState | undefined, now: number): ThrottleState;
  /** The key's state once the attempt admitted at `admittedAt` proved right; undefined forgets the key. */
  afterSuccess(state: ThrottleState | undefined, admittedAt: number, now: number): ThrottleState | undefined;
}

const NOTHING_COUNTED: ThrottleState = { failures: 0, lockedUntil: 0, lastFailureAt: 0, windowStartedAt: 0 };

export const MAX_LOCK_MS = 15 * 60 * 1000;
/** Failures older than this no longer count towards a lock. */
export const FORGET_FAILURES_AFTER_MS = 24 * 60 * 60 * 1000;

/** No lock for the first `freeFailures`, then one that doubles from 1 s up to 15 min. */
export const lockAfter = (freeFailures: number) => (failures: number) =>
  failures <= freeFailures ? 0 : Math.min(MAX_LOCK_MS, 1000 * 2 ** (failures - freeFailures - 1));

/**
 * A lock that grows with the failures counted: `freeFailures` admitted one after another, then
 * each admitted failure locks the key for twice as long as the one before (1 s … 15 min).
 * On success, `forget` clears the key (the person at that key proved who they are); `refund`
 * takes back only this attempt's count and any lock it set, and keeps the others' failures (a
 * key shared with possible attackers, such as the account's).
 */
export function growingLock(options: { freeFailures: number; onSuccess: 'forget' | 'refund' }): ThrottlePolicy {
  const lockFor = lockAfter(options.freeFailures);
  const current = (state: ThrottleState | undefined, now: number): ThrottleState =>
    state && now - state.lastFailureAt < FORGET_FAILURES_AFTER_MS ? state : NOTHING_COUNTED;
  return {
    waitMs: (state, now) => Math.max(0, current(state, now).lockedUntil - now),
    admit(state, now) {
      const failures = current(state, now).failures + 1;
      return { failures, lockedUntil: now + lockFor(failures), lastFailureAt: now, windowStartedAt: 0 };
    },
    afterSuccess(state, _admittedAt, now) {
      if (options.onSuccess === 'forget' || !state) return undefined;
      // Only a lock set while this attempt was being checked can still stand: it was admitted.
      return { ...state, failures: Math.max(0, state.failures - 1), lockedUntil: Math.min(state.lockedUntil, now) };
    },
  };
}

/**
 * At most `maxAttempts` counted attempts per window of `windowMs`; then attempts wait for the
 * next window, which begins with the first attempt after this one ends. A success gives its
 * attempt back, so when failures are what it should count (sign-ins from an address), people
 * signing in correctly never use it up; to count every attempt, never settle a success. Unlike a
 * lock, it never keeps anyone waiting longer than one window, whatever was tried before.
 */
export function rateCap(options: { maxAttempts: number; windowMs: number }): ThrottlePolicy {
  const current = (state: ThrottleState | undefined, now: number): ThrottleState =>
    state && now - state.windowStartedAt < options.windowMs ? state : { ...NOTHING_COUNTED, windowStartedAt: now };
  return {
    waitMs(state, now) {
      const window = current(state, now);
      return window.failures < options.maxAttempts ? 0 : window.windowStartedAt + options.windowMs - now;
    },
    admit(state, now) {
      const window = current(state, now);
      return { ...window, failures: window.failures + 1, lastFailureAt: now };
    },
    afterSuccess(state, admittedAt) {
      // Counted in a window that has ended since: nothing left to give back.
      if (!state || state.windowStartedAt > admittedAt) return state;
      return { ...state, failures: Math.max(0, state.failures - 1) };
    },
  };
}
