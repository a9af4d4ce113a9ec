/**
 * Key escrow's access field (@envelope/protocol escrow.ts and crypto-public escrow-field.ts for the layout;
 * policy.ts `key-escrow`): Clipper's LEAF on the Double Ratchet.
 *
 * The sender, having encrypted a message under key-escrow (the ratchet's
 * MessageKeyDisclosure, ratchet.ts: the departure from §3 that escrow forces),
 * seals the message key, the AEAD's associated data and where the AEAD
 * ciphertext starts to the escrow public key (crypto_box_seal), and adds a
 * checkword. The escrow's holders, with enough shares, open the seal and then the
 * stored body with libsodium alone (server/lawful-access/escrow-open.ts).
 *
 * The checkword, as Clipper's LEAF checksum: the first checkBits bits of
 * HMAC-SHA256(ESCROW_FAMILY_KEY, version ‖ width ‖ conversation ‖ message
 * number ‖ sealed ‖ message key). The recipient, having decrypted the message
 * and so knowing its key, recomputes it and refuses a message whose field does
 * not pass: compliant software accepts nothing the escrow could not open. It
 * also checks that the field names this message (conversation, chain index,
 * ratchet key), so a field copied from another message does not pass.
 * (ESCROW.md's plan has the HMAC over conversation ‖ number ‖ sealed ‖ key; the
 * version and width bytes are added so a field's width cannot be narrowed.)
 * Since the family key is public, the checkword tells anyone who sees the field
 * checkBits bits about the message key: 16 or 64 of its 256, leaving at least
 * 192 bits against a search, which keeps the message safe (Clipper's checksum
 * had the same property under its family key).
 *
 * What the checkword cannot do, and the demonstration shows (forgeAccessField):
 * Clipper's family key lived inside a tamper-resistant chip, so Blaze (1994) had
 * to find a passing field by trial, asking the chip: 2^16 tries on average for
 * its 16-bit checksum. In software the family key ships in every app, so a rogue
 * app could compute a passing field outright. The demonstration searches by
 * trial anyway, treating the compliant check as a secret oracle: 16 bits falls
 * to trial in well under a second here; 64 bits does not. And a rogue can always
 * encrypt inside the message: escrow binds only compliant clients.
 */
import {
  accessFieldCheckedPart,
  assertBytes,
  concatBytes,
  CryptoError,
  decodeAccessField,
  encodeAccessField,
  encodeEscrowSealedContent,
  hmacSha256,
  readUint32BE,
  utf8Encode,
  wipe,
  ACCESS_FIELD_VERSION,
  CONVERSATION_TAG_BYTES,
  ESCROW_SEAL_OVERHEAD,
  RATCHET_KEY_PREFIX_BYTES,
  type AccessField,
} from '@envelope/crypto-public';
import { sodium } from './sodium.js';
import type { SessionDisclosure } from './session.js';

export type EscrowCheckBits = 16 | 64;

/**
 * The family key every compliant client carries (Clipper's family key KF was
 * in every chip). Not a secret in any real sense: it is in this source. Derived
 * from a label so it is one fixed value, not a number someone typed.
 */
const FAMILY_KEY_LABEL = 'Envelope key escrow family key, version 1';
let familyKey: Uint8Array | null = null;
function escrowFamilyKey(): Uint8Array {
  return (familyKey ??= sodium().crypto_hash_sha256(utf8Encode(FAMILY_KEY_LABEL)));
}

/** The conversation tag: the first 8 bytes of SHA-256 of the session's associated data. */
export function conversationTag(sessionAssociatedData: Uint8Array): Uint8Array {
  return sodium().crypto_hash_sha256(sessionAssociatedData).slice(0, CONVERSATION_TAG_BYTES);
}

/** version(1) ‖ ratchet key(32) ‖ PN(4) ‖ N(4): the chain index and the ratchet key's first bytes (ratchet.ts encodeHeader). */
function headerParts(header: Uint8Array): { chainIndex: number; ratchetKeyPrefix: Uint8Array } {
  return { chainIndex: readUint32BE(header, 1 + 32 + 4), ratchetKeyPrefix: header.slice(1, 1 + RATCHET_KEY_PREFIX_BYTES) };
}

function checkword(field: Omit<AccessField, 'checkword'>, messageKey: Uint8Array): Uint8Array {
  return hmacSha256(escrowFamilyKey(), concatBytes(accessFieldCheckedPart(field), messageKey)).slice(0, field.checkBytes);
}

/** The field's parts before the checkword, for this message, with `sealed`. */
function unchecked(disclosure: SessionDisclosure, checkBits: EscrowCheckBits, sealed: Uint8Array): Omit<AccessField, 'checkword'> {
  return {
    version: ACCESS_FIELD_VERSION,
    checkBytes: checkBits === 16 ? 2 : 8,
    conversation: conversationTag(disclosure.sessionAssociatedData),
    ...headerParts(disclosure.header),
    sealed,
  };
}

/** The escrow seal's plaintext for a disclosed message: key ‖ AD (length-prefixed) ‖ ciphertext offset. */
function sealedContent(disclosure: SessionDisclosure): Uint8Array {
  return encodeEscrowSealedContent({
    messageKey: disclosure.messageKey,
    associatedData: concatBytes(disclosure.sessionAssociatedData, disclosure.header),
    ciphertextOffset: disclosure.ciphertextOffset,
  });
}

