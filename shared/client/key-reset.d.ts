import type { IdentityKeyPair } from '@envelope/crypto';
import { type SelfRecord } from './key-storage.js';
import { type NewAccountKeys } from './own-prekeys.js';
import type { ServerApi, SessionGranted } from './server-api.js';
import type { ClientStore } from './store.js';
export declare const PENDING_RESET_VERSION = 1;
export interface PendingKeyReset {
    v: typeof PENDING_RESET_VERSION;
    createdAt: number;
    /** The SelfRecord to adopt once the server agrees (new identity, new prekey ids). */
    self: SelfRecord;
    /** The new prekeys' store entries, written by the swap. */
    preKeys: Record<string, unknown>;
    /** The public halves, as IdentityResetRequest wants them. */
    upload: NewAccountKeys['upload'];
}
export interface ResetOutcome {
    readonly self: SelfRecord;
    readonly identity: IdentityKeyPair;
    readonly granted: SessionGranted;
}
/** Runs an authenticated request (TokenSource.authed of the identity in use). */
export type Authed = <T>(request: (token: string) => Promise<T>) => Promise<T>;
/** Makes new keys for `self` and stores them as the pending reset (replacing any earlier one). */
export declare function startKeyReset(store: ClientStore, self: SelfRecord, now: number): Promise<PendingKeyReset>;
/** The reset request, signed by the new key over a fresh challenge. */
export declare function requestKeyReset(api: ServerApi, authed: Authed, pending: PendingKeyReset): Promise<SessionGranted>;
/** Whether an earlier attempt reached the server: the pending key logs in. Null if it did not. */
export declare function pendingResetLanded(api: ServerApi, pending: PendingKeyReset): Promise<SessionGranted | null>;
/** The swap, in one atomic put: new identity and prekeys in, old prekeys and every session out. */
export declare function completeKeyReset(store: ClientStore, pending: PendingKeyReset): Promise<{
    self: SelfRecord;
    identity: IdentityKeyPair;
}>;
export declare function discardKeyReset(store: ClientStore): Promise<void>;
/**
 * The whole reset. `current` is the identity in use; throws (leaving it in
 * use) if the server refuses or cannot be reached.
 */
export declare function resetIdentity(store: ClientStore, api: ServerApi, authed: Authed, current: SelfRecord, now: number): Promise<ResetOutcome>;
