import { AttemptThrottle, type Admission } from '../auth/attempt-throttle.ts';
import { rateCap } from '../auth/throttle-policy.ts';
import type { ThrottleStore } from '../store/accounts.ts';

/**
 * Agent enrollment throttling. A token is 256 random bits: guessing one is hopeless, so the
 * throttle keeps floods of wrong tokens cheap and short-lived without a lock that would shut a
 * correct token out for everyone behind the address (a site's whole rollout often comes from
 * one NAT address).
 * - address: a cap on refused enrollments (unknown, revoked, expired or used-up tokens) per
 *   minute. A correct token is never checked against it.
 * - token: a cap on enrollments per minute with one token, so a leaked token cannot enroll
 *   devices as fast as a script can ask; generous enough for a rollout. Its use limit, if set,
 *   is the hard stop (EnrollmentTokenStore.claimUse).
 */
export const ENROLLMENT_POLICIES = {
  address: rateCap({ maxAttempts: 10, windowMs: 60_000 }),
  token: rateCap({ maxAttempts: 120, windowMs: 60_000 }),
} as const;

export class EnrollmentThrottle {
  readonly #attempts: AttemptThrottle;

  constructor(store: ThrottleStore, now?: () => number) {
    this.#attempts = new AttemptThrottle(store, now);
  }

  /** Counts a refused enrollment from `address`; not admitted: the address is over its cap (answer 429). */
  refusal(address: string): Promise<Admission> {
    return this.#attempts.admit([{ key: `enroll-address:${address}`, policy: ENROLLMENT_POLICIES.address }]);
  }

  /** Counts an enrollment with a good token; not admitted: the token is over its cap. */
  enrollment(tokenId: string): Promise<Admission> {
    return this.#attempts.admit([{ key: `enroll-token:${tokenId}`, policy: ENROLLMENT_POLICIES.token }]);
  }
}
