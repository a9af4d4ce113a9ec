/**
 * The scenario's one pseudo-random generator: sfc32 (Chris Doty-Humphrey's Small Fast Chaotic
 * generator, 32-bit), seeded through splitmix32. Every draw in a run comes from a stream made by
 * `stream(seed, label)`: the same seed and label give the same numbers on every machine (integer
 * arithmetic only, then one division), and each part of the model (the population, each day's
 * traffic, the reports) draws from its own labelled stream, so adding a draw to one part does not
 * shift every other part's numbers. Not for cryptography: Math.random is never used either.
 */

/** splitmix32: spreads a 32-bit state into well-mixed words (used to seed sfc32). */
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

/** FNV-1a over the label, so a stream's name picks its seed. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, label: string) {
    const mix = splitmix32((seed >>> 0) ^ hashLabel(label));
    // The seed's high bits too (seeds up to 2^53 are accepted): folded into the second word.
    const high = Math.floor(seed / 2 ** 32) >>> 0;
    this.a = mix();
    this.b = mix() ^ high;
    this.c = mix();
    this.d = 1;
    for (let i = 0; i < 15; i++) this.next32(); // sfc32's recommended warm-up
  }

  next32(): number {
    this.d = (this.d + 1) >>> 0;
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next32() / 4294967296;
  }

  /** Uniform integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** Poisson by Knuth's product method below 30, a rounded normal above (the counts here are small). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  /** Standard normal (Box-Muller, one of the pair). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with mean 1 and the given sigma: heavy-tailed activity around an average. */
  activity(sigma: number): number {
    return Math.exp(sigma * this.normal() - (sigma * sigma) / 2);
  }

  /** An index drawn with the given (non-negative) weights. */
  weighted(weights: readonly number[], total: number): number {
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }
}

/** A labelled stream of the run's seed (see the file comment). */
export const stream = (seed: number, label: string): Random => new Random(seed, label);
