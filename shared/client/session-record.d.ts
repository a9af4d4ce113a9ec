import type { InitialHandshake, PreKeyLookup, IdentityKeyPair } from '@envelope/crypto';
import { type SerializedSession, type SessionDisclosure, type SessionState } from '@envelope/crypto';
/** libsignal keeps 40 archived states; a chat between a few devices needs far fewer, and each costs storage on every write. */
export declare const MAX_PREVIOUS_SESSIONS = 4;
export declare const SESSION_RECORD_VERSION = 1;
export interface SessionRecord {
    readonly active: SessionState;
    /** Most recently active first. */
    readonly previous: readonly SessionState[];
}
/** As stored: key material as bytes (a profile saved before that holds base64url strings, which load too). */
export interface SerializedSessionRecord {
    v: typeof SESSION_RECORD_VERSION;
    active: SerializedSession<'bytes'>;
    previous: SerializedSession<'bytes'>[];
}
/** `session` becomes active; the former active one is kept as the newest previous session. */
export declare function withActiveSession(record: SessionRecord | null, session: SessionState): SessionRecord;
/** `disclose`: key escrow only, the message key and AD leave the ratchet for the access field (@envelope/crypto escrow.ts). */
export declare function encryptWithRecord(record: SessionRecord, plaintext: Uint8Array, options?: {
    disclose?: boolean;
}): {
    record: SessionRecord;
    ciphertext: Uint8Array;
    padded: Uint8Array;
    disclosure?: SessionDisclosure;
};
export interface RecordDecryptResult {
    readonly record: SessionRecord;
    readonly plaintext: Uint8Array;
    /** Set when the message opened a new session: the caller deletes the one-time prekeys it names. */
    readonly acceptedHandshake: InitialHandshake | null;
    /** The peer's identity key, as the session that decrypted the message knows it. */
    readonly remoteIdentityKey: Uint8Array;
    /** Key escrow only (`disclose`): the message key and AD, for checking the access field. */
    readonly disclosure?: SessionDisclosure;
}
/** What a responder needs to accept a prekey message: its identity and the prekeys the message names. */
export interface Responder {
    readonly identity: IdentityKeyPair;
    readonly preKeys: PreKeyLookup;
}
/**
 * Decrypts with the active session, then each previous one; a previous session
 * that succeeds becomes active. A prekey message that no stored session came
 * from opens a new session (when `responder` is given). Throws the most telling
 * CryptoError when nothing can read the message; the record is then unchanged.
 */
export declare function decryptWithRecord(record: SessionRecord | null, bytes: Uint8Array, responder: Responder | null, options?: {
    disclose?: boolean;
}): RecordDecryptResult;
export declare function serializeSessionRecord(record: SessionRecord): SerializedSessionRecord;
export declare function deserializeSessionRecord(json: unknown): SessionRecord;