/** A compliant client's access field for the message `disclosure` describes (encoded bytes). */
export function buildAccessField(escrowPublicKey: Uint8Array, checkBits: EscrowCheckBits, disclosure: SessionDisclosure): Uint8Array {
  assertBytes(escrowPublicKey, 'escrowPublicKey', 32);
  const content = sealedContent(disclosure);
  const sealed = sodium().crypto_box_seal(content, escrowPublicKey);
  wipe(content);
  const field = unchecked(disclosure, checkBits, sealed);
  return encodeAccessField({ ...field, checkword: checkword(field, disclosure.messageKey) });
}

export type AccessFieldVerdict = { readonly ok: true; readonly checkBits: EscrowCheckBits } | { readonly ok: false; readonly reason: string };

/**
 * The recipient's check (compliant software): the field parses, names this
 * message, is at least `minimumCheckBits` wide, and its checkword is right for
 * this message's key. Never throws on a bad field: the verdict says why.
 */
export function checkAccessField(field: Uint8Array, disclosure: SessionDisclosure, minimumCheckBits: EscrowCheckBits = 16): AccessFieldVerdict {
  return compliantCheck(disclosure, minimumCheckBits)(field);
}

/**
 * checkAccessField for one message, with what does not depend on the field
 * worked out once: the forgery asks it tens of thousands of times.
 */
export function compliantCheck(disclosure: SessionDisclosure, minimumCheckBits: EscrowCheckBits = 16): (field: Uint8Array) => AccessFieldVerdict {
  const s = sodium();
  const conversation = conversationTag(disclosure.sessionAssociatedData);
  const { chainIndex, ratchetKeyPrefix } = headerParts(disclosure.header);
  return (field) => {
    let parsed: AccessField;
    try {
      parsed = decodeAccessField(field);
    } catch (error) {
      return { ok: false, reason: error instanceof CryptoError ? error.message : 'the access field is malformed' };
    }
    const checkBits: EscrowCheckBits = parsed.checkBytes === 2 ? 16 : 64;
    if (checkBits < minimumCheckBits) return { ok: false, reason: `its checkword has ${checkBits} bits; this server asks for ${minimumCheckBits}` };
    // Public values (the server sees them too): an ordinary comparison.
    if (!sameBytes(conversation, parsed.conversation) || chainIndex !== parsed.chainIndex || !sameBytes(ratchetKeyPrefix, parsed.ratchetKeyPrefix)) {
      return { ok: false, reason: 'the access field names another message' };
    }
    const expected = { ...parsed, conversation, chainIndex, ratchetKeyPrefix };
    if (!s.memcmp(checkword(expected, disclosure.messageKey), parsed.checkword)) return { ok: false, reason: 'the checkword does not match' };
    return { ok: true, checkBits };
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export interface ForgeryResult {
  /** A field that passes the compliant check and opens to nothing; null if the cap was reached first. */
  readonly field: Uint8Array | null;
  readonly tries: number;
  readonly elapsedMs: number;
  readonly triesPerSecond: number;
}

const FRESH_RANDOM_EVERY = 4096;

/** The sealed part's length for a real field of this message (a forgery has the same, so its size gives nothing away). */
function sealedLength(disclosure: SessionDisclosure): number {
  return ESCROW_SEAL_OVERHEAD + 32 + 2 + disclosure.sessionAssociatedData.length + disclosure.header.length + 4;
}

/**
 * Blaze's attack (1994), as the rogue-client demonstration runs it: random
 * `sealed` bytes (which open to nothing) under a fixed random checkword, tried
 * against the compliant check (checkAccessField, as the oracle a chip was)
 * until one passes, or `maxTries`. About 2^checkBits tries on average.
 * `now` is injectable for the web app's timer; the tries do not depend on it.
 */
export function forgeAccessField(
  disclosure: SessionDisclosure,
  checkBits: EscrowCheckBits,
  maxTries: number,
  now: () => number = () => performance.now(),
): ForgeryResult {
  const s = sodium();
  const length = sealedLength(disclosure);
  const fixed = unchecked(disclosure, checkBits, new Uint8Array(length));
  const headerBytes = accessFieldCheckedPart(fixed).subarray(0, accessFieldCheckedPart(fixed).length - length);
  const guessedCheckword = s.randombytes_buf(fixed.checkBytes);
  const candidate = new Uint8Array(headerBytes.length + length + fixed.checkBytes);
  candidate.set(headerBytes, 0);
  candidate.set(guessedCheckword, headerBytes.length + length);
  const oracle = compliantCheck(disclosure, checkBits);
  const sealed = candidate.subarray(headerBytes.length, headerBytes.length + length);
  const started = now();
  let tries = 0;
  let found: Uint8Array | null = null;
  while (tries < maxTries) {
    // Fresh random bytes every FRESH_RANDOM_EVERY tries, the try's number in the first four between
    // (a call for random bytes cost over a millisecond in Node's libsodium; a counter makes each try
    // a new input to the check all the same, and random bytes open to nothing either way).
    if (tries % FRESH_RANDOM_EVERY === 0) sealed.set(s.randombytes_buf(length));
    new DataView(sealed.buffer, sealed.byteOffset, 4).setUint32(0, tries);
    tries++;
    if (oracle(candidate).ok) {
      found = candidate.slice();
      break;
    }
  }
  const elapsedMs = Math.max(now() - started, 0.001);
  return { field: found, tries, elapsedMs, triesPerSecond: Math.round((tries * 1000) / elapsedMs) };
}

/** Wipes a disclosure's message key (call once the field is built or checked). */
export function wipeDisclosure(disclosure: SessionDisclosure | undefined): void {
  if (disclosure) wipe(disclosure.messageKey);
}
