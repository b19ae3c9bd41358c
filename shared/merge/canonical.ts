/**
 * Canonical JSON: the same content always gives the same string, whatever the key order.
 * The server compares and hashes documents with it, and the merge uses it for equality, so it
 * follows JSON.stringify's rules exactly (toJSON, `undefined` properties omitted, non-finite
 * numbers as null) and only adds recursive key sorting.
 */
export function canonicalJson(value: unknown): string {
  // JSON.stringify(undefined) is undefined; a distinct non-JSON token keeps "absent" unequal
  // to null while the return type stays a string.
  return write(value, '', new Set(), 0) ?? 'undefined';
}

/**
 * Deeper than any document of ours (schemas bound free-form values to far less), far shallower
 * than the call stack: input that gets here unvalidated fails with this error, not a stack overflow.
 */
export const CANONICAL_MAX_DEPTH = 256;

export class NestingTooDeepError extends RangeError {
  constructor() {
    super(`canonicalJson: nested more than ${CANONICAL_MAX_DEPTH} levels deep`);
    this.name = 'NestingTooDeepError';
  }
}

/** Equal as JSON: key order, `undefined` properties and -0 versus 0 make no difference. */
export function isDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Distinct strings or booleans never serialize alike: skip the serialization.
  if (isStringOrBoolean(a) && isStringOrBoolean(b)) return false;
  return canonicalJson(a) === canonicalJson(b);
}

function isStringOrBoolean(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'boolean';
}

/** Returns undefined where JSON.stringify would omit the value (undefined, functions, symbols). */
function write(input: unknown, key: string, ancestors: Set<object>, depth: number): string | undefined {
  let value = input;
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null'; // String(-0) is '0', as in JSON
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt has no JSON form');
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  // Boxed primitives serialize as their primitive, as in JSON.stringify.
  if (value instanceof Number || value instanceof String || value instanceof Boolean) {
    return write(value.valueOf(), key, ancestors, depth);
  }
  if (ancestors.has(value)) throw new TypeError('canonicalJson: circular structure');
  if (depth >= CANONICAL_MAX_DEPTH) throw new NestingTooDeepError();
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += write(value[i], String(i), ancestors, depth + 1) ?? 'null';
    }
    out += ']';
  } else {
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units: the same order in every engine.
    const keys = Object.keys(record).sort();
    out = '{';
    let isFirst = true;
    for (const property of keys) {
      const written = write(record[property], property, ancestors, depth + 1);
      if (written === undefined) continue;
      out += (isFirst ? '' : ',') + quote(property) + ':' + written;
      isFirst = false;
    }
    out += '}';
  }
  ancestors.delete(value);
  return out;
}

/** Quotes, backslashes, control characters and surrogates need JSON's escaping; most text does not. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}
