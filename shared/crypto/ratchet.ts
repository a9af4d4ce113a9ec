/**
 * The Double Ratchet (Signal, "The Double Ratchet Algorithm", rev. 4, §3),
 * with the algorithms §5.2 recommends, on libsodium:
 *   KDF_RK  = HKDF-SHA256(salt = root key, ikm = DH output) → new root key ‖ chain key
 *   KDF_CK  = HMAC-SHA256(ck, 0x01) → message key; HMAC-SHA256(ck, 0x02) → next chain key
 *   ENCRYPT = XChaCha20-Poly1305 keyed by the message key, nonce zero; associated
 *             data = AD from the handshake ‖ the header
 *
 * One departure in order, not in result: §3.5 finishes a DH ratchet step on
 * receipt (new root and receiving chain, then a fresh key pair, then the new
 * sending chain). We do the sending half when the next message is sent. The
 * keys are identical (no other input reaches the root chain in between: the
 * peer cannot move to a new ratchet key before we send one), and a device that
 * receives several turns without replying does not spend a key generation and
 * a DH on sending chains it never uses.
 *
 * Every function is pure: it takes a state and returns a new one. Decryption
 * works on local copies and returns a state only when the AEAD tag verified, so
 * a forged, corrupted or replayed message leaves the session untouched (§3.5
 * "If an exception is raised ... discard changes").
 */
import { concatBytes, readUint32BE, toBase64Url, uint32BE, utf8Encode, CryptoError, hkdf, hmacSha256 } from '@envelope/crypto-public';
import { sodium } from './sodium.js';
import {
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  CHAIN_KDF_CHAIN_KEY_SEED,
  CHAIN_KDF_MESSAGE_KEY_SEED,
  MAX_FORWARD_JUMP,
  MAX_OLD_RECEIVING_CHAINS,
  MAX_STORED_SKIPPED_KEYS,
  PROTOCOL_VERSION,
  ROOT_KDF_INFO,
  X25519_KEY_BYTES,
} from '@envelope/crypto-public';
import type { HandshakeSecrets } from './handshake.js';
import { dh, generateDhKeyPair, type DhKeyPair } from './identity.js';
import type { ChainState, RatchetState, SkippedKey } from './ratchet-state.js';

/** version(1) ‖ ratchet key(32) ‖ PN(4) ‖ N(4) */
export const RATCHET_HEADER_BYTES = 1 + X25519_KEY_BYTES + 4 + 4;

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

const ROOT_INFO = utf8Encode(ROOT_KDF_INFO);

// --- KDFs (§5.2) ---

function kdfRoot(rootKey: Uint8Array, dhOutput: Uint8Array): { rootKey: Uint8Array; chainKey: Uint8Array } {
  const out = hkdf(dhOutput, rootKey, ROOT_INFO, 64);
  return { rootKey: out.slice(0, 32), chainKey: out.slice(32, 64) };
}

function kdfChain(chainKey: Uint8Array): { chainKey: Uint8Array; messageKey: Uint8Array } {
  return {
    chainKey: hmacSha256(chainKey, CHAIN_KDF_CHAIN_KEY_SEED),
    messageKey: hmacSha256(chainKey, CHAIN_KDF_MESSAGE_KEY_SEED),
  };
}

/**
 * §5.2 expands each message key with HKDF into an encryption key, a MAC key and
 * an IV, because it pairs AES-CBC with HMAC. An AEAD needs one key, and the
 * message key is already a fresh, uniformly random 32-byte key used for exactly
 * one message, so it keys XChaCha20-Poly1305 directly with a zero nonce (as
 * Noise does with a fresh cipher key: nonce 0 first). A key is never used twice:
 * the chain moves on and a used skipped key is deleted.
 */
const ZERO_NONCE = new Uint8Array(AEAD_NONCE_BYTES);
function aeadKeyAndNonce(messageKey: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
  return { key: messageKey, nonce: ZERO_NONCE };
}

// --- Header encoding ---

export function encodeHeader(header: RatchetHeader): Uint8Array {
  return concatBytes(
    Uint8Array.of(PROTOCOL_VERSION),
    header.ratchetKey,
    uint32BE(header.previousChainLength),
    uint32BE(header.index),
  );
}

