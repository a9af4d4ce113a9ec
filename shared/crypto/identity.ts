/**
 * Device identity keys (X3DH §2.1, "identity key IK"). Signal uses one Curve25519
 * key with XEdDSA signatures; libsodium offers Ed25519 signatures and a map from
 * an Ed25519 key to its X25519 form, so a device holds one Ed25519 key pair and
 * uses its X25519 form for the Diffie-Hellman computations. The X25519 form is
 * derived once and kept with the key pair.
 */
import { assertBytes, bytesEqual, toBase64Url, signWithKey, ED25519_PUBLIC_KEY_BYTES, ED25519_SECRET_KEY_BYTES, CryptoError, randomBytes } from '@envelope/crypto-public';
import { sodium } from './sodium.js';
import { edwardsToMontgomery } from './montgomery.js';

// X25519 itself lives in x25519.ts (one interface, libsodium by default); re-exported here, where callers have always found it.
export { dh, generateDhKeyPair, type DhKeyPair } from './x25519.js';

export interface IdentityKeyPair {
  /** Ed25519 public key: what the server directory publishes and safety numbers cover. */
  readonly publicKey: Uint8Array;
  /** Ed25519 secret key (libsodium's 64-byte form: seed ‖ public key). */
  readonly privateKey: Uint8Array;
  /** X25519 form of the same key, for Diffie-Hellman. */
  readonly dhPublicKey: Uint8Array;
  readonly dhPrivateKey: Uint8Array;
}

export function generateIdentityKeyPair(): IdentityKeyPair {
  const { publicKey, privateKey } = sodium().crypto_sign_seed_keypair(randomBytes(32));
  return identityFromEd25519(publicKey, privateKey);
}

/** Rebuilds the full identity (with its X25519 form) from a stored Ed25519 key pair. */
export function identityFromEd25519(publicKey: Uint8Array, privateKey: Uint8Array): IdentityKeyPair {
  assertBytes(publicKey, 'publicKey', ED25519_PUBLIC_KEY_BYTES);
  assertBytes(privateKey, 'privateKey', ED25519_SECRET_KEY_BYTES);
  const s = sodium();
  if (!bytesEqual(s.crypto_sign_ed25519_sk_to_pk(privateKey), publicKey)) {
    throw new CryptoError('INVALID_KEY', 'identity private key does not match its public key');
  }
  return {
    publicKey,
    privateKey,
    dhPublicKey: identityPublicKeyToX25519(publicKey),
    dhPrivateKey: s.crypto_sign_ed25519_sk_to_curve25519(privateKey),
  };
}

/**
 * Converted identity keys, newest last. A device converts the same few
 * contacts' keys over and over (every session start and every sealed-sender
 * message), and the map is pure, so results are memoised.
 */
const X25519_FORM_CACHE_SIZE = 1024;
const x25519FormCache = new Map<string, Uint8Array>();

/** The X25519 form of someone's Ed25519 identity key; INVALID_KEY if it is not a valid point. */
export function identityPublicKeyToX25519(publicKey: Uint8Array): Uint8Array {
  assertBytes(publicKey, 'identityKey', ED25519_PUBLIC_KEY_BYTES);
  const cacheKey = toBase64Url(publicKey);
  const cached = x25519FormCache.get(cacheKey);
  if (cached) return cached.slice();
  const converted = edwardsToMontgomery(publicKey);
  if (x25519FormCache.size >= X25519_FORM_CACHE_SIZE) {
    x25519FormCache.delete(x25519FormCache.keys().next().value!);
  }
  x25519FormCache.set(cacheKey, converted.slice());
  return converted;
}

export function sign(identity: IdentityKeyPair, message: Uint8Array): Uint8Array {
  return signWithKey(identity.privateKey, message);
}

export { encodePublicKey, verifySignature } from '@envelope/crypto-public';
