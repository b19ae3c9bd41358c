import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveStream } from './live-stream.ts';

afterEach(() => vi.useRealTimers());

/** Lets the stream's loop run its pending promise callbacks without moving the clock. */
const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('live stream', () => {
  it('reconnects at once when told the network is back, instead of waiting out the grown backoff', async () => {
    vi.useFakeTimers();
    let attempts = 0;
    const offline = () => {
      attempts++;
      return Promise.reject(new TypeError('Failed to fetch'));
    };
    const stream = new LiveStream({ url: 'http://example.test/stream', fetch: offline, onMessage: () => {} });
    stream.start();
    // Offline for a while: each failure doubles the wait (0.25 s, 0.5 s, … up to 30 s).
    for (let i = 0; i < 8; i++) {
      await settle();
      await vi.advanceTimersByTimeAsync(30_000);
    }
    const before = attempts;
    await settle();
    expect(attempts).toBe(before);
    stream.connectNow();
    await settle();
    expect(attempts).toBe(before + 1);
    stream.stop();
    stream.connectNow();
  });
});
