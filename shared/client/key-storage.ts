/**
 * This device's key material in its stored form, and back. Keys are stored as
 * bytes (Uint8Array); their lengths are checked by the record schemas on load
 * (record-schemas.ts), which also read the base64url strings older profiles
 * hold. Private halves live only in the ClientStore; nothing here logs or
 * returns them anywhere else.
 */
import { identityFromEd25519, type IdentityKeyPair, type KemPreKey, type OneTimePreKey, type SignedPreKey } from '@envelope/crypto';
import type { DeviceId, Username } from '@envelope/protocol';
import { ClientError } from './errors.js';

export const SELF_RECORD_VERSION = 1;

export interface StoredIdentity { publicKey: Uint8Array; privateKey: Uint8Array }
export interface StoredSignedPreKey { id: number; publicKey: Uint8Array; privateKey: Uint8Array; signature: Uint8Array }
export interface StoredOneTimePreKey { id: number; publicKey: Uint8Array; privateKey: Uint8Array }
export interface StoredKemPreKey { id: number; publicKey: Uint8Array; privateKey: Uint8Array; signature: Uint8Array; lastResort: boolean }

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

export function storeIdentity(identity: IdentityKeyPair): StoredIdentity {
  return { publicKey: identity.publicKey, privateKey: identity.privateKey };
}

/** The identity key pair; a pair whose halves do not match (a damaged profile) is STORE_CORRUPT, not a crash deep in libsodium. */
export function loadIdentity(stored: StoredIdentity): IdentityKeyPair {
  try {
    return identityFromEd25519(stored.publicKey, stored.privateKey);
  } catch {
    throw new ClientError('STORE_CORRUPT', 'stored identity key pair does not match');
  }
}

export function storeSignedPreKey(key: SignedPreKey): StoredSignedPreKey {
  return { id: key.id, publicKey: key.keyPair.publicKey, privateKey: key.keyPair.privateKey, signature: key.signature };
}

export function loadSignedPreKey(stored: StoredSignedPreKey): SignedPreKey {
  return { id: stored.id, keyPair: { publicKey: stored.publicKey, privateKey: stored.privateKey }, signature: stored.signature };
}

export function storeOneTimePreKey(key: OneTimePreKey): StoredOneTimePreKey {
  return { id: key.id, publicKey: key.keyPair.publicKey, privateKey: key.keyPair.privateKey };
}

export function loadOneTimePreKey(stored: StoredOneTimePreKey): OneTimePreKey {
  return { id: stored.id, keyPair: { publicKey: stored.publicKey, privateKey: stored.privateKey } };
}

export function storeKemPreKey(key: KemPreKey): StoredKemPreKey {
  return { id: key.id, publicKey: key.publicKey, privateKey: key.privateKey, signature: key.signature, lastResort: key.lastResort };
}

export function loadKemPreKey(stored: StoredKemPreKey): KemPreKey {
  return { id: stored.id, publicKey: stored.publicKey, privateKey: stored.privateKey, signature: stored.signature, lastResort: stored.lastResort };
}
