/**
 * This device's key material in its stored form, and back. Keys are stored as
 * bytes (Uint8Array); their lengths are checked by the record schemas on load
 * (record-schemas.ts), which also read the base64url strings older profiles
 * hold. Private halves live only in the ClientStore; nothing here logs or
 * returns them anywhere else.
 */
import { type IdentityKeyPair, type KemPreKey, type OneTimePreKey, type SignedPreKey } from '@envelope/crypto';
import type { DeviceId, Username } from '@envelope/protocol';
export declare const SELF_RECORD_VERSION = 1;
export interface StoredIdentity {
    publicKey: Uint8Array;
    privateKey: Uint8Array;
}
export interface StoredSignedPreKey {
    id: number;
    publicKey: Uint8Array;
    privateKey: Uint8Array;
    signature: Uint8Array;
}
export interface StoredOneTimePreKey {
    id: number;
    publicKey: Uint8Array;
    privateKey: Uint8Array;
}
export interface StoredKemPreKey {
    id: number;
    publicKey: Uint8Array;
    privateKey: Uint8Array;
    signature: Uint8Array;
    lastResort: boolean;
}
/** The account this profile holds. `registered` turns true only once the server accepted it. */
export interface SelfRecord {
    v: typeof SELF_RECORD_VERSION;
    username: Username;
    deviceId: DeviceId;
    /** The server this account lives on, so a shell need not be told twice. */
    serverUrl: string;
    identity: StoredIdentity;
    signedPreKeyId: number;
    /** Next ids to hand out, so refills never reuse an id the server may still hold. */
    nextOneTimePreKeyId: number;
    nextKemPreKeyId: number;
    registered: boolean;
    createdAt: number;
    /** Rotation of the signed and last-resort KEM prekeys (prekey-rotation.ts); absent in profiles made before it existed. */
    rotation?: PreKeyRotationState;
}
/** A store key ("spk/3", "kem/7") of a prekey replaced by a rotation, and when the server stopped handing it out. */
export interface RetiredPreKey {
    key: string;
    retiredAt: number;
}
export interface PreKeyRotationState {
    /** When the server began handing out the current signed prekey and last-resort KEM prekey. */
    publishedAt: number;
    lastResortKemPreKeyId: number;
    /** New keys made and stored, not yet confirmed by the server: uploaded again until they are. */
    pending?: {
        signedPreKeyId: number;
        lastResortKemPreKeyId: number;
    };
    /** Private keys kept after their rotation for messages begun from an older bundle, until their grace period ends. */
    retired: RetiredPreKey[];
}
export declare function storeIdentity(identity: IdentityKeyPair): StoredIdentity;
/** The identity key pair; a pair whose halves do not match (a damaged profile) is STORE_CORRUPT, not a crash deep in libsodium. */
export declare function loadIdentity(stored: StoredIdentity): IdentityKeyPair;
export declare function storeSignedPreKey(key: SignedPreKey): StoredSignedPreKey;
export declare function loadSignedPreKey(stored: StoredSignedPreKey): SignedPreKey;
export declare function storeOneTimePreKey(key: OneTimePreKey): StoredOneTimePreKey;
export declare function loadOneTimePreKey(stored: StoredOneTimePreKey): OneTimePreKey;
export declare function storeKemPreKey(key: KemPreKey): StoredKemPreKey;
export declare function loadKemPreKey(stored: StoredKemPreKey): KemPreKey;
