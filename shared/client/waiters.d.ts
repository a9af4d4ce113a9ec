/** Promises for "the next time X happens", settled all at once, each with an optional deadline. */
export declare class Waiters<E extends Error> {
    #private;
    /** Resolves at the next `resolveAll`; rejects with `onTimeout()` after `timeoutMs`, or at `rejectAll`. */
    wait(timeoutMs: number, onTimeout: () => E): Promise<void>;
    resolveAll(): void;
    rejectAll(error: E): void;
}
