import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, backoffCeilingMs, backoffDelayMs } from './backoff.ts';

describe('backoff with full jitter', () => {
  it('doubles its ceiling from one second up to the five-minute cap', () => {
    expect([1, 2, 3, 4, 9, 10, 1000].map((n) => backoffCeilingMs(n))).toEqual([1_000, 2_000, 4_000, 8_000, 256_000, 300_000, 300_000]);
  });

  it('stays within zero and the ceiling for any failure count and any random draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (failures, draw) => {
        const delay = backoffDelayMs(failures, DEFAULT_BACKOFF, () => draw);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(backoffCeilingMs(failures));
        expect(delay).toBeLessThanOrEqual(DEFAULT_BACKOFF.capMs);
      }),
    );
  });

  it('spreads agents that failed together across the whole window', () => {
    const delays = Array.from({ length: 2_000 }, () => backoffDelayMs(20));
    const buckets = new Array<number>(10).fill(0);
    for (const delay of delays) buckets[Math.floor(delay / 30_000)]! += 1;
    // Uniform over 0–300 s: each 30 s tenth gets about 200 of 2,000.
    for (const count of buckets) expect(count).toBeGreaterThan(120);
  });
});
