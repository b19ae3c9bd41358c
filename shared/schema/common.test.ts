import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { BoundedValue, MAX_NESTING_DEPTH, isBoundedValue, text, withoutForbiddenCharacters } from './common.ts';
import { Runbook } from './runbook.ts';

const title = text(200, 1);
const accepts = (value: string) => v.safeParse(title, value).success;

/** A value nested `depth` levels of objects deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('text', () => {
  it('accepts ordinary text in any script, emoji and the implicit direction marks', () => {
    for (const value of ['Printer offline', 'Café № 14 — “ok”', 'שרת \u200fקופה', 'طابعة', 'Rack 🖨️ 👩🏽‍🔧', 'line one\nline two\ttabbed']) {
      expect(accepts(value), value).toBe(true);
    }
  });

  it('refuses NUL', () => {
    expect(accepts('Printer\u0000offline')).toBe(false);
  });

  it('refuses a right-to-left override, which shows the title reversed', () => {
    const result = v.safeParse(title, 'Invoice \u202Efdp.exe');
    expect(result.success).toBe(false);
    expect(result.issues?.[0]?.message).toMatch(/bidirectional control/);
  });

  it('refuses every bidirectional embedding, override and isolate', () => {
    for (const control of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(accepts(`a${control}b`), `U+${control.charCodeAt(0).toString(16)}`).toBe(false);
    }
  });

  it('refuses a byte-order mark, leading or inside', () => {
    expect(accepts('\uFEFFPrinter offline')).toBe(false);
    expect(accepts('Printer\uFEFFoffline')).toBe(false);
  });

  it('refuses lone surrogates, high or low, but not a well-formed pair', () => {
    expect(accepts('ab\uD83D')).toBe(false);
    expect(accepts('\uDE00ab')).toBe(false);
    expect(accepts('a\uDE00\uD83Db')).toBe(false);
    expect(accepts('a\uD83D\uDE00b')).toBe(true);
    expect(v.safeParse(title, 'ab\uD83D').issues?.[0]?.message).toMatch(/lone surrogate/);
  });

  it('refuses them in nested fields of a document too, naming the field', () => {
    const runbook = {
      id: '0190f3a1-0000-7000-8000-000000000001', orgId: '0190f3a1-0000-7000-8000-000000000002', updatedAt: '2026-01-31T08:00:00.000Z',
      title: 'Printer offline', summary: '', tags: [], appliesTo: { deviceKinds: [], tags: [], siteIds: [] },
      steps: [{ id: '0190f3a1-0000-7000-8000-000000000003', instruction: 'Enter the PIN \u202E4321' }], status: 'draft', version: 1,
    };
    const result = v.safeParse(Runbook, runbook);
    expect(result.success).toBe(false);
    expect(result.issues?.map((issue) => v.getDotPath(issue))).toEqual(['steps.0.instruction']);
  });
});

describe('withoutForbiddenCharacters', () => {
  it('strips what text refuses and keeps the rest', () => {
    expect(withoutForbiddenCharacters('\uFEFFPOS\u0000 \u202Eterminal\uD83D \uD83D\uDE00')).toBe('POS terminal \uD83D\uDE00');
    expect(accepts(withoutForbiddenCharacters('x\u0000\u2066y\uDC00'))).toBe(true);
  });
});

describe('bounded values', () => {
  it(`accepts values nested up to ${MAX_NESTING_DEPTH} levels`, () => {
    expect(isBoundedValue(nested(MAX_NESTING_DEPTH))).toBe(true);
    expect(isBoundedValue([{ a: [1, 'two', null] }, 'x'])).toBe(true);
  });

  it('refuses a value nested 20,000 levels deep without overflowing the stack', () => {
    expect(isBoundedValue(nested(20_000))).toBe(false);
    expect(v.safeParse(BoundedValue, nested(20_000)).success).toBe(false);
  });

  it('refuses strings that text would refuse, in values and keys', () => {
    expect(isBoundedValue({ a: ['fine', 'not\u202Efine'] })).toBe(false);
    expect(isBoundedValue({ ['key\u0000']: 1 })).toBe(false);
  });
});