/** Parses the header of a ratchet message; malformed input is INVALID_MESSAGE. */
export function decodeRatchetHeader(message: Uint8Array): RatchetHeader {
  if (!(message instanceof Uint8Array) || message.length < RATCHET_HEADER_BYTES + AEAD_TAG_BYTES) {
    throw new CryptoError('INVALID_MESSAGE', 'ratchet message is too short');
  }
  if (message[0] !== PROTOCOL_VERSION) {
    throw new CryptoError('UNSUPPORTED_VERSION', `ratchet message version ${message[0]} is not ${PROTOCOL_VERSION}`);
  }
  return {
    ratchetKey: message.slice(1, 1 + X25519_KEY_BYTES),
    previousChainLength: readUint32BE(message, 1 + X25519_KEY_BYTES),
    index: readUint32BE(message, 1 + X25519_KEY_BYTES + 4),
  };
}

// --- Initialisation (§3.3) ---

function initialState(
  secrets: HandshakeSecrets,
  localIdentityKey: Uint8Array,
  remoteIdentityKey: Uint8Array,
): Pick<RatchetState, 'version' | 'handshake' | 'localIdentityKey' | 'remoteIdentityKey' | 'associatedData' | 'previousSendingChainLength' | 'skippedKeys' | 'oldRemoteRatchetKeys'> {
  return {
    version: PROTOCOL_VERSION,
    handshake: secrets.kind,
    localIdentityKey,
    remoteIdentityKey,
    associatedData: secrets.associatedData,
    previousSendingChainLength: 0,
    skippedKeys: [],
    oldRemoteRatchetKeys: [],
  };
}

/**
 * Alice (§3.3 RatchetInitAlice): a fresh ratchet key pair, not the handshake's
 * ephemeral key, and her first sending chain from a DH ratchet step against
 * Bob's signed prekey: RK, CKs = KDF_RK(SK, DH(DHs, SPK_B)).
 */
export function initInitiatorRatchet(
  secrets: HandshakeSecrets,
  localIdentityKey: Uint8Array,
  remoteIdentityKey: Uint8Array,
  remoteSignedPreKey: Uint8Array,
): RatchetState {
  const sendingRatchetKey = generateDhKeyPair();
  const { rootKey, chainKey } = kdfRoot(secrets.rootKey, dh(sendingRatchetKey.privateKey, remoteSignedPreKey));
  return {
    ...initialState(secrets, localIdentityKey, remoteIdentityKey),
    rootKey,
    sendingRatchetKey,
    remoteRatchetKey: remoteSignedPreKey,
    sendingChain: { chainKey, index: 0 },
    receivingChain: null,
  };
}

/**
 * Bob, from Alice's first message (§3.3 RatchetInitBob, then the receiving half
 * of §3.5 DHRatchet for her first ratchet key): RK, CKr = KDF_RK(SK, DH(SPK_B,
 * DHr)). Done here rather than by storing SPK_B as his first sending ratchet key,
 * so the signed prekey's private key never enters a session and lives only as
 * long as the prekey store keeps it. His first ratchet key pair is made when he
 * first sends, as for every step (see the top of this file).
 */
export function initResponderRatchet(
  secrets: HandshakeSecrets,
  localIdentityKey: Uint8Array,
  remoteIdentityKey: Uint8Array,
  signedPreKey: DhKeyPair,
  remoteRatchetKey: Uint8Array,
): RatchetState {
  const { rootKey, chainKey } = kdfRoot(secrets.rootKey, dh(signedPreKey.privateKey, remoteRatchetKey));
  return responderRatchetOnChain({ ...secrets, rootKey }, localIdentityKey, remoteIdentityKey, remoteRatchetKey, chainKey);
}

/**
 * Bob's state receiving on Alice's first chain, with no sending chain yet. Used
 * directly for a session begun before Alice had a fresh first ratchet key: her
 * ratchet key was EK_A and the chain key came from the handshake (handshake.ts).
 */
export function responderRatchetOnChain(
  secrets: HandshakeSecrets,
  localIdentityKey: Uint8Array,
  remoteIdentityKey: Uint8Array,
  remoteRatchetKey: Uint8Array,
  receivingChainKey: Uint8Array,
): RatchetState {
  return {
    ...initialState(secrets, localIdentityKey, remoteIdentityKey),
    rootKey: secrets.rootKey,
    sendingRatchetKey: null,
    remoteRatchetKey,
    sendingChain: null,
    receivingChain: { chainKey: receivingChainKey, index: 0 },
  };
}

// --- Encrypt (§3.4 RatchetEncrypt) ---

/** The sending half of a DH ratchet step: a fresh key pair and a new sending chain. */
function stepSendingRatchet(state: RatchetState): RatchetState {
  if (state.remoteRatchetKey === null) {
    throw new CryptoError('INVALID_STATE', 'this session has no peer ratchet key to send to');
  }
  const sendingRatchetKey = generateDhKeyPair();
  const { rootKey, chainKey } = kdfRoot(state.rootKey, dh(sendingRatchetKey.privateKey, state.remoteRatchetKey));
  return { ...state, rootKey, sendingRatchetKey, sendingChain: { chainKey, index: 0 } };
}

