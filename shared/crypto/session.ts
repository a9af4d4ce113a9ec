/**
 * A session: the handshake (handshake.ts) feeding the Double Ratchet
 * (ratchet.ts), padding applied to every plaintext, and the byte framing of the
 * two kinds of session message:
 *
 *   ratchet message:  0x01 ‖ ratchet message (header ‖ AEAD ciphertext)
 *   prekey message:   0x02 ‖ flags ‖ IK_A(32) ‖ EK_A(32) ‖ SPK id(4)
 *                     [‖ OPK id(4)] [‖ KEM prekey id(4) ‖ KEM ciphertext(1088)]
 *                     ‖ ratchet message
 *
 * The initiator sends prekey messages until the first reply arrives (X3DH §3.3:
 * the initial message carries what the responder needs to derive SK), so any of
 * them can open the session even if earlier ones were lost. None of the
 * handshake fields needs its own MAC: changing any of them changes SK, and the
 * ratchet message's AEAD check fails.
 */
import { assertBytes, bytesEqual, concatBytes, fromBase64Url, readUint32BE, toBase64Url, uint32BE, AEAD_TAG_BYTES, ED25519_PUBLIC_KEY_BYTES, FRAME_PREKEY, FRAME_RATCHET, MLKEM768_CIPHERTEXT_BYTES, PROTOCOL_VERSION, X25519_KEY_BYTES, CryptoError } from '@envelope/crypto-public';
import { initiateHandshake, respondToHandshake, type InitialHandshake, type PreKeyLookup } from './handshake.js';
import type { IdentityKeyPair } from './identity.js';
import { pad, unpad } from '@envelope/crypto-public';
import type { PreKeyBundle } from './prekeys.js';
import {
  decodeRatchetHeader,
  initInitiatorRatchet,
  initResponderRatchet,
  RATCHET_HEADER_BYTES,
  ratchetDecrypt,
  ratchetEncrypt,
  responderRatchetOnChain,
  type MessageKeyDisclosure,
  type RatchetStep,
} from './ratchet.js';
import {
  deserializeRatchetState,
  serializeRatchetState,
  type ByteForm,
  type RatchetState,
  type SerializedRatchetState,
  type StoredBytes,
} from './ratchet-state.js';

const FLAG_ONE_TIME_PREKEY = 0x01;
const FLAG_KEM = 0x02;

export interface SessionState {
  readonly ratchet: RatchetState;
  /** Initiator only: the handshake to resend with each message until the first reply. */
  readonly pendingHandshake: InitialHandshake | null;
  /** Responder only: EK_A of the handshake that made this session, to recognise its repeats. */
  readonly handshakeBaseKey: string | null;
}

export type ParsedSessionMessage =
  | { readonly kind: 'ratchet'; readonly ratchetMessage: Uint8Array }
  | { readonly kind: 'prekey'; readonly handshake: InitialHandshake; readonly ratchetMessage: Uint8Array };

// --- Framing ---

/** The largest prekey-message header: type, flags, IK_A, EK_A, SPK id, OPK id, KEM prekey id, KEM ciphertext. */
const MAX_PREKEY_HEADER_BYTES = 2 + ED25519_PUBLIC_KEY_BYTES + X25519_KEY_BYTES + 4 + 4 + 4 + MLKEM768_CIPHERTEXT_BYTES;
/**
 * The most a session message adds to its padded plaintext (1,223 bytes): a
 * PQXDH first message with a one-time prekey, the ratchet header, the AEAD tag.
 * An ordinary ratchet message adds 58. Sealed sender pads every envelope as if
 * it carried the largest (sealed-sender.ts), so the two look the same.
 */
export const MAX_SESSION_MESSAGE_OVERHEAD = MAX_PREKEY_HEADER_BYTES + RATCHET_HEADER_BYTES + AEAD_TAG_BYTES;

export function encodeSessionMessage(message: ParsedSessionMessage): Uint8Array {
  if (message.kind === 'ratchet') return concatBytes(Uint8Array.of(FRAME_RATCHET), message.ratchetMessage);
  const h = message.handshake;
  const flags = (h.oneTimePreKeyId !== undefined ? FLAG_ONE_TIME_PREKEY : 0) | (h.kind === 'pqxdh' ? FLAG_KEM : 0);
  const parts = [Uint8Array.of(FRAME_PREKEY, flags), h.identityKey, h.ephemeralKey, uint32BE(h.signedPreKeyId)];
  if (h.oneTimePreKeyId !== undefined) parts.push(uint32BE(h.oneTimePreKeyId));
  if (h.kind === 'pqxdh') parts.push(uint32BE(h.kemPreKeyId!), h.kemCiphertext!);
  parts.push(message.ratchetMessage);
  return concatBytes(...parts);
}

