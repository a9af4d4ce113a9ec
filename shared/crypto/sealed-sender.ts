/**
 * Sealed sender: an outer envelope, encrypted to the recipient's identity key,
 * that hides who sent a message from the server carrying it. The server then
 * learns only the recipient. Modelled on Signal's sealed sender (v1):
 *
 *   E = fresh X25519 key pair
 *   layer 1: key from DH(E, IK_B)     encrypts IK_A          (who is writing)
 *   layer 2: key from DH(IK_A, IK_B)  encrypts inner         (only IK_A's owner can make this)
 *
 *   sealed = version(1) ‖ E_pub(32) ‖ layer1 (32 + 16) ‖ layer2 (inner + 16)
 *   inner  = len(4) ‖ certificate ‖ content ‖ 0x80 ‖ 0x00… up to sealedInnerLength(bucket)
 *
 * The sender certificate, signed by the server and short-lived, binds a
 * username and device to IK_A; the recipient checks the signature, the expiry,
 * and that the certificate names the same IK_A that layer 2 proved. So a sealed
 * message cannot claim another sender, and the server, which issued the
 * certificate earlier, cannot tell which certificate is inside.
 *
 * Padding (where we go further than Signal). Signal pads only the message's
 * plaintext (to 80-byte blocks, libsignal-service's PushTransportDetails); its
 * sealed layers are unpadded, so the server can still tell a first contact (a
 * PreKeySignalMessage carrying a post-quantum ciphertext) from the rest by size,
 * and the certificate's length varies with the sender's name. Here the inner
 * layer is padded, inside the encryption, to a size that depends only on the
 * plaintext's padding bucket (@envelope/crypto-public padding.ts): room for the longest certificate and
 * the largest session message, a PQXDH first message. Measured before: a
 * sealed first contact of a short text was an envelope body of 1,565-1,595
 * bytes, an ordinary one 400-430 (2- and 32-letter names); now both are 1,596
 * (128-byte bucket; 1,724 in the 256-byte bucket that a short text fills once
 * it carries the sender's profile key). The cost is bandwidth: every sealed message carries the
 * ~1.2 KB a first contact needs (4x an ordinary short message, 3.5% at the
 * 32 KiB bucket). The server learns
 * what it learns of any message, the plaintext's bucket, and no longer whether
 * the sealed message starts a conversation or how long the sender's name is.
 */
import { assertBytes, bytesEqual, concatBytes, readUint32BE, uint32BE, utf8Encode, CryptoError, hkdf } from '@envelope/crypto-public';
import { sodium } from './sodium.js';
import {
  AEAD_KEY_BYTES,
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  ED25519_PUBLIC_KEY_BYTES,
  SEALED_SENDER_EPHEMERAL_INFO,
  SEALED_SENDER_STATIC_INFO,
  SEALED_SENDER_VERSION,
  X25519_KEY_BYTES,
} from '@envelope/crypto-public';
import { dh, generateDhKeyPair, identityPublicKeyToX25519, type IdentityKeyPair } from './identity.js';
import { PADDING_BUCKETS, padTo, stripPadding } from '@envelope/crypto-public';
import {
  decodeSenderCertificate,
  encodeSenderCertificate,
  MAX_ENCODED_CERTIFICATE_BYTES,
  verifySenderCertificate,
  type SenderCertificate,
} from '@envelope/crypto-public';
import { MAX_SESSION_MESSAGE_OVERHEAD } from './session.js';

export * from '@envelope/crypto-public';

const EPHEMERAL_INFO = utf8Encode(SEALED_SENDER_EPHEMERAL_INFO);
const STATIC_INFO = utf8Encode(SEALED_SENDER_STATIC_INFO);

const LAYER1_BYTES = ED25519_PUBLIC_KEY_BYTES + AEAD_TAG_BYTES;
/** Everything outside the inner layer: version, E_pub, layer 1, layer 2's tag. */
const SEALED_FIXED_BYTES = 1 + X25519_KEY_BYTES + LAYER1_BYTES + AEAD_TAG_BYTES;
const CERTIFICATE_LENGTH_BYTES = 4;

/**
 * The inner layer's size for a session message around a padded plaintext of
 * `plaintextBucket` bytes: the longest certificate, the largest session
 * message of that bucket, the padding marker. It depends on nothing else.
 */
