/**
 * Seeded randomness. Everything the simulator serves is a pure function of the seed (plus the
 * mutations applied), so two runs with the same seed produce byte-identical exports. Math.random is
 * never used for data; tokens and grant codes (which are secrets, not data) use node:crypto instead.
 */

/** Mixes 32-bit values into one well-distributed 32-bit hash (murmur3 finaliser over a running xor). */
export function hash32(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const value of values) {
    h = Math.imul(h ^ (value >>> 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Hashes a string into a 32-bit seed (FNV-1a then the same finaliser). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return hash32(h);
}

/**
 * mulberry32: tiny, fast and good enough for test data. A class (not a closure) so that generating a
 * million messages does not allocate a million closures.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform 32-bit unsigned integer. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick on an empty list');
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** A string of `count` decimal digits (the first one may be 0). */
  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(this.next() % 10);
    return out;
  }

  /** A lowercase hex string of `count` characters. */
  hex(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += (this.next() & 15).toString(16);
    return out;
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const a = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = a;
    }
    return copy;
  }

  /** `count` distinct items (or all of them when there are fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    return this.shuffled(items).slice(0, Math.max(0, count));
  }

  /** Derives an independent generator, so adding draws to one phase does not shift another. */
  fork(label: number): Rng {
    return new Rng(hash32(this.next(), label));
  }
}
