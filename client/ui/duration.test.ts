import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration.ts';

describe('formatDuration', () => {
  it('says a span in the largest two units that matter', () => {
    expect(formatDuration(40_000)).toBe('40 s');
    expect(formatDuration(25 * 60_000 + 59_000)).toBe('25 min');
    expect(formatDuration(3 * 3_600_000)).toBe('3 h');
    expect(formatDuration(3 * 3_600_000 + 10 * 60_000)).toBe('3 h 10 min');
    expect(formatDuration(2 * 86_400_000 + 5 * 3_600_000 + 59 * 60_000)).toBe('2 d 5 h');
  });

  it('never shows a negative span (a clock that ran behind)', () => {
    expect(formatDuration(-5_000)).toBe('0 s');
  });
});
