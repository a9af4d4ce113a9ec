/**
 * Sealed sender: an outer envelope, encrypted to the recipient's identity key,
 * that hides who sent a message from the server carrying it. The server then
 * learns only the recipient. Modelled on Signal's sealed sender (v1):
 *
 *   E = fresh X25519 key pair
 *   layer 1: key from DH(E, IK_B)     encrypts IK_A          (who is writing)
 *   layer 2: key from DH(IK_A, IK_B)  encrypts cert ‖ content (only IK_A's owner can make this)
 *
 * The sender certificate, signed by the server and short-lived, binds a
 * username and device to IK_A; the recipient checks the signature, the expiry,
 * and that the certificate names the same IK_A that layer 2 proved. So a sealed
 * message cannot claim another sender, and the server, which issued the
 * certificate earlier, cannot tell which certificate is inside.
 *
 *   sealed = version(1) ‖ E_pub(32) ‖ layer1 (32 + 16) ‖ layer2
 */
import { assertBytes, bytesEqual, concatBytes, readUint32BE, uint32BE, utf8Encode } from './bytes.js';
import {
  AEAD_KEY_BYTES,
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  ED25519_PUBLIC_KEY_BYTES,
  PROTOCOL_VERSION,
  SEALED_SENDER_EPHEMERAL_INFO,
  SEALED_SENDER_STATIC_INFO,
  X25519_KEY_BYTES,
} from './constants.js';
import { CryptoError } from './errors.js';
import { hkdf } from './hkdf.js';
import { dh, generateDhKeyPair, identityPublicKeyToX25519, type IdentityKeyPair } from './identity.js';
import { decodeSenderCertificate, encodeSenderCertificate, verifySenderCertificate, type SenderCertificate } from './sender-certificate.js';
import { sodium } from './sodium.js';

export * from './sender-certificate.js';

const EPHEMERAL_INFO = utf8Encode(SEALED_SENDER_EPHEMERAL_INFO);
const STATIC_INFO = utf8Encode(SEALED_SENDER_STATIC_INFO);

function layerKey(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, extra = 0) {
  const out = hkdf(ikm, salt, info, extra + AEAD_KEY_BYTES + AEAD_NONCE_BYTES);
  return {
    chainKey: out.subarray(0, extra),
    key: out.subarray(extra, extra + AEAD_KEY_BYTES),
    nonce: out.subarray(extra + AEAD_KEY_BYTES),
  };
}

export function sealSender(
  sender: IdentityKeyPair,
  recipientIdentityKey: Uint8Array,
  certificate: SenderCertificate,
  content: Uint8Array,
): Uint8Array {
  assertBytes(content, 'content');
  if (!bytesEqual(certificate.identityKey, sender.publicKey)) {
    throw new CryptoError('INVALID_ARGUMENT', 'certificate does not belong to the sender identity');
  }
  const s = sodium();
  const recipientDh = identityPublicKeyToX25519(recipientIdentityKey);
  const ephemeral = generateDhKeyPair();
  const salt1 = concatBytes(ephemeral.publicKey, recipientDh);
  const l1 = layerKey(dh(ephemeral.privateKey, recipientDh), salt1, EPHEMERAL_INFO, 32);
  const layer1 = s.crypto_aead_xchacha20poly1305_ietf_encrypt(sender.publicKey, salt1, null, l1.nonce, l1.key);
  const l2 = layerKey(dh(sender.dhPrivateKey, recipientDh), concatBytes(l1.chainKey, layer1), STATIC_INFO);
  const cert = encodeSenderCertificate(certificate);
  const inner = concatBytes(uint32BE(cert.length), cert, content);
  const layer2 = s.crypto_aead_xchacha20poly1305_ietf_encrypt(inner, concatBytes(ephemeral.publicKey, layer1), null, l2.nonce, l2.key);
  return concatBytes(Uint8Array.of(PROTOCOL_VERSION), ephemeral.publicKey, layer1, layer2);
}

export interface UnsealedMessage {
  readonly certificate: SenderCertificate;
  readonly content: Uint8Array;
}

export function openSealedSender(
  recipient: IdentityKeyPair,
  sealed: Uint8Array,
  serverPublicKey: Uint8Array,
  now: number,
): UnsealedMessage {
  assertBytes(sealed, 'sealed');
  const layer1Bytes = ED25519_PUBLIC_KEY_BYTES + AEAD_TAG_BYTES;
  if (sealed.length < 1 + X25519_KEY_BYTES + layer1Bytes + AEAD_TAG_BYTES + 4) {
    throw new CryptoError('INVALID_MESSAGE', 'sealed message truncated');
  }
  if (sealed[0] !== PROTOCOL_VERSION) throw new CryptoError('UNSUPPORTED_VERSION', 'sealed message version unknown');
  const s = sodium();
  const ephemeralPublic = sealed.subarray(1, 1 + X25519_KEY_BYTES);
  const layer1 = sealed.subarray(1 + X25519_KEY_BYTES, 1 + X25519_KEY_BYTES + layer1Bytes);
  const layer2 = sealed.subarray(1 + X25519_KEY_BYTES + layer1Bytes);
  const salt1 = concatBytes(ephemeralPublic, recipient.dhPublicKey);
  const l1 = layerKey(dh(recipient.dhPrivateKey, ephemeralPublic), salt1, EPHEMERAL_INFO, 32);
  let senderIdentity: Uint8Array;
  let inner: Uint8Array;
  try {
    senderIdentity = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, layer1, salt1, l1.nonce, l1.key);
    const l2 = layerKey(dh(recipient.dhPrivateKey, identityPublicKeyToX25519(senderIdentity)), concatBytes(l1.chainKey, layer1), STATIC_INFO);
    inner = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, layer2, concatBytes(ephemeralPublic, layer1), l2.nonce, l2.key);
  } catch (error) {
    if (error instanceof CryptoError && error.code !== 'INVALID_KEY') throw error;
    throw new CryptoError('DECRYPT_FAILED', 'sealed message failed authentication');
  }
  const certLength = readUint32BE(inner, 0);
  if (inner.length < 4 + certLength) throw new CryptoError('INVALID_MESSAGE', 'sealed message certificate truncated');
  const certificate = decodeSenderCertificate(inner.subarray(4, 4 + certLength));
  verifySenderCertificate(certificate, serverPublicKey, now);
  if (!bytesEqual(certificate.identityKey, senderIdentity)) {
    throw new CryptoError('CERTIFICATE_INVALID', 'certificate names a different identity than the one that sealed the message');
  }
  return { certificate, content: inner.slice(4 + certLength) };
}
