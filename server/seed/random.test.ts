import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Id } from '../../shared/schema/index.ts';
import { Random } from './random.ts';

const draw = (rng: Random, n: number) => Array.from({ length: n }, () => rng.uint32());

describe('Random', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    expect(draw(new Random(42), 20)).toEqual(draw(new Random(42), 20));
    expect(draw(new Random(42), 20)).not.toEqual(draw(new Random(43), 20));
  });

  it('gives forks that depend only on seed and label, not on what the parent consumed', () => {
    const fresh = new Random(7);
    const used = new Random(7);
    draw(used, 100);
    expect(draw(fresh.fork('devices'), 10)).toEqual(draw(used.fork('devices'), 10));
    expect(draw(fresh.fork('devices'), 10)).not.toEqual(draw(fresh.fork('risks'), 10));
  });

  it('keeps int() within its inclusive bounds and reaches both ends', () => {
    const rng = new Random(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const value = rng.int(3, 7);
      expect(value).toBeGreaterThanOrEqual(3);
      expect(value).toBeLessThanOrEqual(7);
      seen.add(value);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('never picks a zero-weight entry', () => {
    const rng = new Random(2);
    for (let i = 0; i < 1000; i++) expect(rng.weighted([['a', 1], ['never', 0], ['b', 3]] as const)).not.toBe('never');
  });

  it('shuffles into a permutation and samples distinct items', () => {
    const rng = new Random(3);
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect([...rng.shuffle(items)].sort((a, b) => a - b)).toEqual(items);
    const big = Array.from({ length: 10_000 }, (_, i) => i);
    expect(new Set(rng.sample(big, 30)).size).toBe(30);
    expect(new Set(rng.sample(items, 40)).size).toBe(40);
    expect(rng.sample(items, 80)).toHaveLength(50);
  });

  it('makes UUIDv7-shaped ids that valibot accepts, carry the timestamp, and do not repeat', () => {
    const rng = new Random(4);
    const at = Date.UTC(2026, 0, 31, 12);
    const ids = Array.from({ length: 5000 }, () => rng.uuid(at));
    for (const id of ids.slice(0, 200)) {
      expect(v.is(Id, id)).toBe(true);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
