/**
 * Reconnection delays: exponential, capped, with "full jitter" (AWS
 * Architecture Blog, "Exponential Backoff And Jitter"): a random delay between
 * zero and the exponential bound, so a classroom of clients that lost the
 * server at the same moment does not come back at the same moment.
 */
export interface BackoffOptions {
  /** Bound for the first retry, ms. */
  readonly initialMs: number;
  /** Largest bound, ms. */
  readonly maxMs: number;
  /** The smallest delay, so a server that refuses at once is not hammered. */
  readonly minMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, minMs: 100 };

/** The delay before retry number `attempt` (0 for the first retry). `random` returns [0, 1). */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const bound = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return Math.max(options.minMs, Math.floor(random() * bound));
}
