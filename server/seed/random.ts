/**
 * Seeded pseudo-random numbers for demo and benchmark data: the same seed always yields the
 * same sequence, on every machine. sfc32 (128-bit state) rather than mulberry32 (32-bit state)
 * because a dataset draws hundreds of thousands of values and ids must not repeat.
 */

const UINT32 = 4_294_967_296;

/** FNV-1a: turns a stream label into 32 bits for seeding. */
function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** splitmix32: spreads a small seed over sfc32's four state words. */
function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const hex8 = (value: number) => (value >>> 0).toString(16).padStart(8, '0');

export class Random {
  readonly seed: number;
  readonly label: string;
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number, label = '') {
    this.seed = seed;
    this.label = label;
    const mix = splitmix32((Math.trunc(seed) ^ hashLabel(label)) >>> 0);
    // The high bits of a non-integer or large seed would otherwise be lost by `>>> 0`.
    const high = Math.trunc(seed / UINT32) >>> 0;
    this.#a = mix();
    this.#b = mix() ^ high;
    this.#c = mix();
    this.#d = 1;
    for (let i = 0; i < 12; i++) this.uint32(); // sfc32's recommended warm-up
  }

  /**
   * An independent stream named by `label`. It depends only on the seed and the label, not on
   * how much of this stream was consumed, so generating more risks never changes the devices.
   */
  fork(label: string): Random {
    return new Random(this.seed, this.label === '' ? label : `${this.label}/${label}`);
  }

  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / UINT32;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): max is below min`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** Normally distributed (Box–Muller), for measurements that cluster around a typical value. */
  normal(mean: number, standardDeviation: number): number {
    const u = 1 - this.next(); // (0, 1]: log(0) would be -Infinity
    const w = this.next();
    return mean + standardDeviation * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks a value with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) total += Math.max(0, weight);
    if (total <= 0) throw new RangeError('weighted() needs at least one positive weight');
    let remaining = this.next() * total;
    for (const [value, weight] of entries) {
      remaining -= Math.max(0, weight);
      if (remaining < 0) return value;
    }
    // Floating-point rounding can leave a sliver: fall back to the last positive entry.
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i];
      if (entry && entry[1] > 0) return entry[0];
    }
    throw new RangeError('weighted() needs at least one positive weight');
  }

  /** A shuffled copy (Fisher–Yates); the input is left alone. */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const swap = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = swap;
    }
    return copy;
  }

  /**
   * Up to `count` distinct items. Picking a few from a large list rejects repeats instead of
   * copying the list, so sampling 3 of 10,000 devices thousands of times stays linear.
   */
  sample<T>(items: readonly T[], count: number): T[] {
    const wanted = Math.min(Math.max(0, Math.floor(count)), items.length);
    if (wanted * 4 < items.length) {
      const chosen = new Set<number>();
      while (chosen.size < wanted) chosen.add(Math.floor(this.next() * items.length));
      return [...chosen].map((index) => items[index] as T);
    }
    return this.shuffle(items).slice(0, wanted);
  }

  /** Characters from a pattern: `#` a digit, `A` a capital letter, `X` a digit or capital, `h` hex. */
  fromPattern(pattern: string): string {
    let out = '';
    for (const char of pattern) {
      if (char === '#') out += String(this.int(0, 9));
      else if (char === 'A') out += LETTERS[this.int(0, 25)];
      else if (char === 'X') out += ALPHANUMERIC[this.int(0, 35)];
      else if (char === 'h') out += HEX[this.int(0, 15)];
      else out += char;
    }
    return out;
  }

  /**
   * A UUIDv7-shaped id: the 48-bit timestamp is `atMs` (so ids sort by creation time, as client
   * ids do), the version nibble is 7, the variant bits are 10, and the other 74 bits come from
   * this stream, so the same seed always produces the same ids.
   */
  uuid(atMs: number): string {
    const time = Math.max(0, Math.floor(atMs)).toString(16).padStart(12, '0').slice(-12);
    const bits = hex8(this.uint32()) + hex8(this.uint32());
    const variant = (8 | (this.uint32() & 3)).toString(16);
    return `${time.slice(0, 8)}-${time.slice(8)}-7${bits.slice(0, 3)}-${variant}${bits.slice(3, 6)}-${bits.slice(6, 16)}${hex8(this.uint32()).slice(0, 2)}`;
  }
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX = '0123456789abcdef';
