/**
 * HMAC-SHA256 (RFC 2104) and HKDF-SHA256 (RFC 5869), on libsodium's HMAC.
 *
 * libsodium's crypto_auth_hmacsha256 takes a 32-byte key; RFC 2104 §2 allows any
 * key length (longer keys are hashed first, shorter ones zero-padded). HKDF's
 * extract step uses the salt as the HMAC key and the RFC's test vectors use
 * salts of 13 and 80 bytes, so we use the init/update/final interface, which
 * accepts any key length.
 */
import { assertBytes, concatBytes } from './bytes.js';
import { CryptoError } from './errors.js';
import { sodium } from './sodium.js';

export const SHA256_BYTES = 32;
/** RFC 5869 §2.3: L <= 255 * HashLen. */
export const HKDF_SHA256_MAX_OUTPUT = 255 * SHA256_BYTES;

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const s = sodium();
  if (key.length === s.crypto_auth_hmacsha256_KEYBYTES) {
    // Every key the protocol uses is 32 bytes: one call into WASM instead of three.
    return s.crypto_auth_hmacsha256(message, key);
  }
  const state = s.crypto_auth_hmacsha256_init(key);
  s.crypto_auth_hmacsha256_update(state, message);
  return s.crypto_auth_hmacsha256_final(state);
}

/** RFC 5869 §2.2. An empty salt means HashLen zero bytes. */
export function hkdfExtract(salt: Uint8Array | undefined, ikm: Uint8Array): Uint8Array {
  const key = salt === undefined || salt.length === 0 ? new Uint8Array(SHA256_BYTES) : salt;
  return hmacSha256(key, ikm);
}

/** RFC 5869 §2.3. */
export function hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  assertBytes(prk, 'prk');
  assertBytes(info, 'info');
  if (prk.length < SHA256_BYTES) {
    throw new CryptoError('INVALID_ARGUMENT', `prk must be at least ${SHA256_BYTES} bytes`);
  }
  if (!Number.isInteger(length) || length < 1 || length > HKDF_SHA256_MAX_OUTPUT) {
    throw new CryptoError('INVALID_ARGUMENT', `length must be 1..${HKDF_SHA256_MAX_OUTPUT}, got ${length}`);
  }
  const out = new Uint8Array(length);
  let previous: Uint8Array = new Uint8Array(0);
  let offset = 0;
  for (let counter = 1; offset < length; counter++) {
    previous = hmacSha256(prk, concatBytes(previous, info, Uint8Array.of(counter)));
    const take = Math.min(previous.length, length - offset);
    out.set(previous.subarray(0, take), offset);
    offset += take;
  }
  return out;
}

/** RFC 5869 §2: extract then expand. */
export function hkdf(ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array, length: number): Uint8Array {
  assertBytes(ikm, 'ikm');
  if (salt !== undefined) assertBytes(salt, 'salt');
  return hkdfExpand(hkdfExtract(salt, ikm), info, length);
}
