import type { ThrottleStore } from '../store/accounts.ts';
import { normalizeEmail } from '../store/rows.ts';
import { AttemptThrottle, type Admission, type ThrottleLimit } from './attempt-throttle.ts';
import { growingLock, rateCap } from './throttle-policy.ts';

/**
 * Which counters a password attempt is taken from, and why (ASVS 6.1.1: slow guessing down
 * without handing an attacker a way to lock someone out).
 *
 * From a browser that is not a known device of the account:
 * - pair (account, address): a few free failures, then a lock that doubles from 1 s to 15 min.
 *   Slows guessing one account from one place; cleared when that account signs in there.
 * - account: many more free failures, then the same growing lock, against guessing one account
 *   from many addresses. An attacker can set it off: the owner's known devices are exempt.
 * - address: a cap of failures per minute, not a lock. Slows spraying many accounts from one
 *   address, yet never keeps anyone out longer than the rest of a minute, and successes are
 *   given back, so an office behind one proxy does not use it up by signing in.
 * From a known device of the account (a browser that signed in to it correctly before, OWASP's
 * "device cookie"), only that device's own counter: failures elsewhere, the office address
 * included, cannot lock the owner out, and a stolen cookie buys no more guesses than a pair.
 */
export const SIGN_IN_POLICIES = {
  pair: growingLock({ freeFailures: 5, onSuccess: 'forget' }),
  account: growingLock({ freeFailures: 100, onSuccess: 'refund' }),
  address: rateCap({ maxAttempts: 30, windowMs: 60_000 }),
  knownDevice: growingLock({ freeFailures: 5, onSuccess: 'forget' }),
  /** Only a holder of the account's session can try: nobody else can set this lock off. */
  passwordChange: growingLock({ freeFailures: 5, onSuccess: 'forget' }),
} as const;

export interface SignInAttempt {
  email: string;
  address: string;
  /** Hash of this browser's known-device token, when it is one of the account's known devices. */
  knownDevice?: string | undefined;
}

export class LoginThrottle {
  readonly #attempts: AttemptThrottle;

  constructor(store: ThrottleStore, now?: () => number) {
    this.#attempts = new AttemptThrottle(store, now);
  }

  /** Admits a sign-in attempt to the password check, counted as a failure until it succeeds. */
  signIn(attempt: SignInAttempt): Promise<Admission> {
    return this.#attempts.admit(signInLimits(attempt));
  }

  /** Admits a check of the current password before a change (POST /api/auth/password). */
  passwordChange(userId: string): Promise<Admission> {
    return this.#attempts.admit([{ key: `password:${userId}`, policy: SIGN_IN_POLICIES.passwordChange }]);
  }
}

export function signInLimits({ email, address, knownDevice }: SignInAttempt): ThrottleLimit[] {
  if (knownDevice !== undefined) return [{ key: `device:${knownDevice}`, policy: SIGN_IN_POLICIES.knownDevice }];
  const account = normalizeEmail(email);
  return [
    { key: `pair:${account}|${address}`, policy: SIGN_IN_POLICIES.pair },
    { key: `account:${account}`, policy: SIGN_IN_POLICIES.account },
    { key: `address:${address}`, policy: SIGN_IN_POLICIES.address },
  ];
}
