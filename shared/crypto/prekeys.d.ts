/**
 * Prekeys a device publishes so others can start a session while it is offline
 * (X3DH §3.2, PQXDH §3.2): a signed X25519 prekey, one-time X25519 prekeys, and
 * signed ML-KEM-768 prekeys — a "last-resort" one that is reused while one-time
 * KEM prekeys run out, and one-time ones that the server hands out once each.
 */
import { encodeKemPublicKey } from '@envelope/crypto-public';
import { type DhKeyPair, type IdentityKeyPair } from './identity.js';
export { encodeKemPublicKey };
export interface SignedPreKey {
    readonly id: number;
    readonly keyPair: DhKeyPair;
    /** Sig(IK, Encode(SPK)) */
    readonly signature: Uint8Array;
}
export interface OneTimePreKey {
    readonly id: number;
    readonly keyPair: DhKeyPair;
}
export interface KemPreKey {
    readonly id: number;
    readonly publicKey: Uint8Array;
    readonly privateKey: Uint8Array;
    /** Sig(IK, EncodeKEM(PQPK)) */
    readonly signature: Uint8Array;
    /** The last-resort key stays published and is reused; one-time ones are consumed. */
    readonly lastResort: boolean;
}
/** What the server hands to someone who wants to start a session: public parts only. */
export interface PreKeyBundle {
    readonly identityKey: Uint8Array;
    readonly signedPreKey: {
        readonly id: number;
        readonly publicKey: Uint8Array;
        readonly signature: Uint8Array;
    };
    readonly oneTimePreKey?: {
        readonly id: number;
        readonly publicKey: Uint8Array;
    } | undefined;
    /** Present for PQXDH; absent means a classical X3DH handshake. */
    readonly kemPreKey?: {
        readonly id: number;
        readonly publicKey: Uint8Array;
        readonly signature: Uint8Array;
        readonly lastResort: boolean;
    } | undefined;
}
export declare function generateSignedPreKey(identity: IdentityKeyPair, id: number): SignedPreKey;
export declare function generateOneTimePreKeys(firstId: number, count: number): OneTimePreKey[];
export declare function generateKemPreKey(identity: IdentityKeyPair, id: number, lastResort: boolean): KemPreKey;
/**
 * Checks every signature and size in a bundle before any key in it is used
 * (X3DH §3.3: "Alice verifies the prekey signature and aborts the protocol if
 * verification fails"; PQXDH §3.3 likewise for the KEM prekey).
 */
export declare function verifyPreKeyBundle(bundle: PreKeyBundle): void;
/** The bundle a device would publish, from its own key material (public parts only). */
export declare function bundleFrom(identity: IdentityKeyPair, signedPreKey: SignedPreKey, oneTimePreKey?: OneTimePreKey, kemPreKey?: KemPreKey): PreKeyBundle;
