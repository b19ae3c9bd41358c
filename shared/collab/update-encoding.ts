/**
 * Yjs updates travel as base64 text inside replicated JSON documents. btoa/atob exist in
 * browsers and in Node, so client and server share one codec (no Buffer in the browser).
 */

/** Larger chunks would overflow the argument list of String.fromCharCode. */
const CHUNK_BYTES = 0x8000;

export function encodeUpdate(update: Uint8Array): string {
  let binary = '';
  for (let offset = 0; offset < update.length; offset += CHUNK_BYTES) {
    binary += String.fromCharCode(...update.subarray(offset, offset + CHUNK_BYTES));
  }
  return btoa(binary);
}

export function decodeUpdate(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
