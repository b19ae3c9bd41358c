import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatPercent } from './format.ts';

describe('formatting for people', () => {
  it('shows sizes in the decimal units drive labels use', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3_140_000_000)).toBe('3.1 GB');
    expect(formatBytes(256e9)).toBe('256 GB');
    expect(formatBytes(2e12)).toBe('2.0 TB');
  });

  it('shows durations with at most two units', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(12 * 60_000 + 5_000)).toBe('12 min');
    expect(formatDuration(3 * 3_600_000 + 12 * 60_000)).toBe('3 h 12 min');
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000)).toBe('2 d 3 h');
    expect(formatDuration(-90_000)).toBe('1 min');
  });

  it('shows a decimal only where it changes the verdict', () => {
    expect(formatPercent(4.62)).toBe('4.6%');
    expect(formatPercent(4)).toBe('4%');
    expect(formatPercent(42.4)).toBe('42%');
  });
});
