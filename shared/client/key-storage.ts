/**
 * This device's key material in its stored form (base64url strings in plain
 * JSON), and back. Private halves live only in the ClientStore; nothing here
 * logs or returns them anywhere else.
 */
import { fromBase64Url, toBase64Url, ED25519_PUBLIC_KEY_BYTES, ED25519_SECRET_KEY_BYTES, ED25519_SIGNATURE_BYTES, MLKEM768_PUBLIC_KEY_BYTES, MLKEM768_SECRET_KEY_BYTES, X25519_KEY_BYTES } from '@envelope/crypto-public';
import { identityFromEd25519, type IdentityKeyPair, type KemPreKey, type OneTimePreKey, type SignedPreKey } from '@envelope/crypto';
import type { DeviceId, Username } from '@envelope/protocol';
import { ClientError } from './errors.js';

export const SELF_RECORD_VERSION = 1;

export interface StoredIdentity { publicKey: string; privateKey: string }
export interface StoredSignedPreKey { id: number; publicKey: string; privateKey: string; signature: string }
export interface StoredOneTimePreKey { id: number; publicKey: string; privateKey: string }
export interface StoredKemPreKey { id: number; publicKey: string; privateKey: string; signature: string; lastResort: boolean }

/** The account this profile holds. `registered` turns true only once the server accepted it. */
export interface SelfRecord {
  v: typeof SELF_RECORD_VERSION;
  username: Username;
  deviceId: DeviceId;
  /** The server this account lives on, so a shell need not be told twice. */
  serverUrl: string;
  identity: StoredIdentity;
  signedPreKeyId: number;
  /** Next ids to hand out, so refills never reuse an id the server may still hold. */
  nextOneTimePreKeyId: number;
  nextKemPreKeyId: number;
  registered: boolean;
  createdAt: number;
  /** Rotation of the signed and last-resort KEM prekeys (prekey-rotation.ts); absent in profiles made before it existed. */
  rotation?: PreKeyRotationState;
}

/** A store key ("spk/3", "kem/7") of a prekey replaced by a rotation, and when the server stopped handing it out. */
export interface RetiredPreKey {
  key: string;
  retiredAt: number;
}

export interface PreKeyRotationState {
  /** When the server began handing out the current signed prekey and last-resort KEM prekey. */
  publishedAt: number;
  lastResortKemPreKeyId: number;
  /** New keys made and stored, not yet confirmed by the server: uploaded again until they are. */
  pending?: { signedPreKeyId: number; lastResortKemPreKeyId: number };
  /** Private keys kept after their rotation for messages begun from an older bundle, until their grace period ends. */
  retired: RetiredPreKey[];
}

/** Rebuilds a key from storage; a corrupt profile is STORE_CORRUPT, not a crash deep in libsodium. */
function decode(text: unknown, name: string, length: number): Uint8Array {
  try {
    return fromBase64Url(text, name, length);
  } catch {
    throw new ClientError('STORE_CORRUPT', `stored ${name} is malformed`);
  }
}

export function storeIdentity(identity: IdentityKeyPair): StoredIdentity {
  return { publicKey: toBase64Url(identity.publicKey), privateKey: toBase64Url(identity.privateKey) };
}

export function loadIdentity(stored: StoredIdentity): IdentityKeyPair {
  try {
    return identityFromEd25519(
      decode(stored.publicKey, 'identity public key', ED25519_PUBLIC_KEY_BYTES),
      decode(stored.privateKey, 'identity private key', ED25519_SECRET_KEY_BYTES),
    );
  } catch (error) {
    if (error instanceof ClientError) throw error;
    throw new ClientError('STORE_CORRUPT', 'stored identity key pair does not match');
  }
}

export function storeSignedPreKey(key: SignedPreKey): StoredSignedPreKey {
  return {
    id: key.id,
    publicKey: toBase64Url(key.keyPair.publicKey),
    privateKey: toBase64Url(key.keyPair.privateKey),
    signature: toBase64Url(key.signature),
  };
}

export function loadSignedPreKey(stored: StoredSignedPreKey): SignedPreKey {
  return {
    id: stored.id,
    keyPair: {
      publicKey: decode(stored.publicKey, 'signed prekey', X25519_KEY_BYTES),
      privateKey: decode(stored.privateKey, 'signed prekey', X25519_KEY_BYTES),
    },
    signature: decode(stored.signature, 'signed prekey signature', ED25519_SIGNATURE_BYTES),
  };
}

export function storeOneTimePreKey(key: OneTimePreKey): StoredOneTimePreKey {
  return { id: key.id, publicKey: toBase64Url(key.keyPair.publicKey), privateKey: toBase64Url(key.keyPair.privateKey) };
}

export function loadOneTimePreKey(stored: StoredOneTimePreKey): OneTimePreKey {
  return {
    id: stored.id,
    keyPair: {
      publicKey: decode(stored.publicKey, 'one-time prekey', X25519_KEY_BYTES),
      privateKey: decode(stored.privateKey, 'one-time prekey', X25519_KEY_BYTES),
    },
  };
}

export function storeKemPreKey(key: KemPreKey): StoredKemPreKey {
  return {
    id: key.id,
    publicKey: toBase64Url(key.publicKey),
    privateKey: toBase64Url(key.privateKey),
    signature: toBase64Url(key.signature),
    lastResort: key.lastResort,
  };
}

export function loadKemPreKey(stored: StoredKemPreKey): KemPreKey {
  return {
    id: stored.id,
    publicKey: decode(stored.publicKey, 'KEM prekey', MLKEM768_PUBLIC_KEY_BYTES),
    privateKey: decode(stored.privateKey, 'KEM prekey', MLKEM768_SECRET_KEY_BYTES),
    signature: decode(stored.signature, 'KEM prekey signature', ED25519_SIGNATURE_BYTES),
    lastResort: stored.lastResort === true,
  };
}
