/**
 * Timing helpers shared by every benchmark section, so that Envelope and the
 * libraries it is compared with are measured the same way in the same process.
 *
 * A figure is the median of several rounds: these machines are noisy, and the
 * median of rounds is steadier than one long run or a mean.
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

/**
 * Options for handshake figures. Each handshake consumes one bundle (fresh
 * one-time prekeys), so bundles are generated before timing and the pool must
 * cover every call measureRate makes. With minMs: 0 each round runs exactly
 * minIterations calls, so the count is known in advance.
 */
export const HANDSHAKE_RATE_OPTIONS = { rounds: 5, minIterations: 30, minMs: 0, warmupIterations: 10 } as const satisfies Required<RateOptions>;
export const HANDSHAKE_POOL_SIZE =
  HANDSHAKE_RATE_OPTIONS.warmupIterations + HANDSHAKE_RATE_OPTIONS.rounds * HANDSHAKE_RATE_OPTIONS.minIterations;

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
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
  for (let i = 0; i < warmupIterations; i++) await op();
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let iterations = 0;
    const start = performance.now();
    let elapsed = 0;
    while (iterations < minIterations || elapsed < minMs) {
      await op();
      iterations++;
      elapsed = performance.now() - start;
    }
    rates.push((iterations * 1000) / elapsed);
  }
  return Math.round(median(rates));
}
