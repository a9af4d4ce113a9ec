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
export declare const DEFAULT_BACKOFF: BackoffOptions;
/** The delay before retry number `attempt` (0 for the first retry). `random` returns [0, 1). */
export declare function backoffDelay(attempt: number, options?: BackoffOptions, random?: () => number): number;
