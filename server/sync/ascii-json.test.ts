import { describe, expect, it } from 'vitest';
import { asciiJson } from './ascii-json.ts';

const bytesOf = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value), 'utf8'));
const isAllAscii = (bytes: Uint8Array) => bytes.every((byte) => byte < 0x80);

describe('asciiJson', () => {
  it('returns ASCII JSON as it is, without a copy', () => {
    const json = bytesOf({ hostname: 'nw-sto014-pos-01', notes: 'a "quoted" \\ back\\u00e9slash' });
    expect(asciiJson(json)).toBe(json);
  });

  it('escapes every non-ASCII character and parses to the very same value', () => {
    const value = {
      assignee: 'Björn Ødegård',
      site: '東京 Shibuya',
      notes: 'Rack 🛠 moved; café "Zoë" \\u00e9 stays literal',
      tags: ['naïve', 'ß'],
    };
    const escaped = asciiJson(bytesOf(value));
    expect(isAllAscii(escaped)).toBe(true);
    expect(JSON.parse(Buffer.from(escaped).toString('utf8'))).toEqual(value);
  });

  it('reads a document that is a view into a larger buffer', () => {
    const whole = Buffer.from(`xx${JSON.stringify({ name: 'Zoë' })}yy`, 'utf8');
    const view = new Uint8Array(whole.buffer, whole.byteOffset + 2, whole.length - 4);
    expect(JSON.parse(Buffer.from(asciiJson(view)).toString('utf8'))).toEqual({ name: 'Zoë' });
  });
});