export function sealedInnerLength(plaintextBucket: number): number {
  if (!PADDING_BUCKETS.includes(plaintextBucket)) throw new CryptoError('INVALID_ARGUMENT', `${plaintextBucket} is not a padding bucket`);
  return CERTIFICATE_LENGTH_BYTES + MAX_ENCODED_CERTIFICATE_BYTES + MAX_SESSION_MESSAGE_OVERHEAD + plaintextBucket + 1;
}

/** The size of every sealed message (sealSender's output) whose plaintext was padded to `plaintextBucket`. */
export function sealedLength(plaintextBucket: number): number {
  return SEALED_FIXED_BYTES + sealedInnerLength(plaintextBucket);
}

/** Where the bytes of a sealed message go (for the X-ray): all but `keys` are inside layer 2's encryption. */
export interface SealedLayout {
  /** Version, E_pub, the sender's identity key encrypted (layer 1), layer 2's tag. */
  readonly keys: number;
  /** The certificate with its length field. */
  readonly certificate: number;
  readonly content: number;
  /** The padding marker and zeros. */
  readonly padding: number;
  readonly total: number;
}

export function sealedLayout(plaintextBucket: number, certificateBytes: number, contentBytes: number): SealedLayout {
  const certificate = CERTIFICATE_LENGTH_BYTES + certificateBytes;
  const padding = sealedInnerLength(plaintextBucket) - certificate - contentBytes;
  if (padding < 1) throw new CryptoError('INVALID_ARGUMENT', `content of ${contentBytes} bytes does not fit the ${plaintextBucket}-byte bucket`);
  return { keys: SEALED_FIXED_BYTES, certificate, content: contentBytes, padding, total: sealedLength(plaintextBucket) };
}

/** The sizes a sealed message may have, one per padding bucket; any other is INVALID_PADDING. */
const SEALED_LENGTHS: ReadonlyMap<number, number> = new Map(PADDING_BUCKETS.map((bucket) => [sealedLength(bucket), bucket]));

function layerKey(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, extra = 0) {
  const out = hkdf(ikm, salt, info, extra + AEAD_KEY_BYTES + AEAD_NONCE_BYTES);
  return {
    chainKey: out.subarray(0, extra),
    key: out.subarray(extra, extra + AEAD_KEY_BYTES),
    nonce: out.subarray(extra + AEAD_KEY_BYTES),
  };
}

/**
 * Seals `content`, a session message whose plaintext was padded to
 * `plaintextBucket` bytes (EncryptResult.padded.length), from `sender` to the
 * holder of `recipientIdentityKey`. The result is sealedLength(plaintextBucket)
 * bytes whatever the content's kind and the certificate's name.
 */
export function sealSender(
  sender: IdentityKeyPair,
  recipientIdentityKey: Uint8Array,
  certificate: SenderCertificate,
  content: Uint8Array,
  plaintextBucket: number,
): Uint8Array {
  assertBytes(content, 'content');
  if (!bytesEqual(certificate.identityKey, sender.publicKey)) {
    throw new CryptoError('INVALID_ARGUMENT', 'certificate does not belong to the sender identity');
  }
  const innerLength = sealedInnerLength(plaintextBucket);
  if (content.length > plaintextBucket + MAX_SESSION_MESSAGE_OVERHEAD) {
    throw new CryptoError('INVALID_ARGUMENT', `content of ${content.length} bytes is larger than any session message of the ${plaintextBucket}-byte bucket`);
  }
  const cert = encodeSenderCertificate(certificate);
  return sealInnerLayer(sender, recipientIdentityKey, padTo(concatBytes(uint32BE(cert.length), cert, content), innerLength));
}

/**
 * The two layers around an inner layer exactly as given. sealSender builds
 * and pads the inner layer; tests call this directly to make a sealed message
 * whose inner layer is malformed, as only a sender (who holds the keys) could.
 */
export function sealInnerLayer(sender: IdentityKeyPair, recipientIdentityKey: Uint8Array, inner: Uint8Array): Uint8Array {
  const s = sodium();
  const recipientDh = identityPublicKeyToX25519(recipientIdentityKey);
  const ephemeral = generateDhKeyPair();
  const salt1 = concatBytes(ephemeral.publicKey, recipientDh);
  const l1 = layerKey(dh(ephemeral.privateKey, recipientDh), salt1, EPHEMERAL_INFO, 32);
  const layer1 = s.crypto_aead_xchacha20poly1305_ietf_encrypt(sender.publicKey, salt1, null, l1.nonce, l1.key);
  const l2 = layerKey(dh(sender.dhPrivateKey, recipientDh), concatBytes(l1.chainKey, layer1), STATIC_INFO);
  const layer2 = s.crypto_aead_xchacha20poly1305_ietf_encrypt(inner, concatBytes(ephemeral.publicKey, layer1), null, l2.nonce, l2.key);
  return concatBytes(Uint8Array.of(SEALED_SENDER_VERSION), ephemeral.publicKey, layer1, layer2);
}

