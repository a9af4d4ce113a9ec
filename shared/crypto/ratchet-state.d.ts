/**
 * Double Ratchet session state (Double Ratchet §3.2 "State variables") as plain,
 * immutable data, and its versioned stored form. Byte fields are written in
 * one of two forms: base64url text, for JSON, or the bytes themselves, for a
 * store that holds bytes (the client's stores: shared/client/store.ts), so a
 * session is not re-encoded on every message. Loading reads either.
 *
 * Functions in ratchet.ts never modify a state: they return a new one. The
 * caller persists the new state and only then swaps it in, so a failed decrypt
 * (or a crash mid-way) leaves the stored state exactly as it was.
 */
import { PROTOCOL_VERSION } from '@envelope/crypto-public';
import type { HandshakeKind } from './handshake.js';
import type { DhKeyPair } from './identity.js';
export interface ChainState {
    readonly chainKey: Uint8Array;
    /** Index of the next message key this chain will produce (Ns or Nr). */
    readonly index: number;
}
/** A message key kept for a message that has not arrived yet (Double Ratchet §3.2 MKSKIPPED). */
export interface SkippedKey {
    /** The sender's ratchet public key for that chain, base64url (a map key). */
    readonly ratchetKey: string;
    readonly index: number;
    readonly messageKey: Uint8Array;
}
export interface RatchetState {
    readonly version: typeof PROTOCOL_VERSION;
    /** Which handshake created the session, so the app can show it. */
    readonly handshake: HandshakeKind;
    /** Ed25519 identity keys of both ends; also bound into `associatedData`. */
    readonly localIdentityKey: Uint8Array;
    readonly remoteIdentityKey: Uint8Array;
    /** AD from the handshake, authenticated with every message. */
    readonly associatedData: Uint8Array;
    readonly rootKey: Uint8Array;
    /** DHs; null for the responder until it first sends. */
    readonly sendingRatchetKey: DhKeyPair | null;
    /** DHr */
    readonly remoteRatchetKey: Uint8Array | null;
    /** Null after a new peer ratchet key arrived: the next send starts a new chain. */
    readonly sendingChain: ChainState | null;
    readonly receivingChain: ChainState | null;
    /** PN: length of the previous sending chain. */
    readonly previousSendingChainLength: number;
    /** Oldest first; bounded by MAX_STORED_SKIPPED_KEYS. */
    readonly skippedKeys: readonly SkippedKey[];
    /**
     * Ratchet keys of the most recent old receiving chains (base64url, newest last,
     * at most MAX_OLD_RECEIVING_CHAINS), so a replay from an old chain is reported
     * as a duplicate instead of being mistaken for a new ratchet step.
     */
    readonly oldRemoteRatchetKeys: readonly string[];
}
/** How byte fields are written: base64url text (for JSON) or Uint8Array (for a store that holds bytes). */
export type ByteForm = 'base64url' | 'bytes';
export type StoredBytes<F extends ByteForm> = F extends 'bytes' ? Uint8Array : string;
/** Writes `bytes` in `form`. */
export declare function encodeBytes<F extends ByteForm>(bytes: Uint8Array, form: F): StoredBytes<F>;
/** Reads a byte field written in either form, checking its length. */
export declare function decodeStoredBytes(value: unknown, name: string, length?: number): Uint8Array;
/**
 * The stored form. Field names are short but documented; byte fields are in
 * form F. Ratchet public keys used as map keys (`skipped`'s first field,
 * `oldRemoteRatchetKeys`) are base64url in memory too, and stay so.
 */
export interface SerializedRatchetState<F extends ByteForm = 'base64url'> {
    v: number;
    handshake: HandshakeKind;
    localIdentityKey: StoredBytes<F>;
    remoteIdentityKey: StoredBytes<F>;
    ad: StoredBytes<F>;
    rootKey: StoredBytes<F>;
    sendingRatchet: {
        pub: StoredBytes<F>;
        priv: StoredBytes<F>;
    } | null;
    remoteRatchetKey: StoredBytes<F> | null;
    sendingChain: {
        key: StoredBytes<F>;
        index: number;
    } | null;
    receivingChain: {
        key: StoredBytes<F>;
        index: number;
    } | null;
    pn: number;
    skipped: [ratchetKey: string, index: number, messageKey: StoredBytes<F>][];
    oldRemoteRatchetKeys: string[];
}
export declare function serializeRatchetState(state: RatchetState): SerializedRatchetState;
export declare function serializeRatchetState<F extends ByteForm>(state: RatchetState, form: F): SerializedRatchetState<F>;
/**
 * Parses stored state strictly (byte fields in either form): a wrong version, a missing field or a key of the
 * wrong length is INVALID_STATE / UNSUPPORTED_VERSION, never a half-built session.
 */
export declare function deserializeRatchetState(json: unknown): RatchetState;
