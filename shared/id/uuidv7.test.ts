import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Id } from '../schema/common.ts';
import { uuidv7 } from './uuidv7.ts';

describe('uuidv7', () => {
  it('produces valid version-7 UUIDs', () => {
    const id = uuidv7();
    expect(v.is(Id, id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
  });

  it('sorts by creation time', () => {
    const ids = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000].map((t) => uuidv7(t));
    expect([...ids].sort()).toEqual(ids);
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => uuidv7(0)));
    expect(ids.size).toBe(10_000);
  });
});
