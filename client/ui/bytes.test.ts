import { describe, expect, it } from 'vitest';
import { formatBytes } from './bytes.ts';

describe('formatBytes', () => {
  it('shows disks in decimal units and memory in binary ones', () => {
    expect(formatBytes(504_320_000_000)).toBe('504 GB');
    expect(formatBytes(204_725_500_669)).toBe('205 GB');
    expect(formatBytes(1_500_000_000)).toBe('1.5 GB');
    expect(formatBytes(17_179_869_184, 'memory')).toBe('16 GB');
    expect(formatBytes(2_000_000_000_000)).toBe('2.0 TB');
  });

  it('keeps small and empty sizes whole', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
  });
});
