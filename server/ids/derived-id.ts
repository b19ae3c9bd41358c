import { createHash } from 'node:crypto';

/**
 * A UUID-shaped id (version 8, "custom") derived from its parts: the same inputs always give
 * the same id, so a write the server repeats after a crash lands on the same document.
 */
export function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