export function ratchetEncrypt(
  state: RatchetState,
  plaintext: Uint8Array,
  options: { disclose?: boolean } = {},
): { state: RatchetState; message: Uint8Array; step: RatchetStep; disclosure?: MessageKeyDisclosure } {
  const ready = state.sendingChain === null ? stepSendingRatchet(state) : state;
  const chain = ready.sendingChain!;
  const ratchetKey = ready.sendingRatchetKey!;
  if (chain.index >= 0xffffffff) throw new CryptoError('INVALID_STATE', 'sending chain exhausted');
  const { chainKey, messageKey } = kdfChain(chain.chainKey);
  const header = encodeHeader({
    ratchetKey: ratchetKey.publicKey,
    previousChainLength: ready.previousSendingChainLength,
    index: chain.index,
  });
  const { key, nonce } = aeadKeyAndNonce(messageKey);
  const ciphertext = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(
    plaintext,
    concatBytes(ready.associatedData, header),
    null,
    nonce,
    key,
  );
  return {
    state: { ...ready, sendingChain: { chainKey, index: chain.index + 1 } },
    message: concatBytes(header, ciphertext),
    step: {
      ratchetKey: toBase64Url(ratchetKey.publicKey),
      index: chain.index,
      newRatchetKey: chain.index === 0,
      fromSkippedKey: false,
    },
    ...(options.disclose ? { disclosure: { messageKey: messageKey.slice(), sessionAssociatedData: ready.associatedData, header } } : {}),
  };
}

// --- Decrypt (§3.5 RatchetDecrypt) ---

function openWithKey(state: RatchetState, messageKey: Uint8Array, message: Uint8Array): Uint8Array {
  const { key, nonce } = aeadKeyAndNonce(messageKey);
  const header = message.subarray(0, RATCHET_HEADER_BYTES);
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      message.subarray(RATCHET_HEADER_BYTES),
      concatBytes(state.associatedData, header),
      nonce,
      key,
    );
  } catch {
    throw new CryptoError('DECRYPT_FAILED', 'message failed authentication: corrupted, forged, or not for this session');
  }
}

/**
 * Advances a receiving chain to `until`, returning the keys for the messages
 * skipped on the way (§3.5 SkipMessageKeys). Only the newest
 * MAX_STORED_SKIPPED_KEYS are materialised: older ones would be evicted anyway.
 */
function skipMessageKeys(chain: ChainState, ratchetKey: string, until: number): { chain: ChainState; skipped: SkippedKey[] } {
  if (until - chain.index > MAX_FORWARD_JUMP) {
    throw new CryptoError(
      'TOO_MANY_SKIPPED',
      `message is ${until - chain.index} keys ahead in its chain; at most ${MAX_FORWARD_JUMP} are skipped`,
    );
  }
  const skipped: SkippedKey[] = [];
  let chainKey = chain.chainKey;
  for (let index = chain.index; index < until; index++) {
    if (until - index <= MAX_STORED_SKIPPED_KEYS) {
      const step = kdfChain(chainKey);
      skipped.push({ ratchetKey, index, messageKey: step.messageKey });
      chainKey = step.chainKey;
    } else {
      chainKey = hmacSha256(chainKey, CHAIN_KDF_CHAIN_KEY_SEED);
    }
  }
  return { chain: { chainKey, index: Math.max(until, chain.index) }, skipped };
}

/** Appends newly skipped keys, dropping the oldest beyond the total cap and chains beyond the chain cap. */
function boundSkippedKeys(existing: readonly SkippedKey[], added: readonly SkippedKey[], liveChains: ReadonlySet<string>): SkippedKey[] {
  const all = [...existing, ...added].filter((k) => liveChains.has(k.ratchetKey));
  return all.length > MAX_STORED_SKIPPED_KEYS ? all.slice(all.length - MAX_STORED_SKIPPED_KEYS) : all;
}

/** ratchetDecrypt, and with `disclose` the message key it used and the AD (MessageKeyDisclosure: key escrow only). */
export function ratchetDecrypt(
  state: RatchetState,
  message: Uint8Array,
  options: { disclose?: boolean } = {},
): { state: RatchetState; plaintext: Uint8Array; step: RatchetStep; disclosure?: MessageKeyDisclosure } {
  if (!options.disclose) return decryptStep(state, message, null);
  const used: { key: Uint8Array | null } = { key: null };
  const result = decryptStep(state, message, used);
  return {
    ...result,
    disclosure: { messageKey: used.key!, sessionAssociatedData: state.associatedData, header: message.slice(0, RATCHET_HEADER_BYTES) },
  };
}

