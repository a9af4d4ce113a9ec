import type { HandshakeSecrets } from './handshake.js';
import { type DhKeyPair } from './identity.js';
import type { RatchetState } from './ratchet-state.js';
/** version(1) ‖ ratchet key(32) ‖ PN(4) ‖ N(4) */
export declare const RATCHET_HEADER_BYTES: number;
export interface RatchetHeader {
    readonly ratchetKey: Uint8Array;
    readonly previousChainLength: number;
    readonly index: number;
}
/** Which step of the ratchet produced or opened a message: what the X-ray view shows. */
export interface RatchetStep {
    /** The sending ratchet public key of the chain (base64url). */
    readonly ratchetKey: string;
    /** Position of the message key in its chain. */
    readonly index: number;
    /** True when this message began a new chain after a Diffie-Hellman ratchet step. */
    readonly newRatchetKey: boolean;
    /** True when the message key came from the skipped-key store (an out-of-order message). */
    readonly fromSkippedKey: boolean;
}
/**
 * A message's key and the AEAD's associated data, handed out of the ratchet for
 * key escrow only (escrow.ts; @envelope/protocol policy.ts `key-escrow`).
 *
 * This is the departure from the Double Ratchet that escrow forces. §3
 * (and §2.4, §3.5's DELETE of used skipped keys) deletes each message key
 * once its message is encrypted or decrypted: that is what gives the ratchet
 * its forward secrecy. Escrow needs a copy of exactly that key to leave the
 * ratchet, sealed to the escrow key and kept beside a ciphertext the server
 * retains: whoever holds the escrow key then opens that message at any later
 * time, however far the ratchet has moved. It is asked for (`disclose`) only
 * when the envelope goes or came under key-escrow: in e2ee no key ever leaves,
 * and the caller wipes the copy once the access field is built or checked.
 * The copy is a new array: wiping it never touches the ratchet's state.
 */
export interface MessageKeyDisclosure {
    readonly messageKey: Uint8Array;
    /** The session's associated data (the handshake's AD). */
    readonly sessionAssociatedData: Uint8Array;
    /** The ratchet header, as authenticated: the AEAD's AD is sessionAssociatedData ‖ header. */
    readonly header: Uint8Array;
}
export declare function encodeHeader(header: RatchetHeader): Uint8Array;
/** Parses the header of a ratchet message; malformed input is INVALID_MESSAGE. */
export declare function decodeRatchetHeader(message: Uint8Array): RatchetHeader;
/**
 * Alice (§3.3 RatchetInitAlice): a fresh ratchet key pair, not the handshake's
 * ephemeral key, and her first sending chain from a DH ratchet step against
 * Bob's signed prekey: RK, CKs = KDF_RK(SK, DH(DHs, SPK_B)).
 */
export declare function initInitiatorRatchet(secrets: HandshakeSecrets, localIdentityKey: Uint8Array, remoteIdentityKey: Uint8Array, remoteSignedPreKey: Uint8Array): RatchetState;
/**
 * Bob, from Alice's first message (§3.3 RatchetInitBob, then the receiving half
 * of §3.5 DHRatchet for her first ratchet key): RK, CKr = KDF_RK(SK, DH(SPK_B,
 * DHr)). Done here rather than by storing SPK_B as his first sending ratchet key,
 * so the signed prekey's private key never enters a session and lives only as
 * long as the prekey store keeps it. His first ratchet key pair is made when he
 * first sends, as for every step (see the top of this file).
 */
export declare function initResponderRatchet(secrets: HandshakeSecrets, localIdentityKey: Uint8Array, remoteIdentityKey: Uint8Array, signedPreKey: DhKeyPair, remoteRatchetKey: Uint8Array): RatchetState;
/**
 * Bob's state receiving on Alice's first chain, with no sending chain yet. Used
 * directly for a session begun before Alice had a fresh first ratchet key: her
 * ratchet key was EK_A and the chain key came from the handshake (handshake.ts).
 */
export declare function responderRatchetOnChain(secrets: HandshakeSecrets, localIdentityKey: Uint8Array, remoteIdentityKey: Uint8Array, remoteRatchetKey: Uint8Array, receivingChainKey: Uint8Array): RatchetState;
export declare function ratchetEncrypt(state: RatchetState, plaintext: Uint8Array, options?: {
    disclose?: boolean;
}): {
    state: RatchetState;
    message: Uint8Array;
    step: RatchetStep;
    disclosure?: MessageKeyDisclosure;
};
/** ratchetDecrypt, and with `disclose` the message key it used and the AD (MessageKeyDisclosure: key escrow only). */
export declare function ratchetDecrypt(state: RatchetState, message: Uint8Array, options?: {
    disclose?: boolean;
}): {
    state: RatchetState;
    plaintext: Uint8Array;
    step: RatchetStep;
    disclosure?: MessageKeyDisclosure;
};
