import fc from 'fast-check';
import { resolveSchema, type JsonSchema } from './openapi-operations.ts';

/** Strings that have broken servers before: keys of Object.prototype, injections, escapes, extremes. */
const NASTY_STRINGS = [
  '', ' ', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'NaN', 'Infinity', '-1', '0', '1e309', '-0',
  '99999999999999999999999999', '9007199254740993', "'; DROP TABLE documents; --", '" OR 1=1 --', '{"$gt":""}', '<script>alert(1)</script>',
  '../../../etc/passwd', '%00', '\u0000', 'a\u0000b', '\uD800', '\uFFFF', '\u202Eevil', '🔥💾', 'null', 'undefined', 'true', '[]', '{}',
  '%ff%fe', '%E0%A4%A', '\r\nX-Injected: 1',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.uuid(),
  fc.integer({ min: 300, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, 1e308, -1e308, 5e-324),
);

/** Any JSON value, leaning on the hostile strings and numbers. */
const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/**
 * Values shaped by a schema, so requests get past the first checks and reach deeper code, but
 * every leaf may turn hostile: a wrong type, an extreme number, a nasty string, an extra key.
 */
export function fromSchema(document: object, schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const resolved = resolveSchema(document, schema);
  if (depth > 6) return hostileJson;
  const shaped = shapedBy(document, resolved, depth);
  return fc.oneof({ weight: 6, arbitrary: shaped }, { weight: 1, arbitrary: hostileJson });
}

function shapedBy(document: object, schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map((s) => fromSchema(document, s, depth + 1)));
  if (schema.allOf && schema.allOf.length > 0) return fromSchema(document, schema.allOf[0] as JsonSchema, depth + 1);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      const record = fc.record(
        Object.fromEntries(properties.map(([key, property]) => [key, fromSchema(document, property, depth + 1)])),
        { requiredKeys: properties.map(([key]) => key).filter((key) => required.has(key)) },
      );
      const extra = fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'isAdmin', 'role', '_meta', 'toString'), hostileJson, { maxKeys: 2 });
      return fc.tuple(record, fc.option(extra, { freq: 5 })).map(([value, added]) => withKeys(value, added ?? {}));
    }
    case 'array':
      return fc.array(fromSchema(document, schema.items ?? {}, depth + 1), { maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      return hostileString;
    case 'integer':
      return fc.oneof(fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000 }), hostileNumber);
    case 'number':
      return fc.oneof(fc.double({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000, noNaN: true }), hostileNumber);
    case 'boolean':
      return fc.boolean();
    default:
      return hostileJson;
  }
}

/** Adds keys by definition, so `__proto__` becomes an own key in the JSON, not a prototype. */
function withKeys(value: unknown, added: Record<string, unknown>): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const copy: Record<string, unknown> = { ...value };
  for (const [key, item] of Object.entries(added)) Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Built once: a body past the server's 8 MiB limit. */
const OVERSIZED = Buffer.alloc(9 * 1024 * 1024, 'x');

/** A request body as bytes: shaped JSON, or one of the classic ways to break a parser. */
export function hostileBody(document: object, schema: JsonSchema | undefined): fc.Arbitrary<Uint8Array | undefined> {
  const shaped = schema ? fromSchema(document, schema) : hostileJson;
  const text = shaped.map((value) => JSON.stringify(value) ?? 'null');
  const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
  return fc.oneof(
    { weight: 8, arbitrary: text.map(utf8) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    // Numbers beyond every range, written out so JSON.stringify cannot tame them.
    text.map((s) => utf8(s.replace(/(?<=[:[,])-?\d+(\.\d+)?(?=[,\]}])/g, () => '1e400'))),
    text.map((s) => utf8(s.replace(/(?<=[:[,])-?\d+(\.\d+)?(?=[,\]}])/g, () => '123456789012345678901234567890123'))),
    // Nesting deeper than any recursive validator should follow.
    fc.integer({ min: 1_000, max: 200_000 }).map((n) => utf8(`${'['.repeat(n)}${']'.repeat(n)}`)),
    fc.integer({ min: 1_000, max: 50_000 }).map((n) => utf8(`${'{"a":'.repeat(n)}1${'}'.repeat(n)}`)),
    // Prototype pollution, at the top and inside a row.
    fc.constantFrom(
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '[{"newDocumentState":{"__proto__":{"polluted":true},"id":"00000000-0000-7000-8000-000000000000"}}]',
      '{"records":[{"__proto__":{"polluted":true}}],"agentVersion":"1"}',
    ).map(utf8),
    // Bytes that are not UTF-8, inside otherwise valid JSON.
    text.map((s) => new Uint8Array(Buffer.concat([Buffer.from(s.slice(0, Math.max(1, s.length - 2)), 'utf8'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(s.slice(-2), 'utf8')]))),
    fc.constant(new Uint8Array(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]))),
    // Cut short, or not JSON at all.
    text.map((s) => utf8(s.slice(0, Math.floor(s.length / 2)))),
    fc.constantFrom('', 'null', 'undefined', 'NaN', '{', '}', '\u0000', 'a=1&b=2', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--').map(utf8),
    { weight: 1, arbitrary: fc.constant(new Uint8Array(OVERSIZED)) },
  );
}

export const hostileContentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  fc.constantFrom(
    undefined, 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=utf-16', 'text/plain', 'text/json',
    'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'application/json, text/plain', '*/*', 'application/',
  ),
);

/** Extra headers a hostile client might send (fetch refuses CR, LF and NUL in values itself). */
export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom('origin', 'sec-fetch-site', 'x-forwarded-for', 'x-real-ip', 'accept', 'content-encoding', 'if-none-match', 'range', 'x-http-method-override', 'x-outpost'),
  fc.oneof(
    fc.constantFrom('https://evil.example', 'null', 'cross-site', 'same-origin', '127.0.0.1, 10.0.0.1', 'gzip', 'bytes=0-0', 'DELETE', '*/*', 'text/event-stream'),
    fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 200 }),
  ),
  { maxKeys: 3 },
);
