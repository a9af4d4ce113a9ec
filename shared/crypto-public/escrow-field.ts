/**
 * The key-escrow access field's byte layout (@envelope/protocol escrow.ts
 * describes it and the API around it). Encoding only, no keys: the client's
 * crypto (@envelope/crypto escrow.ts) builds fields with it, and the server's
 * one exception (server/lawful-access) parses them to open what they seal.
 */
import { concatBytes, readUint32BE, uint32BE } from './bytes.js';
import { CryptoError } from './errors.js';

export const ACCESS_FIELD_VERSION = 1;
/** version, width, conversation (8), chain index (4), ratchet key prefix (8). */
export const ACCESS_FIELD_HEADER_BYTES = 2 + 8 + 4 + 8;
export const CONVERSATION_TAG_BYTES = 8;
export const RATCHET_KEY_PREFIX_BYTES = 8;
/** crypto_box_seal's overhead (an ephemeral public key and a Poly1305 tag). */
export const ESCROW_SEAL_OVERHEAD = 48;
/**
 * The largest access field: the header, a sealed message key with an associated
 * data of at most 256 bytes (today: two 33-byte encoded identity keys and a
 * 41-byte ratchet header, 107 bytes), the offset, and a 64-bit checkword.
 * Generous, and small beside an envelope: the relay refuses anything larger.
 */
export const MAX_ACCESS_FIELD_BYTES = ACCESS_FIELD_HEADER_BYTES + ESCROW_SEAL_OVERHEAD + 32 + 2 + 256 + 4 + 8;
/** The smallest sealed part: a seal around a message key, an empty AD and the offset. */
export const MIN_ESCROW_SEALED_BYTES = ESCROW_SEAL_OVERHEAD + 32 + 2 + 4;

/** The checkword widths in bytes a field may carry (policy.ts ESCROW_CHECK_BITS). */
const CHECK_BYTES = new Set([2, 8]);

export interface AccessField {
  readonly version: typeof ACCESS_FIELD_VERSION;
  readonly checkBytes: 2 | 8;
  readonly conversation: Uint8Array;
  readonly chainIndex: number;
  readonly ratchetKeyPrefix: Uint8Array;
  /** The crypto_box_seal output (see the layout above). */
  readonly sealed: Uint8Array;
  readonly checkword: Uint8Array;
}

/** The bytes the checkword covers besides the message key: everything before the checkword. */
export function accessFieldCheckedPart(field: Omit<AccessField, 'checkword'>): Uint8Array {
  return concatBytes(
    Uint8Array.of(field.version, field.checkBytes),
    field.conversation,
    uint32BE(field.chainIndex),
    field.ratchetKeyPrefix,
    field.sealed,
  );
}

export function encodeAccessField(field: AccessField): Uint8Array {
  return concatBytes(accessFieldCheckedPart(field), field.checkword);
}

/** Parses an access field's layout (no crypto); a malformed one is CryptoError INVALID_MESSAGE. */
export function decodeAccessField(bytes: Uint8Array): AccessField {
  const malformed = (why: string) => new CryptoError('INVALID_MESSAGE', `access field: ${why}`);
  if (bytes.length < ACCESS_FIELD_HEADER_BYTES + MIN_ESCROW_SEALED_BYTES + 2) throw malformed('too short');
  if (bytes.length > MAX_ACCESS_FIELD_BYTES) throw malformed('too long');
  if (bytes[0] !== ACCESS_FIELD_VERSION) throw malformed(`version ${bytes[0]} is not ${ACCESS_FIELD_VERSION}`);
  const checkBytes = bytes[1]!;
  if (!CHECK_BYTES.has(checkBytes)) throw malformed(`a checkword of ${checkBytes} bytes is not 2 or 8`);
  const sealedEnd = bytes.length - checkBytes;
  if (sealedEnd - ACCESS_FIELD_HEADER_BYTES < MIN_ESCROW_SEALED_BYTES) throw malformed('too short');
  return {
    version: ACCESS_FIELD_VERSION,
    checkBytes: checkBytes as 2 | 8,
    conversation: bytes.slice(2, 10),
    chainIndex: readUint32BE(bytes, 10),
    ratchetKeyPrefix: bytes.slice(14, 22),
    sealed: bytes.slice(ACCESS_FIELD_HEADER_BYTES, sealedEnd),
    checkword: bytes.slice(sealedEnd),
  };
}

/** What the escrow seals (the layout's "sealed" part), before sealing. */
export interface EscrowSealedContent {
  readonly messageKey: Uint8Array;
  /** The AEAD's whole associated data: the session's AD ‖ the ratchet header. */
  readonly associatedData: Uint8Array;
  /** Where the AEAD ciphertext starts in the session message (the envelope body). */
  readonly ciphertextOffset: number;
}

export function encodeEscrowSealedContent(content: EscrowSealedContent): Uint8Array {
  const ad = content.associatedData;
  if (content.messageKey.length !== 32) throw new CryptoError('INVALID_KEY', 'a message key is 32 bytes');
  if (ad.length > 256) throw new CryptoError('INVALID_MESSAGE', 'associated data longer than an access field carries');
  return concatBytes(content.messageKey, Uint8Array.of(ad.length >> 8, ad.length & 0xff), ad, uint32BE(content.ciphertextOffset));
}

export function decodeEscrowSealedContent(bytes: Uint8Array): EscrowSealedContent {
  if (bytes.length < 32 + 2 + 4) throw new CryptoError('INVALID_MESSAGE', 'escrowed content too short');
  const adLength = (bytes[32]! << 8) | bytes[33]!;
  if (bytes.length !== 32 + 2 + adLength + 4) throw new CryptoError('INVALID_MESSAGE', 'escrowed content has the wrong length');
  return {
    messageKey: bytes.slice(0, 32),
    associatedData: bytes.slice(34, 34 + adLength),
    ciphertextOffset: readUint32BE(bytes, 34 + adLength),
  };
}