/** Parses framing only (no crypto); every length is checked, malformed input is INVALID_MESSAGE. */
export function parseSessionMessage(bytes: Uint8Array): ParsedSessionMessage {
  assertBytes(bytes, 'message');
  const tooShort = () => new CryptoError('INVALID_MESSAGE', 'session message is truncated');
  if (bytes.length < 1) throw tooShort();
  if (bytes[0] === FRAME_RATCHET) return { kind: 'ratchet', ratchetMessage: bytes.subarray(1) };
  if (bytes[0] !== FRAME_PREKEY) throw new CryptoError('INVALID_MESSAGE', `unknown session message type ${bytes[0]}`);
  if (bytes.length < 2) throw tooShort();
  const flags = bytes[1]!;
  if ((flags & ~(FLAG_ONE_TIME_PREKEY | FLAG_KEM)) !== 0) throw new CryptoError('INVALID_MESSAGE', 'unknown prekey message flags');
  let offset = 2;
  const take = (n: number): Uint8Array => {
    if (offset + n > bytes.length) throw tooShort();
    const out = bytes.slice(offset, offset + n);
    offset += n;
    return out;
  };
  const identityKey = take(ED25519_PUBLIC_KEY_BYTES);
  const ephemeralKey = take(X25519_KEY_BYTES);
  const signedPreKeyId = readUint32BE(take(4), 0);
  const oneTimePreKeyId = flags & FLAG_ONE_TIME_PREKEY ? readUint32BE(take(4), 0) : undefined;
  let kemPreKeyId: number | undefined;
  let kemCiphertext: Uint8Array | undefined;
  if (flags & FLAG_KEM) {
    kemPreKeyId = readUint32BE(take(4), 0);
    kemCiphertext = take(MLKEM768_CIPHERTEXT_BYTES);
  }
  return {
    kind: 'prekey',
    handshake: {
      kind: flags & FLAG_KEM ? 'pqxdh' : 'x3dh',
      identityKey,
      ephemeralKey,
      signedPreKeyId,
      oneTimePreKeyId,
      kemPreKeyId,
      kemCiphertext,
    },
    ratchetMessage: bytes.subarray(offset),
  };
}

// --- Session lifecycle ---

/** Alice starts a session from Bob's bundle; nothing is sent until she encrypts. */
export function createInitiatorSession(identity: IdentityKeyPair, bundle: PreKeyBundle): SessionState {
  const { secrets, initial } = initiateHandshake(identity, bundle);
  return {
    ratchet: initInitiatorRatchet(secrets, identity.publicKey, bundle.identityKey, bundle.signedPreKey.publicKey),
    pendingHandshake: initial,
    handshakeBaseKey: null,
  };
}

/**
 * The message key and AD of one session message, with where its AEAD
 * ciphertext starts in the framed bytes: what key escrow seals into the access
 * field (escrow.ts), so the escrow can open the stored body with the key alone.
 * Only when asked (`disclose`): see MessageKeyDisclosure (ratchet.ts) for why this departs from the spec.
 */
export interface SessionDisclosure extends MessageKeyDisclosure {
  readonly ciphertextOffset: number;
}

