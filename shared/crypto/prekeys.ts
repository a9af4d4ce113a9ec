/**
 * Prekeys a device publishes so others can start a session while it is offline
 * (X3DH §3.2, PQXDH §3.2): a signed X25519 prekey, one-time X25519 prekeys, and
 * signed ML-KEM-768 prekeys — a "last-resort" one that is reused while one-time
 * KEM prekeys run out, and one-time ones that the server hands out once each.
 */
import { assertBytes, CryptoError, encodeKemPublicKey, encodePublicKey, verifySignature, randomBytes, sodium } from '@envelope/crypto-public';
import {
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  MLKEM768_PUBLIC_KEY_BYTES,
  X25519_KEY_BYTES,
} from '@envelope/crypto-public';
import { generateDhKeyPair, sign, type DhKeyPair, type IdentityKeyPair } from './identity.js';

export { encodeKemPublicKey };

export interface SignedPreKey {
  readonly id: number;
  readonly keyPair: DhKeyPair;
  /** Sig(IK, Encode(SPK)) */
  readonly signature: Uint8Array;
}

export interface OneTimePreKey {
  readonly id: number;
  readonly keyPair: DhKeyPair;
}

export interface KemPreKey {
  readonly id: number;
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
  /** Sig(IK, EncodeKEM(PQPK)) */
  readonly signature: Uint8Array;
  /** The last-resort key stays published and is reused; one-time ones are consumed. */
  readonly lastResort: boolean;
}

/** What the server hands to someone who wants to start a session: public parts only. */
export interface PreKeyBundle {
  readonly identityKey: Uint8Array;
  readonly signedPreKey: { readonly id: number; readonly publicKey: Uint8Array; readonly signature: Uint8Array };
  readonly oneTimePreKey?: { readonly id: number; readonly publicKey: Uint8Array } | undefined;
  /** Present for PQXDH; absent means a classical X3DH handshake. */
  readonly kemPreKey?:
    | { readonly id: number; readonly publicKey: Uint8Array; readonly signature: Uint8Array; readonly lastResort: boolean }
    | undefined;
}

function assertKeyId(id: number, name: string): void {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) {
    throw new CryptoError('INVALID_ARGUMENT', `${name} must be an unsigned 32-bit integer`);
  }
}

export function generateSignedPreKey(identity: IdentityKeyPair, id: number): SignedPreKey {
  assertKeyId(id, 'signedPreKey id');
  const keyPair = generateDhKeyPair();
  return { id, keyPair, signature: sign(identity, encodePublicKey(keyPair.publicKey)) };
}

export function generateOneTimePreKeys(firstId: number, count: number): OneTimePreKey[] {
  assertKeyId(firstId, 'firstId');
  assertKeyId(firstId + count, 'firstId + count');
  return Array.from({ length: count }, (_, i) => ({ id: firstId + i, keyPair: generateDhKeyPair() }));
}

export function generateKemPreKey(identity: IdentityKeyPair, id: number, lastResort: boolean): KemPreKey {
  assertKeyId(id, 'kemPreKey id');
  // FIPS 203 ML-KEM.KeyGen draws a 64-byte seed (d ‖ z); we supply it (see randomBytes).
  const { publicKey, privateKey } = sodium().crypto_kem_mlkem768_seed_keypair(randomBytes(64));
  return { id, publicKey, privateKey, signature: sign(identity, encodeKemPublicKey(publicKey)), lastResort };
}

/**
 * Checks every signature and size in a bundle before any key in it is used
 * (X3DH §3.3: "Alice verifies the prekey signature and aborts the protocol if
 * verification fails"; PQXDH §3.3 likewise for the KEM prekey).
 */
export function verifyPreKeyBundle(bundle: PreKeyBundle): void {
  assertBytes(bundle.identityKey, 'bundle.identityKey', ED25519_PUBLIC_KEY_BYTES);
  const spk = bundle.signedPreKey;
  assertKeyId(spk.id, 'bundle.signedPreKey.id');
  assertBytes(spk.publicKey, 'bundle.signedPreKey.publicKey', X25519_KEY_BYTES);
  assertBytes(spk.signature, 'bundle.signedPreKey.signature', ED25519_SIGNATURE_BYTES);
  if (!verifySignature(bundle.identityKey, encodePublicKey(spk.publicKey), spk.signature)) {
    throw new CryptoError('INVALID_SIGNATURE', 'signed prekey signature does not verify under the identity key');
  }
  if (bundle.oneTimePreKey) {
    assertKeyId(bundle.oneTimePreKey.id, 'bundle.oneTimePreKey.id');
    assertBytes(bundle.oneTimePreKey.publicKey, 'bundle.oneTimePreKey.publicKey', X25519_KEY_BYTES);
  }
  const kem = bundle.kemPreKey;
  if (kem) {
    assertKeyId(kem.id, 'bundle.kemPreKey.id');
    assertBytes(kem.publicKey, 'bundle.kemPreKey.publicKey', MLKEM768_PUBLIC_KEY_BYTES);
    assertBytes(kem.signature, 'bundle.kemPreKey.signature', ED25519_SIGNATURE_BYTES);
    if (!verifySignature(bundle.identityKey, encodeKemPublicKey(kem.publicKey), kem.signature)) {
      throw new CryptoError('INVALID_SIGNATURE', 'KEM prekey signature does not verify under the identity key');
    }
  }
}

/** The bundle a device would publish, from its own key material (public parts only). */
export function bundleFrom(
  identity: IdentityKeyPair,
  signedPreKey: SignedPreKey,
  oneTimePreKey?: OneTimePreKey,
  kemPreKey?: KemPreKey,
): PreKeyBundle {
  return {
    identityKey: identity.publicKey,
    signedPreKey: { id: signedPreKey.id, publicKey: signedPreKey.keyPair.publicKey, signature: signedPreKey.signature },
    oneTimePreKey: oneTimePreKey ? { id: oneTimePreKey.id, publicKey: oneTimePreKey.keyPair.publicKey } : undefined,
    kemPreKey: kemPreKey
      ? { id: kemPreKey.id, publicKey: kemPreKey.publicKey, signature: kemPreKey.signature, lastResort: kemPreKey.lastResort }
      : undefined,
  };
}
