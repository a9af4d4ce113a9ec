import type { IdentityKeyPair } from '@envelope/crypto';
import { type AGE_BANDS } from '@envelope/protocol';
import { type SelfRecord } from './key-storage.js';
import type { ServerApi, SessionGranted } from './server-api.js';
import type { ClientStore } from './store.js';
export type AgeBand = (typeof AGE_BANDS)[number];
export interface RegisterOptions {
    /** Declared age band, as platforms ask at sign-up (the server's metadata signals use it). */
    readonly ageBand?: AgeBand;
}
/** The stored account, or null for a fresh profile. */
export declare function loadSelf(store: ClientStore): Promise<SelfRecord | null>;
export declare function registerAccount(store: ClientStore, api: ServerApi, serverUrl: string, username: string, options: RegisterOptions, now: () => number): Promise<{
    self: SelfRecord;
    identity: IdentityKeyPair;
    granted: SessionGranted;
}>;
