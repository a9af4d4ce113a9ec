import { EnvelopeClient, type EnvelopeClientOptions } from '@envelope/client-core';
import { startInProcess } from './harness.js';
export type InProcessServer = Awaited<ReturnType<typeof startInProcess>>;
/** Reconnects within a fraction of a second: tests cut and restore connections on purpose. */
export declare const FAST_BACKOFF: {
    initialMs: number;
    maxMs: number;
    minMs: number;
};
export interface LiveClients {
    /** A fresh server (its own temporary SQLite file), closed after the test. */
    server(...options: Parameters<typeof startInProcess>): Promise<InProcessServer>;
    /** Opens a client, closed after the test; registers `name` first if given. Not connected yet (see `online`). */
    open(options: EnvelopeClientOptions, name?: string): Promise<EnvelopeClient>;
}
/** Call once at the top of a test file: it registers the clean-up after each test. */
export declare function liveClients(): LiveClients;
/** Connects `client` and resolves once it is ready (signed in, its queue flushed). */
export declare function online(client: EnvelopeClient, timeoutMs?: number): Promise<void>;