function decryptStep(
  state: RatchetState,
  message: Uint8Array,
  used: { key: Uint8Array | null } | null,
): { state: RatchetState; plaintext: Uint8Array; step: RatchetStep } {
  const open = (messageKey: Uint8Array): Uint8Array => {
    const plaintext = openWithKey(state, messageKey, message);
    if (used) used.key = messageKey.slice();
    return plaintext;
  };
  const header = decodeRatchetHeader(message);
  const ratchetKey = toBase64Url(header.ratchetKey);

  // 1. A message we skipped earlier: its key is waiting in the store.
  const skippedAt = state.skippedKeys.findIndex((k) => k.index === header.index && k.ratchetKey === ratchetKey);
  if (skippedAt >= 0) {
    const plaintext = open(state.skippedKeys[skippedAt]!.messageKey);
    const skippedKeys = state.skippedKeys.filter((_, i) => i !== skippedAt); // used once, then gone
    return {
      state: { ...state, skippedKeys },
      plaintext,
      step: { ratchetKey, index: header.index, newRatchetKey: false, fromSkippedKey: true },
    };
  }

  const currentRemote = state.remoteRatchetKey === null ? null : toBase64Url(state.remoteRatchetKey);
  if (ratchetKey === currentRemote && state.receivingChain !== null) {
    // 2. The current receiving chain.
    if (header.index < state.receivingChain.index) {
      throw new CryptoError('DUPLICATE_MESSAGE', 'message already received, or its key was discarded by the skipped-key bound');
    }
    const { chain, skipped } = skipMessageKeys(state.receivingChain, ratchetKey, header.index);
    const { chainKey, messageKey } = kdfChain(chain.chainKey);
    const plaintext = open(messageKey);
    const live = new Set([...state.oldRemoteRatchetKeys, ratchetKey]);
    return {
      state: {
        ...state,
        receivingChain: { chainKey, index: header.index + 1 },
        skippedKeys: skipped.length === 0 ? state.skippedKeys : boundSkippedKeys(state.skippedKeys, skipped, live),
      },
      plaintext,
      step: { ratchetKey, index: header.index, newRatchetKey: false, fromSkippedKey: false },
    };
  }

  if (state.oldRemoteRatchetKeys.includes(ratchetKey)) {
    // 3. An old chain whose key for this index is no longer stored.
    throw new CryptoError('DUPLICATE_MESSAGE', 'message already received, or its key was discarded by the skipped-key bound');
  }

  // 4. A new ratchet key: finish the current receiving chain up to PN, then the
  //    receiving half of a DH ratchet step (§3.5 DHRatchet; the sending half waits for our next message).
  if (state.sendingRatchetKey === null) {
    throw new CryptoError('INVALID_MESSAGE', 'the first message of a session must continue the handshake chain');
  }
  let newlySkipped: SkippedKey[] = [];
  if (state.receivingChain !== null && currentRemote !== null) {
    newlySkipped = skipMessageKeys(state.receivingChain, currentRemote, header.previousChainLength).skipped;
  }
  const receiving = kdfRoot(state.rootKey, dh(state.sendingRatchetKey.privateKey, header.ratchetKey));
  const { chain, skipped } = skipMessageKeys({ chainKey: receiving.chainKey, index: 0 }, ratchetKey, header.index);
  const { chainKey, messageKey } = kdfChain(chain.chainKey);
  const plaintext = open(messageKey);

  const oldRemoteRatchetKeys =
    currentRemote === null ? state.oldRemoteRatchetKeys : [...state.oldRemoteRatchetKeys, currentRemote].slice(-MAX_OLD_RECEIVING_CHAINS);
  const live = new Set([...oldRemoteRatchetKeys, ratchetKey]);
  return {
    state: {
      ...state,
      rootKey: receiving.rootKey,
      remoteRatchetKey: header.ratchetKey,
      sendingChain: null,
      receivingChain: { chainKey, index: header.index + 1 },
      previousSendingChainLength: state.sendingChain?.index ?? state.previousSendingChainLength,
      skippedKeys:
        newlySkipped.length + skipped.length === 0 && state.skippedKeys.length === 0
          ? state.skippedKeys
          : boundSkippedKeys(state.skippedKeys, [...newlySkipped, ...skipped], live),
      oldRemoteRatchetKeys,
    },
    plaintext,
    step: { ratchetKey, index: header.index, newRatchetKey: true, fromSkippedKey: false },
  };
}
