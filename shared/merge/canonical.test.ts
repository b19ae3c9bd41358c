import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANONICAL_MAX_DEPTH, NestingTooDeepError, canonicalJson, isDeepEqual } from './canonical.ts';

/**
 * A plain reference for JSON values: JSON.stringify for leaves, keys sorted by code unit.
 * (A replacer cannot serve: engines always put integer-like keys first.)
 */
function referenceJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(referenceJson).join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${referenceJson(record[key])}`).join(',')}}`;
}

/** Content without key order: objects become sorted [key, value] pairs. */
function entriesForm(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(entriesForm);
  if (typeof value !== 'object' || value === null) return value;
  return Object.keys(value).sort().map((key) => [key, entriesForm((value as Record<string, unknown>)[key])]);
}

/** The same content with every object's keys inserted in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, item]) => [key, reverseKeys(item)]));
}

describe('canonicalJson', () => {
  it('sorts object keys recursively', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[{"y":2,"z":1}]},"b":1}');
  });

  it('omits undefined properties and writes undefined array items as null, like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, () => 1], c: null })).toBe('{"b":[null,null],"c":null}');
  });

  it('writes non-finite numbers as null and -0 as 0', () => {
    expect(canonicalJson([Number.NaN, Number.POSITIVE_INFINITY, -0, 1e21])).toBe('[null,null,0,1e+21]');
  });

  it('uses toJSON, so dates become ISO strings', () => {
    expect(canonicalJson({ at: new Date('2026-01-31T08:00:00.000Z') })).toBe('{"at":"2026-01-31T08:00:00.000Z"}');
  });

  it('orders integer-like keys as strings, whatever the insertion order', () => {
    expect(canonicalJson({ 10: 'a', 9: 'b', x: 'c' })).toBe('{"10":"a","9":"b","x":"c"}');
  });

  it('keeps a __proto__ key as data', () => {
    expect(canonicalJson(JSON.parse('{"__proto__":{"a":1},"b":2}'))).toBe('{"__proto__":{"a":1},"b":2}');
  });

  it('returns a non-JSON token for a top-level undefined, distinct from null', () => {
    expect(canonicalJson(undefined)).toBe('undefined');
    expect(canonicalJson(null)).toBe('null');
  });

  it('refuses circular structures and BigInt, as JSON.stringify does', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(() => canonicalJson(circular)).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });

  it('accepts the same object twice when it is not its own ancestor', () => {
    const shared = { a: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"a":1},{"a":1}]');
  });

  it('writes any JSON value with keys sorted by code unit', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(canonicalJson(value)).toBe(referenceJson(value));
    }), { numRuns: 500 });
  });

  it('escapes any string exactly as JSON.stringify does, lone surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (key, text) => {
      expect(canonicalJson({ [key]: text })).toBe(`{${JSON.stringify(key)}:${JSON.stringify(text)}}`);
    }), { numRuns: 1000 });
    expect(canonicalJson('\ud800"\n\u001f')).toBe(JSON.stringify('\ud800"\n\u001f'));
  });

  it('does not depend on key insertion order', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(canonicalJson(reverseKeys(value))).toBe(canonicalJson(value));
    }), { numRuns: 500 });
  });

  it('round-trips through JSON.parse without losing content', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const text = canonicalJson(value);
      const parsed: unknown = JSON.parse(text);
      expect(JSON.stringify(entriesForm(parsed))).toBe(JSON.stringify(entriesForm(value)));
      expect(canonicalJson(parsed)).toBe(text);
    }), { numRuns: 500 });
  });
});

describe('isDeepEqual', () => {
  it('ignores key order and undefined properties', () => {
    expect(isDeepEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(isDeepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
  });

  it('tells apart different values, array order and null from absent', () => {
    expect(isDeepEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(isDeepEqual([1, 2], [2, 1])).toBe(false);
    expect(isDeepEqual(null, undefined)).toBe(false);
    expect(isDeepEqual({ a: null }, {})).toBe(false);
    expect(isDeepEqual('1', 1)).toBe(false);
    expect(isDeepEqual(true, 'true')).toBe(false);
  });

  it('agrees with comparing canonical JSON', () => {
    const value = fc.oneof(fc.jsonValue(), fc.constantFrom(undefined, Number.NaN, -0));
    fc.assert(fc.property(value, value, (a, b) => {
      expect(isDeepEqual(a, b)).toBe(canonicalJson(a) === canonicalJson(b));
      expect(isDeepEqual(a, reverseKeys(a))).toBe(true);
    }), { numRuns: 500 });
  });
});

describe('canonicalJson on hostile nesting', () => {
  it('fails with a NestingTooDeepError, not a stack overflow, on a value nested 20,000 levels deep', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = i % 2 === 0 ? { a: deep } : [deep];
    expect(() => canonicalJson(deep)).toThrow(/nested more than \d+ levels deep/);
    expect(() => canonicalJson(deep)).toThrow(NestingTooDeepError);
    expect(() => isDeepEqual({ a: deep }, { a: 1 })).toThrow(/nested more than \d+ levels deep/);
  });

  it(`writes values nested up to ${CANONICAL_MAX_DEPTH} levels`, () => {
    expect(CANONICAL_MAX_DEPTH).toBeGreaterThanOrEqual(64);
    let deep: unknown = 1;
    for (let i = 0; i < CANONICAL_MAX_DEPTH; i++) deep = [deep];
    expect(canonicalJson(deep)).toBe(`${'['.repeat(CANONICAL_MAX_DEPTH)}1${']'.repeat(CANONICAL_MAX_DEPTH)}`);
  });
});