function withOffset(disclosure: MessageKeyDisclosure | undefined, framed: Uint8Array, ratchetMessage: Uint8Array): { disclosure?: SessionDisclosure } {
  if (disclosure === undefined) return {};
  return { disclosure: { ...disclosure, ciphertextOffset: framed.length - (ratchetMessage.length - RATCHET_HEADER_BYTES) } };
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

export function encryptMessage(session: SessionState, plaintext: Uint8Array, options: { disclose?: boolean } = {}): EncryptResult {
  assertBytes(plaintext, 'plaintext');
  const padded = pad(plaintext);
  const { state, message, step, disclosure } = ratchetEncrypt(session.ratchet, padded, options);
  const ciphertext =
    session.pendingHandshake === null
      ? encodeSessionMessage({ kind: 'ratchet', ratchetMessage: message })
      : encodeSessionMessage({ kind: 'prekey', handshake: session.pendingHandshake, ratchetMessage: message });
  return { session: { ...session, ratchet: state }, ciphertext, padded, step, ...withOffset(disclosure, ciphertext, message) };
}

export interface DecryptResult {
  readonly session: SessionState;
  readonly plaintext: Uint8Array;
  readonly step: RatchetStep;
  /** Key escrow only (`disclose`): the message key and AD (SessionDisclosure). */
  readonly disclosure?: SessionDisclosure;
}

/** True when `message` is a handshake that this session did not come from: it needs `acceptInitialMessage`. */
export function startsNewSession(session: SessionState | null, message: ParsedSessionMessage): boolean {
  if (message.kind !== 'prekey') return false;
  return session === null || session.handshakeBaseKey !== toBase64Url(message.handshake.ephemeralKey);
}

/** Decrypts a message of an existing session (a ratchet message, or a repeat of the handshake that made it). */
export function decryptMessage(session: SessionState, bytes: Uint8Array, options: { disclose?: boolean } = {}): DecryptResult {
  const parsed = parseSessionMessage(bytes);
  if (startsNewSession(session, parsed)) {
    throw new CryptoError('INVALID_STATE', 'message opens a new session: accept it as an initial message');
  }
  if (parsed.kind === 'prekey' && !bytesEqual(parsed.handshake.identityKey, session.ratchet.remoteIdentityKey)) {
    // A repeat of our session's handshake must name the same identity: the header is
    // not authenticated by the ratchet message, so a relabelled repeat would otherwise
    // decrypt (and a relay could fake identity changes at will).
    throw new CryptoError('INVALID_MESSAGE', 'repeated handshake names a different identity key');
  }
  const { state, plaintext, step, disclosure } = ratchetDecrypt(session.ratchet, parsed.ratchetMessage, options);
  // A verified message from the peer proves it has our session: stop resending the handshake.
  return {
    session: { ...session, ratchet: state, pendingHandshake: null },
    plaintext: unpad(plaintext),
    step,
    ...withOffset(disclosure, bytes, parsed.ratchetMessage),
  };
}

export interface AcceptResult extends DecryptResult {
  readonly handshake: InitialHandshake;
}

/**
 * Bob opens a session from a prekey message. On success the caller deletes the
 * one-time prekeys named in `handshake` (X3DH §3.4: "Bob deletes any one-time
 * prekey private key that was used").
 */
export function acceptInitialMessage(
  identity: IdentityKeyPair,
  bytes: Uint8Array,
  prekeys: PreKeyLookup,
  options: { disclose?: boolean } = {},
): AcceptResult {
  const parsed = parseSessionMessage(bytes);
  if (parsed.kind !== 'prekey') throw new CryptoError('INVALID_MESSAGE', 'not an initial (prekey) message');
  const { ratchetKey } = decodeRatchetHeader(parsed.ratchetMessage);
  const secrets = respondToHandshake(identity, parsed.handshake, prekeys);
  const remoteIdentity = parsed.handshake.identityKey;
  // A first chain keyed by EK_A is from a session stored before Alice had a
  // fresh first ratchet key (handshake.ts); a fresh key equals EK_A only by a
  // 2^-252 chance. Either way the AEAD check decides whether the message opens.
  const ratchet = bytesEqual(ratchetKey, parsed.handshake.ephemeralKey)
    ? responderRatchetOnChain(secrets, identity.publicKey, remoteIdentity, ratchetKey, secrets.legacyFirstChainKey)
    : initResponderRatchet(secrets, identity.publicKey, remoteIdentity, secrets.signedPreKey.keyPair, ratchetKey);
  const { state, plaintext, step, disclosure } = ratchetDecrypt(ratchet, parsed.ratchetMessage, options);
  return {
    session: { ratchet: state, pendingHandshake: null, handshakeBaseKey: toBase64Url(parsed.handshake.ephemeralKey) },
    plaintext: unpad(plaintext),
    step,
    handshake: parsed.handshake,
    ...withOffset(disclosure, bytes, parsed.ratchetMessage),
  };
}

// --- Storage form ---

/** Byte fields in form F (ratchet-state.ts); `handshakeBaseKey` is base64url in memory too (an identifier) and stays so. */
export interface SerializedSession<F extends ByteForm = 'base64url'> {
  v: number;
  ratchet: SerializedRatchetState<F>;
  /** The pending handshake as a framed prekey header, or null. */
  pendingHandshake: StoredBytes<F> | null;
  handshakeBaseKey: string | null;
}

/**
 * The pending handshake (1.2 KB with its KEM ciphertext) is stored and loaded
 * with the session on every message until the first reply, and never changes:
 * its encoded form is memoised both ways. Handshake objects are immutable and
 * hold only public values (IK_A, EK_A, prekey ids, the KEM ciphertext).
 */
const encodedHandshakes = new WeakMap<InitialHandshake, string>();
/** The same, as bytes (stores copy what they are given, so one array can be handed out each time). */
const framedHandshakes = new WeakMap<InitialHandshake, Uint8Array>();
const decodedHandshakes = new Map<string, InitialHandshake>();
const DECODED_HANDSHAKE_CACHE_SIZE = 64;

function rememberDecoded(encoded: string, handshake: InitialHandshake): void {
  if (decodedHandshakes.size >= DECODED_HANDSHAKE_CACHE_SIZE) decodedHandshakes.delete(decodedHandshakes.keys().next().value!);
  decodedHandshakes.set(encoded, handshake);
}

function framePendingHandshake(handshake: InitialHandshake): Uint8Array {
  let framed = framedHandshakes.get(handshake);
  if (framed === undefined) {
    framed = encodeSessionMessage({ kind: 'prekey', handshake, ratchetMessage: new Uint8Array(0) });
    framedHandshakes.set(handshake, framed);
  }
  return framed;
}

function encodePendingHandshake(handshake: InitialHandshake): string {
  let encoded = encodedHandshakes.get(handshake);
  if (encoded === undefined) {
    encoded = toBase64Url(encodeSessionMessage({ kind: 'prekey', handshake, ratchetMessage: new Uint8Array(0) }));
    encodedHandshakes.set(handshake, encoded);
    // The first load after this store (the initiator's next message, or the
    // peer's reply) then finds the handshake without parsing 1.6 KB of base64.
    rememberDecoded(encoded, handshake);
  }
  return encoded;
}

function decodePendingHandshake(encoded: unknown): InitialHandshake {
  if (encoded instanceof Uint8Array) {
    // Stored as bytes: parsing the frame is the whole cost (no base64 to decode), so nothing is cached.
    const parsed = parseSessionMessage(encoded);
    if (parsed.kind !== 'prekey' || parsed.ratchetMessage.length !== 0) {
      throw new CryptoError('INVALID_STATE', 'stored session: pendingHandshake malformed');
    }
    framedHandshakes.set(parsed.handshake, encoded);
    return parsed.handshake;
  }
  if (typeof encoded === 'string') {
    const cached = decodedHandshakes.get(encoded);
    if (cached) return cached;
  }
  const parsed = parseSessionMessage(fromBase64Url(encoded, 'pendingHandshake'));
  if (parsed.kind !== 'prekey' || parsed.ratchetMessage.length !== 0) {
    throw new CryptoError('INVALID_STATE', 'stored session: pendingHandshake malformed');
  }
  rememberDecoded(encoded as string, parsed.handshake);
  encodedHandshakes.set(parsed.handshake, encoded as string);
  return parsed.handshake;
}

export function serializeSession(session: SessionState): SerializedSession;
export function serializeSession<F extends ByteForm>(session: SessionState, form: F): SerializedSession<F>;
export function serializeSession(session: SessionState, form: ByteForm = 'base64url'): SerializedSession<ByteForm> {
  const pending = session.pendingHandshake;
  return {
    v: PROTOCOL_VERSION,
    ratchet: serializeRatchetState(session.ratchet, form),
    pendingHandshake: pending === null ? null : form === 'bytes' ? framePendingHandshake(pending) : encodePendingHandshake(pending),
    handshakeBaseKey: session.handshakeBaseKey,
  };
}

export function deserializeSession(json: unknown): SessionState {
  if (typeof json !== 'object' || json === null) throw new CryptoError('INVALID_STATE', 'stored session: not an object');
  const s = json as Partial<Record<keyof SerializedSession, unknown>>;
  if (s.v !== PROTOCOL_VERSION) {
    throw new CryptoError('UNSUPPORTED_VERSION', `stored session version ${String(s.v)} is not ${PROTOCOL_VERSION}`);
  }
  const pendingHandshake = s.pendingHandshake === null ? null : decodePendingHandshake(s.pendingHandshake);
  if (s.handshakeBaseKey !== null) fromBase64Url(s.handshakeBaseKey, 'handshakeBaseKey', X25519_KEY_BYTES);
  return {
    ratchet: deserializeRatchetState(s.ratchet),
    pendingHandshake,
    handshakeBaseKey: (s.handshakeBaseKey as string | null) ?? null,
  };
}

/** Which handshake made the session, for display ("post-quantum: PQXDH"). */
export function sessionHandshakeKind(session: SessionState): 'pqxdh' | 'x3dh' {
  return session.ratchet.handshake;
}
