/**
 * Double Ratchet session state (Double Ratchet §3.2 "State variables") as plain,
 * immutable data, and its versioned JSON form for storage in a browser or a file.
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

/** The stored form. Field names are short but documented; every byte field is base64url. */
export interface SerializedRatchetState {
  v: number;
  handshake: HandshakeKind;
  localIdentityKey: string;
  remoteIdentityKey: string;
  ad: string;
  rootKey: string;
  sendingRatchet: { pub: string; priv: string } | null;
  remoteRatchetKey: string | null;
  sendingChain: { key: string; index: number } | null;
  receivingChain: { key: string; index: number } | null;
  pn: number;
  skipped: [ratchetKey: string, index: number, messageKey: string][];
  oldRemoteRatchetKeys: string[];
}

function chainToJson(chain: ChainState | null): SerializedRatchetState['sendingChain'] {
  return chain === null ? null : { key: toBase64Url(chain.chainKey), index: chain.index };
}

function isCounter(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

function chainFromJson(value: unknown, name: string): ChainState | null {
  if (value === null) return null;
  if (typeof value !== 'object' || value === undefined) throw invalid(`${name} must be an object or null`);
  const { key, index } = value as { key?: unknown; index?: unknown };
  if (!isCounter(index)) throw invalid(`${name}.index must be a 32-bit counter`);
  return { chainKey: fromBase64Url(key, `${name}.key`, 32), index };
}

function invalid(message: string): CryptoError {
  return new CryptoError('INVALID_STATE', `stored session state: ${message}`);
}

export function serializeRatchetState(state: RatchetState): SerializedRatchetState {
  return {
    v: state.version,
    handshake: state.handshake,
    localIdentityKey: toBase64Url(state.localIdentityKey),
    remoteIdentityKey: toBase64Url(state.remoteIdentityKey),
    ad: toBase64Url(state.associatedData),
    rootKey: toBase64Url(state.rootKey),
    sendingRatchet:
      state.sendingRatchetKey === null
        ? null
        : { pub: toBase64Url(state.sendingRatchetKey.publicKey), priv: toBase64Url(state.sendingRatchetKey.privateKey) },
    remoteRatchetKey: state.remoteRatchetKey === null ? null : toBase64Url(state.remoteRatchetKey),
    sendingChain: chainToJson(state.sendingChain),
    receivingChain: chainToJson(state.receivingChain),
    pn: state.previousSendingChainLength,
    skipped: state.skippedKeys.map((k) => [k.ratchetKey, k.index, toBase64Url(k.messageKey)]),
    oldRemoteRatchetKeys: [...state.oldRemoteRatchetKeys],
  };
}

/**
 * Parses stored state strictly: a wrong version, a missing field or a key of the
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
    return { ratchetKey: entry[0] as string, index: entry[1], messageKey: fromBase64Url(entry[2], `skipped[${i}].messageKey`, AEAD_KEY_BYTES) };
  });
  const oldRemoteRatchetKeys = s.oldRemoteRatchetKeys.map((key: unknown, i) => {
    fromBase64Url(key, `oldRemoteRatchetKeys[${i}]`, X25519_KEY_BYTES);
    return key as string;
  });
  return {
    version: PROTOCOL_VERSION,
    handshake: s.handshake,
    localIdentityKey: fromBase64Url(s.localIdentityKey, 'localIdentityKey', ED25519_PUBLIC_KEY_BYTES),
    remoteIdentityKey: fromBase64Url(s.remoteIdentityKey, 'remoteIdentityKey', ED25519_PUBLIC_KEY_BYTES),
    associatedData: fromBase64Url(s.ad, 'ad', 2 * (1 + ED25519_PUBLIC_KEY_BYTES)),
    rootKey: fromBase64Url(s.rootKey, 'rootKey', 32),
    sendingRatchetKey:
      ratchet === null
        ? null
        : {
            publicKey: fromBase64Url(ratchet.pub, 'sendingRatchet.pub', X25519_KEY_BYTES),
            privateKey: fromBase64Url(ratchet.priv, 'sendingRatchet.priv', X25519_KEY_BYTES),
          },
    remoteRatchetKey: s.remoteRatchetKey === null || s.remoteRatchetKey === undefined ? null : fromBase64Url(s.remoteRatchetKey, 'remoteRatchetKey', X25519_KEY_BYTES),
    sendingChain: chainFromJson(s.sendingChain, 'sendingChain'),
    receivingChain: chainFromJson(s.receivingChain, 'receivingChain'),
    previousSendingChainLength: s.pn,
    skippedKeys,
    oldRemoteRatchetKeys,
  };
}
