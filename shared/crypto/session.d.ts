import { type InitialHandshake, type PreKeyLookup } from './handshake.js';
import type { IdentityKeyPair } from './identity.js';
import type { PreKeyBundle } from './prekeys.js';
import { type MessageKeyDisclosure, type RatchetStep } from './ratchet.js';
import { type ByteForm, type RatchetState, type SerializedRatchetState, type StoredBytes } from './ratchet-state.js';
export interface SessionState {
    readonly ratchet: RatchetState;
    /** Initiator only: the handshake to resend with each message until the first reply. */
    readonly pendingHandshake: InitialHandshake | null;
    /** Responder only: EK_A of the handshake that made this session, to recognise its repeats. */
    readonly handshakeBaseKey: string | null;
}
export type ParsedSessionMessage = {
    readonly kind: 'ratchet';
    readonly ratchetMessage: Uint8Array;
} | {
    readonly kind: 'prekey';
    readonly handshake: InitialHandshake;
    readonly ratchetMessage: Uint8Array;
};
/**
 * The most a session message adds to its padded plaintext (1,223 bytes): a
 * PQXDH first message with a one-time prekey, the ratchet header, the AEAD tag.
 * An ordinary ratchet message adds 58. Sealed sender pads every envelope as if
 * it carried the largest (sealed-sender.ts), so the two look the same.
 */
export declare const MAX_SESSION_MESSAGE_OVERHEAD: number;
export declare function encodeSessionMessage(message: ParsedSessionMessage): Uint8Array;
/** Parses framing only (no crypto); every length is checked, malformed input is INVALID_MESSAGE. */
export declare function parseSessionMessage(bytes: Uint8Array): ParsedSessionMessage;
/** Alice starts a session from Bob's bundle; nothing is sent until she encrypts. */
export declare function createInitiatorSession(identity: IdentityKeyPair, bundle: PreKeyBundle): SessionState;
/**
 * The message key and AD of one session message, with where its AEAD
 * ciphertext starts in the framed bytes: what key escrow seals into the access
 * field (escrow.ts), so the escrow can open the stored body with the key alone.
 * Only when asked (`disclose`): see MessageKeyDisclosure (ratchet.ts) for why this departs from the spec.
 */
export interface SessionDisclosure extends MessageKeyDisclosure {
    readonly ciphertextOffset: number;
}
export interface EncryptResult {
    readonly session: SessionState;
    /** The framed session message to put on the wire. */
    readonly ciphertext: Uint8Array;
    /** The padded plaintext that was encrypted (for the X-ray view). */
    readonly padded: Uint8Array;
    readonly step: RatchetStep;
    /** Key escrow only (`disclose`): the message key and AD (SessionDisclosure). */
    readonly disclosure?: SessionDisclosure;
}
export declare function encryptMessage(session: SessionState, plaintext: Uint8Array, options?: {
    disclose?: boolean;
}): EncryptResult;
export interface DecryptResult {
    readonly session: SessionState;
    readonly plaintext: Uint8Array;
    readonly step: RatchetStep;
    /** Key escrow only (`disclose`): the message key and AD (SessionDisclosure). */
    readonly disclosure?: SessionDisclosure;
}
/** True when `message` is a handshake that this session did not come from: it needs `acceptInitialMessage`. */
export declare function startsNewSession(session: SessionState | null, message: ParsedSessionMessage): boolean;
/** Decrypts a message of an existing session (a ratchet message, or a repeat of the handshake that made it). */
export declare function decryptMessage(session: SessionState, bytes: Uint8Array, options?: {
    disclose?: boolean;
}): DecryptResult;
export interface AcceptResult extends DecryptResult {
    readonly handshake: InitialHandshake;
}
/**
 * Bob opens a session from a prekey message. On success the caller deletes the
 * one-time prekeys named in `handshake` (X3DH §3.4: "Bob deletes any one-time
 * prekey private key that was used").
 */
export declare function acceptInitialMessage(identity: IdentityKeyPair, bytes: Uint8Array, prekeys: PreKeyLookup, options?: {
    disclose?: boolean;
}): AcceptResult;
/** Byte fields in form F (ratchet-state.ts); `handshakeBaseKey` is base64url in memory too (an identifier) and stays so. */
export interface SerializedSession<F extends ByteForm = 'base64url'> {
    v: number;
    ratchet: SerializedRatchetState<F>;
    /** The pending handshake as a framed prekey header, or null. */
    pendingHandshake: StoredBytes<F> | null;
    handshakeBaseKey: string | null;
}
export declare function serializeSession(session: SessionState): SerializedSession;
export declare function serializeSession<F extends ByteForm>(session: SessionState, form: F): SerializedSession<F>;
export declare function deserializeSession(json: unknown): SessionState;
/** Which handshake made the session, for display ("post-quantum: PQXDH"). */
export declare function sessionHandshakeKind(session: SessionState): 'pqxdh' | 'x3dh';
