/**
 * Ed25519 signatures and the public-key encoding they cover. Kept apart from
 * identity.ts (which also does Diffie-Hellman) because the server imports this
 * file: it verifies signatures and never touches anything that could decrypt.
 */
import { concatBytes } from './bytes.js';
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, KEY_TYPE_DJB, KEY_TYPE_MLKEM768 } from './constants.js';
import { sodium } from './sodium.js';

/** Signs with a libsodium Ed25519 secret key (64 bytes). */
export function signWithKey(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return sodium().crypto_sign_detached(message, privateKey);
}

/** False (never an exception) for a bad signature, a malformed key or wrong lengths. */
export function verifySignature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    return sodium().crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}

/** Encode(PK) of X3DH §2.5: a type byte, then the key. */
export function encodePublicKey(publicKey: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(KEY_TYPE_DJB), publicKey);
}

/** EncodeKEM(PK) of PQXDH §2.5: a type byte, then the ML-KEM-768 public key. */
export function encodeKemPublicKey(publicKey: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(KEY_TYPE_MLKEM768), publicKey);
}
