import { type IdentityKeyPair } from './identity.js';
import { type KemPreKey, type OneTimePreKey, type PreKeyBundle, type SignedPreKey } from './prekeys.js';
export type HandshakeKind = 'pqxdh' | 'x3dh';
/** What the initiator sends alongside its first messages so the responder can derive SK (X3DH §3.3). */
export interface InitialHandshake {
    readonly kind: HandshakeKind;
    /** IK_A, Ed25519. */
    readonly identityKey: Uint8Array;
    /** EK_A, X25519. */
    readonly ephemeralKey: Uint8Array;
    readonly signedPreKeyId: number;
    readonly oneTimePreKeyId?: number | undefined;
    readonly kemPreKeyId?: number | undefined;
    readonly kemCiphertext?: Uint8Array | undefined;
}
export interface HandshakeSecrets {
    readonly kind: HandshakeKind;
    /** SK: the Double Ratchet's first root key. */
    readonly rootKey: Uint8Array;
    /** AD: authenticated with every message of the session. */
    readonly associatedData: Uint8Array;
}
/** Bob's side also names the signed prekey used, for the first DH ratchet step (Double Ratchet §3.3). */
export interface ResponderSecrets extends HandshakeSecrets {
    readonly signedPreKey: SignedPreKey;
    /**
     * The second half of a 64-byte KDF output: the first chain key of a session
     * begun before Alice got a fresh first ratchet key (her ratchet key was EK_A).
     * Used only to open the first messages of such a session (session.ts).
     */
    readonly legacyFirstChainKey: Uint8Array;
}
/** The responder's own prekeys, looked up by the ids the initiator names. */
export interface PreKeyLookup {
    signedPreKey(id: number): SignedPreKey | undefined;
    oneTimePreKey(id: number): OneTimePreKey | undefined;
    kemPreKey(id: number): KemPreKey | undefined;
}
export declare function associatedDataFor(initiatorIdentity: Uint8Array, responderIdentity: Uint8Array): Uint8Array;
/**
 * Alice's side (X3DH §3.3, PQXDH §3.3): verify the bundle, derive SK, delete
 * EK_A's private key. Only its public half leaves this function.
 */
export declare function initiateHandshake(identity: IdentityKeyPair, bundle: PreKeyBundle): {
    secrets: HandshakeSecrets;
    initial: InitialHandshake;
};
/**
 * Bob's side (X3DH §3.4, PQXDH §3.4). Only derives; the caller deletes the
 * one-time prekeys it used once the first message has decrypted, so a forged
 * initial message cannot burn them.
 */
export declare function respondToHandshake(identity: IdentityKeyPair, initial: InitialHandshake, prekeys: PreKeyLookup): ResponderSecrets;
