export interface IdentityKeyPair {
    /** Ed25519 public key: what the server directory publishes and safety numbers cover. */
    readonly publicKey: Uint8Array;
    /** Ed25519 secret key (libsodium's 64-byte form: seed ‖ public key). */
    readonly privateKey: Uint8Array;
    /** X25519 form of the same key, for Diffie-Hellman. */
    readonly dhPublicKey: Uint8Array;
    readonly dhPrivateKey: Uint8Array;
}
export interface DhKeyPair {
    readonly publicKey: Uint8Array;
    readonly privateKey: Uint8Array;
}
export declare function generateIdentityKeyPair(): IdentityKeyPair;
/** Rebuilds the full identity (with its X25519 form) from a stored Ed25519 key pair. */
export declare function identityFromEd25519(publicKey: Uint8Array, privateKey: Uint8Array): IdentityKeyPair;
/** The X25519 form of someone's Ed25519 identity key; INVALID_KEY if it is not a valid point. */
export declare function identityPublicKeyToX25519(publicKey: Uint8Array): Uint8Array;
export declare function generateDhKeyPair(): DhKeyPair;
/**
 * X25519. libsodium refuses a peer key of low order (the result would be all
 * zeros, X3DH §4.9 "key compromise" aside); we turn that into INVALID_KEY.
 */
export declare function dh(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
export declare function sign(identity: IdentityKeyPair, message: Uint8Array): Uint8Array;
export { encodePublicKey, verifySignature } from '@envelope/crypto-public';
