import { isAscii } from 'node:buffer';

const NON_ASCII = /[\u0080-\uffff]/g;
const escape = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * The same JSON with every non-ASCII character written as a `\u` escape. A handful of accented
 * names in a 4.5 MB page made V8 decode and parse all of it as two-byte text: pure ASCII is
 * 30-40 % faster to decode and parse on the client. Outside strings JSON is ASCII already, and a
 * character beyond the BMP becomes its two escaped surrogates, which JSON.parse joins again.
 */
export function asciiJson(json: Uint8Array): Uint8Array {
  if (isAscii(json)) return json;
  const text = Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8');
  return Buffer.from(text.replace(NON_ASCII, escape), 'latin1');
}
