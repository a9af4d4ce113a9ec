/**
 * Timing helpers shared by every benchmark section, so that Envelope and the
 * libraries it is compared with are measured the same way in the same process.
 *
 * A figure is the median of several rounds: these machines are noisy, and the
 * median of rounds is steadier than one long run or a mean. Two contenders are
 * compared in alternating rounds (compareRates), so a slow spell of the machine
 * falls on both rather than on whichever happened to run then.
 */

export interface RateOptions {
  /** Rounds to run; the reported figure is their median. */
  rounds?: number;
  /** Each round runs the operation at least this many times... */
  minIterations?: number;
  /** ...and for at least this long, whichever comes later. */
  minMs?: number;
  /** Untimed calls first, so JIT and WASM warm-up do not count. */
  warmupIterations?: number;
}

export const DEFAULT_RATE_OPTIONS: Required<RateOptions> = {
  rounds: 5,
  minIterations: 50,
  minMs: 400,
  warmupIterations: 50,
};

/** Options for comparisons: more rounds than one figure alone, since a ratio of two medians moves with both. */
export const COMPARE_RATE_OPTIONS: Required<RateOptions> = { ...DEFAULT_RATE_OPTIONS, rounds: 9, minMs: 300 };

/**
 * Options for handshake figures. Each handshake consumes one bundle (fresh
 * one-time prekeys), so bundles are generated before timing and the pool must
 * cover every call the measurement makes. With minMs: 0 each round runs exactly
 * minIterations calls, so the count is known in advance.
 */
export const HANDSHAKE_RATE_OPTIONS = { rounds: 9, minIterations: 80, minMs: 0, warmupIterations: 10 } as const satisfies Required<RateOptions>;
export const HANDSHAKE_POOL_SIZE =
  HANDSHAKE_RATE_OPTIONS.warmupIterations + HANDSHAKE_RATE_OPTIONS.rounds * HANDSHAKE_RATE_OPTIONS.minIterations;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Untimed calls, so JIT and WASM warm-up do not count. */
async function warmUp(op: () => unknown, iterations: number): Promise<void> {
  for (let i = 0; i < iterations; i++) await op();
}

/** One timed round: operations per second. */
async function timedRound(op: () => unknown, minIterations: number, minMs: number): Promise<number> {
  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  while (iterations < minIterations || elapsed < minMs) {
    await op();
    iterations++;
    elapsed = performance.now() - start;
  }
  return (iterations * 1000) / elapsed;
}

/**
 * Operations per second of `op`, median over rounds. `op` may be sync or async;
 * an async op is awaited each time (its promise overhead is part of its cost,
 * as it is for its users).
 */
export async function measureRate(
  op: () => unknown | Promise<unknown>,
  options: RateOptions = {},
): Promise<number> {
  const { rounds, minIterations, minMs, warmupIterations } = { ...DEFAULT_RATE_OPTIONS, ...options };
  await warmUp(op, warmupIterations);
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) rates.push(await timedRound(op, minIterations, minMs));
  return Math.round(median(rates));
}

export interface Comparison {
  /** Median rate of each contender over its rounds. */
  readonly a: number;
  readonly b: number;
  /** Median of the per-round ratios a/b: each ratio compares two rounds run back to back. */
  readonly ratio: number;
  /** The per-round ratios, in the order measured, so the spread can be read. */
  readonly roundRatios: number[];
}

/**
 * Rates of `a` and `b` measured in alternating rounds (a then b, then b then a,
 * ...), each round as measureRate times it. The ratio is the median of the
 * ratios of rounds measured back to back, which is steadier on a noisy machine
 * than the ratio of two figures measured seconds apart.
 */
export async function compareRates(a: () => unknown, b: () => unknown, options: RateOptions = {}): Promise<Comparison> {
  const { rounds, minIterations, minMs, warmupIterations } = { ...COMPARE_RATE_OPTIONS, ...options };
  await warmUp(a, warmupIterations);
  await warmUp(b, warmupIterations);
  const ratesA: number[] = [];
  const ratesB: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      ratesA.push(await timedRound(a, minIterations, minMs));
      ratesB.push(await timedRound(b, minIterations, minMs));
    } else {
      ratesB.push(await timedRound(b, minIterations, minMs));
      ratesA.push(await timedRound(a, minIterations, minMs));
    }
  }
  const roundRatios = ratesA.map((rate, i) => Math.round((rate / ratesB[i]!) * 100) / 100);
  return { a: Math.round(median(ratesA)), b: Math.round(median(ratesB)), ratio: median(roundRatios), roundRatios };
}
