import { type InitialHandshake, type PreKeyLookup, type IdentityKeyPair } from '@envelope/crypto';
import { type PreKeyUpload, type Username } from '@envelope/protocol';
import { type SelfRecord } from './key-storage.js';
import { type WireKemPreKey, type WireOneTimePreKey, type WireSignedPreKey } from './prekey-wire.js';
import type { ClientStore } from './store.js';
/** One-time X25519 prekeys kept on the server: a classroom's worth of first contacts between refills. */
export declare const TARGET_ONE_TIME_PREKEYS = 100;
/** One-time ML-KEM-768 prekeys (1,184 bytes each public, 2,400 private): fewer; the last-resort key covers a shortfall (PQXDH §3.3). */
export declare const TARGET_ONE_TIME_KEM_PREKEYS = 20;
export interface NewAccountKeys {
    readonly self: SelfRecord;
    readonly identity: IdentityKeyPair;
    /** Everything to store before the registration request leaves (self included). */
    readonly entries: Record<string, unknown>;
    /** The public halves, as RegisterRequest wants them. */
    readonly upload: {
        identityKey: string;
        signedPreKey: WireSignedPreKey;
        oneTimePreKeys: WireOneTimePreKey[];
        kemPreKeys: WireKemPreKey[];
    };
}
/** A fresh identity and a full set of prekeys for a new account (not yet registered). */
export declare function generateAccountKeys(username: Username, serverUrl: string, now: number): NewAccountKeys;
/**
 * A new identity and prekeys for the same account and device (resetKeys: "I
 * reinstalled the app"). Every id continues past those used so far, so a late
 * prekey message made from an old bundle names a key we do not hold
 * (UNKNOWN_PREKEY) instead of a new key with the same id.
 */
export declare function generateReplacementKeys(self: SelfRecord, now: number): NewAccountKeys;
export interface PreKeyRefill {
    readonly self: SelfRecord;
    /** New private keys (and the advanced id counters) to store before uploading. */
    readonly entries: Record<string, unknown>;
    readonly upload: PreKeyUpload;
}
/** Tops the server's one-time prekeys back up to the targets; null when nothing is missing. */
export declare function generatePreKeyRefill(self: SelfRecord, identity: IdentityKeyPair, serverCounts: {
    oneTimePreKeys: number;
    kemPreKeys: number;
}): PreKeyRefill | null;
/**
 * The prekeys a handshake names, loaded from the store up front because the
 * crypto's lookup is synchronous. A key we do not hold, or a rotated-out key
 * whose grace period is over (prekey-rotation.ts; its deletion may not have run
 * yet), is simply absent, and the handshake fails with UNKNOWN_PREKEY.
 */
export declare function loadPreKeyLookup(store: ClientStore, handshake: InitialHandshake, now: number): Promise<PreKeyLookup>;
/**
 * Store deletions for the one-time prekeys a successful handshake used. The
 * last-resort KEM prekey and the signed prekey stay: they are meant to be reused.
 */
export declare function consumedPreKeyDeletions(handshake: InitialHandshake, lookup: PreKeyLookup): Record<string, undefined>;
