/**
 * Sender certificates for sealed sender (sealed-sender.ts): the server signs,
 * for an authenticated device, a short-lived statement binding a username and
 * device number to the device's identity key. The sender puts it inside the
 * sealed envelope; the recipient checks it. Kept apart from sealed-sender.ts
 * because the server issues certificates and must not import what opens
 * sealed envelopes (server/boundaries.test.ts).
 *
 *   certificate = version(1) ‖ expiresAt(8) ‖ deviceId(4) ‖ identityKey(32) ‖ len(1) ‖ sender ‖ signature(64)
 */
import { assertBytes, concatBytes, readUint32BE, readUint64BE, uint32BE, uint64BE, utf8Decode, utf8Encode } from './bytes.js';
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SECRET_KEY_BYTES, ED25519_SIGNATURE_BYTES, PROTOCOL_VERSION } from './constants.js';
import { CryptoError } from './errors.js';
import { verifySignature } from './signatures.js';
import { sodium } from './sodium.js';

/**
 * The longest sender name: the protocol's longest username (32 ASCII
 * characters, shared/protocol/limits.ts MAX_USERNAME_CHARS; a test keeps the
 * two equal). Sealed envelopes are padded as if every certificate were this
 * long (sealed-sender.ts), so a larger bound would cost every sealed message.
 */
export const MAX_CERTIFICATE_SENDER_BYTES = 32;
/** version, expiresAt, deviceId, identity key, name length: the fixed part before the name. */
const CERTIFICATE_FIXED_BYTES = 1 + 8 + 4 + ED25519_PUBLIC_KEY_BYTES + 1;
/** The longest encoded certificate (142 bytes): the fixed part, the longest name, the signature. */
export const MAX_ENCODED_CERTIFICATE_BYTES = CERTIFICATE_FIXED_BYTES + MAX_CERTIFICATE_SENDER_BYTES + ED25519_SIGNATURE_BYTES;

export interface SenderCertificate {
  readonly sender: string;
  readonly deviceId: number;
  readonly identityKey: Uint8Array;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
  /** The server's Ed25519 signature over the fields above. */
  readonly signature: Uint8Array;
}

function certificateBody(fields: Omit<SenderCertificate, 'signature'>): Uint8Array {
  const sender = utf8Encode(fields.sender);
  if (sender.length === 0 || sender.length > MAX_CERTIFICATE_SENDER_BYTES) {
    throw new CryptoError('INVALID_ARGUMENT', `certificate sender must be 1..${MAX_CERTIFICATE_SENDER_BYTES} bytes`);
  }
  assertBytes(fields.identityKey, 'identityKey', ED25519_PUBLIC_KEY_BYTES);
  return concatBytes(
    Uint8Array.of(PROTOCOL_VERSION),
    uint64BE(fields.expiresAt),
    uint32BE(fields.deviceId),
    fields.identityKey,
    Uint8Array.of(sender.length),
    sender,
  );
}

/** Server side: sign a certificate for an authenticated device. */
export function issueSenderCertificate(
  serverSigningKey: Uint8Array,
  fields: Omit<SenderCertificate, 'signature'>,
): SenderCertificate {
  assertBytes(serverSigningKey, 'serverSigningKey', ED25519_SECRET_KEY_BYTES);
  return { ...fields, signature: sodium().crypto_sign_detached(certificateBody(fields), serverSigningKey) };
}

export function encodeSenderCertificate(cert: SenderCertificate): Uint8Array {
  return concatBytes(certificateBody(cert), cert.signature);
}

export function decodeSenderCertificate(bytes: Uint8Array): SenderCertificate {
  const fixed = CERTIFICATE_FIXED_BYTES;
  if (bytes.length < fixed + ED25519_SIGNATURE_BYTES) throw new CryptoError('CERTIFICATE_INVALID', 'sender certificate truncated');
  if (bytes[0] !== PROTOCOL_VERSION) throw new CryptoError('UNSUPPORTED_VERSION', 'sender certificate version unknown');
  const senderLength = bytes[fixed - 1]!;
  if (senderLength === 0 || senderLength > MAX_CERTIFICATE_SENDER_BYTES) throw new CryptoError('CERTIFICATE_INVALID', 'sender certificate name length out of bounds');
  if (bytes.length !== fixed + senderLength + ED25519_SIGNATURE_BYTES) {
    throw new CryptoError('CERTIFICATE_INVALID', 'sender certificate length mismatch');
  }
  return {
    expiresAt: readUint64BE(bytes, 1),
    deviceId: readUint32BE(bytes, 9),
    identityKey: bytes.slice(13, 13 + ED25519_PUBLIC_KEY_BYTES),
    sender: utf8Decode(bytes.subarray(fixed, fixed + senderLength)),
    signature: bytes.slice(fixed + senderLength),
  };
}

/** Recipient side: the certificate is the server's, unexpired. */
export function verifySenderCertificate(cert: SenderCertificate, serverPublicKey: Uint8Array, now: number): void {
  if (!verifySignature(serverPublicKey, certificateBody(cert), cert.signature)) {
    throw new CryptoError('CERTIFICATE_INVALID', 'sender certificate is not signed by this server');
  }
  if (now > cert.expiresAt) throw new CryptoError('CERTIFICATE_EXPIRED', 'sender certificate has expired');
}
