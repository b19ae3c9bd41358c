import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, mergeCheckpoints } from './checkpoint.ts';

const orgA = '0190f3a1-0000-7000-8000-000000000001';
const orgB = '0190f3a1-0000-7000-8000-000000000002';

describe('checkpoint', () => {
  it('round-trips through its query-string form', () => {
    expect(decodeCheckpoint(encodeCheckpoint({ [orgA]: 12, [orgB]: 0 }))).toEqual({ [orgA]: 12, [orgB]: 0 });
    expect(decodeCheckpoint(encodeCheckpoint(undefined))).toEqual({});
  });

  it('rejects keys that are not organization ids and negative or fractional positions', () => {
    expect(() => decodeCheckpoint('{"nope":1}')).toThrow();
    expect(() => decodeCheckpoint(`{"${orgA}":-1}`)).toThrow();
    expect(() => decodeCheckpoint(`{"${orgA}":1.5}`)).toThrow();
    expect(() => decodeCheckpoint('[1,2]')).toThrow();
    expect(() => decodeCheckpoint('not json')).toThrow();
  });

  it('merges by keeping the furthest position per organization', () => {
    expect(mergeCheckpoints({ [orgA]: 5, [orgB]: 9 }, { [orgA]: 7, [orgB]: 3 })).toEqual({ [orgA]: 7, [orgB]: 9 });
    expect(mergeCheckpoints(undefined, { [orgA]: 1 })).toEqual({ [orgA]: 1 });
  });
});