export interface UnsealedMessage {
  readonly certificate: SenderCertificate;
  readonly content: Uint8Array;
  /** The plaintext bucket the envelope's size stands for (@envelope/crypto-public padding.ts). */
  readonly plaintextBucket: number;
  /** Padding bytes in the inner layer (marker included): what made it the same size as any other of its bucket. */
  readonly paddingBytes: number;
}

/**
 * Opens a sealed message. Throws CryptoError: UNSUPPORTED_VERSION, DECRYPT_FAILED
 * (not for us, or altered), INVALID_PADDING (a size that is no size class, or an
 * inner layer not padded as sealSender pads), CERTIFICATE_INVALID or _EXPIRED.
 */
export function openSealedSender(
  recipient: IdentityKeyPair,
  sealed: Uint8Array,
  serverPublicKey: Uint8Array,
  now: number,
): UnsealedMessage {
  assertBytes(sealed, 'sealed');
  if (sealed.length < 1) throw new CryptoError('INVALID_MESSAGE', 'sealed message is empty');
  if (sealed[0] !== SEALED_SENDER_VERSION) throw new CryptoError('UNSUPPORTED_VERSION', `sealed message version ${sealed[0]} is not ${SEALED_SENDER_VERSION}`);
  const plaintextBucket = SEALED_LENGTHS.get(sealed.length);
  if (plaintextBucket === undefined) throw new CryptoError('INVALID_PADDING', `a sealed message of ${sealed.length} bytes is not one of the padded sizes`);
  const s = sodium();
  const ephemeralPublic = sealed.subarray(1, 1 + X25519_KEY_BYTES);
  const layer1 = sealed.subarray(1 + X25519_KEY_BYTES, 1 + X25519_KEY_BYTES + LAYER1_BYTES);
  const layer2 = sealed.subarray(1 + X25519_KEY_BYTES + LAYER1_BYTES);
  const salt1 = concatBytes(ephemeralPublic, recipient.dhPublicKey);
  let senderIdentity: Uint8Array;
  let inner: Uint8Array;
  try {
    const l1 = layerKey(dh(recipient.dhPrivateKey, ephemeralPublic), salt1, EPHEMERAL_INFO, 32);
    senderIdentity = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, layer1, salt1, l1.nonce, l1.key);
    const l2 = layerKey(dh(recipient.dhPrivateKey, identityPublicKeyToX25519(senderIdentity)), concatBytes(l1.chainKey, layer1), STATIC_INFO);
    inner = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, layer2, concatBytes(ephemeralPublic, layer1), l2.nonce, l2.key);
  } catch (error) {
    if (error instanceof CryptoError && error.code !== 'INVALID_KEY') throw error;
    throw new CryptoError('DECRYPT_FAILED', 'sealed message failed authentication');
  }
  // Authenticated from here on: whatever is malformed was made so by the sender.
  const unpadded = stripPadding(inner);
  if (unpadded.length < CERTIFICATE_LENGTH_BYTES) throw new CryptoError('INVALID_MESSAGE', 'sealed message inner layer truncated');
  const certLength = readUint32BE(unpadded, 0);
  if (unpadded.length < CERTIFICATE_LENGTH_BYTES + certLength) throw new CryptoError('INVALID_MESSAGE', 'sealed message certificate truncated');
  const content = unpadded.slice(CERTIFICATE_LENGTH_BYTES + certLength);
  if (content.length > plaintextBucket + MAX_SESSION_MESSAGE_OVERHEAD) {
    throw new CryptoError('INVALID_PADDING', 'sealed message padded to a smaller size than its content needs');
  }
  const certificate = decodeSenderCertificate(unpadded.subarray(CERTIFICATE_LENGTH_BYTES, CERTIFICATE_LENGTH_BYTES + certLength));
  verifySenderCertificate(certificate, serverPublicKey, now);
  if (!bytesEqual(certificate.identityKey, senderIdentity)) {
    throw new CryptoError('CERTIFICATE_INVALID', 'certificate names a different identity than the one that sealed the message');
  }
  return { certificate, content, plaintextBucket, paddingBytes: inner.length - unpadded.length };
}
