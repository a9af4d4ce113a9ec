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
import { fromBase64Url, toBase64Url, AEAD_KEY_BYTES, ED25519_PUBLIC_KEY_BYTES, MAX_OLD_RECEIVING_CHAINS, MAX_STORED_SKIPPED_KEYS, PROTOCOL_VERSION, X25519_KEY_BYTES, CryptoError } from '@envelope/crypto-public';
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
export function encodeBytes<F extends ByteForm>(bytes: Uint8Array, form: F): StoredBytes<F> {
  return (form === 'bytes' ? bytes : toBase64Url(bytes)) as StoredBytes<F>;
}

/** Reads a byte field written in either form, checking its length. */
export function decodeStoredBytes(value: unknown, name: string, length?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) return fromBase64Url(value, name, length);
  if (length !== undefined && value.length !== length) {
    throw new CryptoError('INVALID_ARGUMENT', `${name} must be ${length} bytes, got ${value.length}`);
  }
  return value;
}

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
  sendingRatchet: { pub: StoredBytes<F>; priv: StoredBytes<F> } | null;
  remoteRatchetKey: StoredBytes<F> | null;
  sendingChain: { key: StoredBytes<F>; index: number } | null;
  receivingChain: { key: StoredBytes<F>; index: number } | null;
  pn: number;
  skipped: [ratchetKey: string, index: number, messageKey: StoredBytes<F>][];
  oldRemoteRatchetKeys: string[];
}

function chainToJson<F extends ByteForm>(chain: ChainState | null, form: F): SerializedRatchetState<F>['sendingChain'] {
  return chain === null ? null : { key: encodeBytes(chain.chainKey, form), index: chain.index };
}

function isCounter(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

function chainFromJson(value: unknown, name: string): ChainState | null {
  if (value === null) return null;
  if (typeof value !== 'object' || value === undefined) throw invalid(`${name} must be an object or null`);
  const { key, index } = value as { key?: unknown; index?: unknown };
  if (!isCounter(index)) throw invalid(`${name}.index must be a 32-bit counter`);
  return { chainKey: decodeStoredBytes(key, `${name}.key`, 32), index };
}

function invalid(message: string): CryptoError {
  return new CryptoError('INVALID_STATE', `stored session state: ${message}`);
}

export function serializeRatchetState(state: RatchetState): SerializedRatchetState;
export function serializeRatchetState<F extends ByteForm>(state: RatchetState, form: F): SerializedRatchetState<F>;
export function serializeRatchetState(state: RatchetState, form: ByteForm = 'base64url'): SerializedRatchetState<ByteForm> {
  return {
    v: state.version,
    handshake: state.handshake,
    localIdentityKey: encodeBytes(state.localIdentityKey, form),
    remoteIdentityKey: encodeBytes(state.remoteIdentityKey, form),
    ad: encodeBytes(state.associatedData, form),
    rootKey: encodeBytes(state.rootKey, form),
    sendingRatchet:
      state.sendingRatchetKey === null
        ? null
        : { pub: encodeBytes(state.sendingRatchetKey.publicKey, form), priv: encodeBytes(state.sendingRatchetKey.privateKey, form) },
    remoteRatchetKey: state.remoteRatchetKey === null ? null : encodeBytes(state.remoteRatchetKey, form),
    sendingChain: chainToJson(state.sendingChain, form),
    receivingChain: chainToJson(state.receivingChain, form),
    pn: state.previousSendingChainLength,
    skipped: state.skippedKeys.map((k) => [k.ratchetKey, k.index, encodeBytes(k.messageKey, form)]),
    oldRemoteRatchetKeys: [...state.oldRemoteRatchetKeys],
  };
}

/**
 * Parses stored state strictly (byte fields in either form): a wrong version, a missing field or a key of the
 * wrong length is INVALID_STATE / UNSUPPORTED_VERSION, never a half-built session.
 */
export function deserializeRatchetState(json: unknown): RatchetState {
  if (typeof json !== 'object' || json === null) throw invalid('not an object');
  const s = json as Partial<Record<keyof SerializedRatchetState, unknown>>;
  if (s.v !== PROTOCOL_VERSION) {
    throw new CryptoError('UNSUPPORTED_VERSION', `session state version ${String(s.v)} is not ${PROTOCOL_VERSION}`);
  }
  if (s.handshake !== 'pqxdh' && s.handshake !== 'x3dh') throw invalid('handshake must be pqxdh or x3dh');
  if (!isCounter(s.pn)) throw invalid('pn must be a 32-bit counter');
  const ratchet = s.sendingRatchet as { pub?: unknown; priv?: unknown } | null | undefined;
  if (typeof ratchet !== 'object') throw invalid('sendingRatchet must be an object or null');
  if (!Array.isArray(s.skipped) || s.skipped.length > MAX_STORED_SKIPPED_KEYS) throw invalid('skipped must be a bounded array');
  if (!Array.isArray(s.oldRemoteRatchetKeys) || s.oldRemoteRatchetKeys.length > MAX_OLD_RECEIVING_CHAINS) {
    throw invalid('oldRemoteRatchetKeys must be a bounded array');
  }
  const skippedKeys = s.skipped.map((entry: unknown, i): SkippedKey => {
    if (!Array.isArray(entry) || entry.length !== 3 || !isCounter(entry[1])) throw invalid(`skipped[${i}] malformed`);
    fromBase64Url(entry[0], `skipped[${i}].ratchetKey`, X25519_KEY_BYTES);
    return { ratchetKey: entry[0] as string, index: entry[1], messageKey: decodeStoredBytes(entry[2], `skipped[${i}].messageKey`, AEAD_KEY_BYTES) };
  });
  const oldRemoteRatchetKeys = s.oldRemoteRatchetKeys.map((key: unknown, i) => {
    fromBase64Url(key, `oldRemoteRatchetKeys[${i}]`, X25519_KEY_BYTES);
    return key as string;
  });
  return {
    version: PROTOCOL_VERSION,
    handshake: s.handshake,
    localIdentityKey: decodeStoredBytes(s.localIdentityKey, 'localIdentityKey', ED25519_PUBLIC_KEY_BYTES),
    remoteIdentityKey: decodeStoredBytes(s.remoteIdentityKey, 'remoteIdentityKey', ED25519_PUBLIC_KEY_BYTES),
    associatedData: decodeStoredBytes(s.ad, 'ad', 2 * (1 + ED25519_PUBLIC_KEY_BYTES)),
    rootKey: decodeStoredBytes(s.rootKey, 'rootKey', 32),
    sendingRatchetKey:
      ratchet === null
        ? null
        : {
            publicKey: decodeStoredBytes(ratchet.pub, 'sendingRatchet.pub', X25519_KEY_BYTES),
            privateKey: decodeStoredBytes(ratchet.priv, 'sendingRatchet.priv', X25519_KEY_BYTES),
          },
    remoteRatchetKey: s.remoteRatchetKey === null || s.remoteRatchetKey === undefined ? null : decodeStoredBytes(s.remoteRatchetKey, 'remoteRatchetKey', X25519_KEY_BYTES),
    sendingChain: chainFromJson(s.sendingChain, 'sendingChain'),
    receivingChain: chainFromJson(s.receivingChain, 'receivingChain'),
    previousSendingChainLength: s.pn,
    skippedKeys,
    oldRemoteRatchetKeys,
  };
}
