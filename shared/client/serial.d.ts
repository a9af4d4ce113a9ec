/**
 * Runs async tasks one at a time, in the order they were queued. Sessions are
 * immutable values that each step replaces, so two steps on the same session
 * (a send and a receive, say) must never interleave: the second would start
 * from a state the first is about to replace, and one update would be lost.
 */
export declare class SerialQueue {
    #private;
    run<T>(task: () => Promise<T>): Promise<T>;
    /** Resolves once everything queued so far has finished. */
    idle(): Promise<void>;
}
