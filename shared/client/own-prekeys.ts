/**
 * This device's prekeys (X3DH §3.2, PQXDH §3.2): generated at registration,
 * refilled when the server says it is running low, looked up when a prekey
 * message arrives, and deleted once used (X3DH §3.4: "Bob deletes any one-time
 * prekey private key that was used").
 */
import { toBase64Url } from '@envelope/crypto-public';
import { type InitialHandshake, type PreKeyLookup, generateIdentityKeyPair, type IdentityKeyPair } from '@envelope/crypto';
import {
  generateKemPreKey,
  generateOneTimePreKeys,
  generateSignedPreKey,
  type KemPreKey,
  type OneTimePreKey,
} from '@envelope/crypto';
import { type PreKeyUpload, type DeviceId, type Username, MAX_KEM_PREKEYS_PER_UPLOAD, MAX_ONE_TIME_PREKEYS_PER_UPLOAD } from '@envelope/protocol';
import {
  loadKemPreKey,
  loadOneTimePreKey,
  loadSignedPreKey,
  SELF_RECORD_VERSION,
  storeIdentity,
  storeKemPreKey,
  storeOneTimePreKey,
  storeSignedPreKey,
  type SelfRecord,
} from './key-storage.js';
import { retiredPastGrace } from './prekey-rotation.js';
import { wireKemPreKey, wireOneTimePreKey, wireSignedPreKey, type WireKemPreKey, type WireOneTimePreKey, type WireSignedPreKey } from './prekey-wire.js';
import type { ClientStore } from './store.js';
import { KemPreKeyKind, OneTimePreKeyKind, SelfKind, SignedPreKeyKind } from './record-schemas.js';
import { readRecord, type RecordKind } from './store-records.js';
import { keys } from './store-keys.js';

/** One-time X25519 prekeys kept on the server: a classroom's worth of first contacts between refills. */
export const TARGET_ONE_TIME_PREKEYS = 100;
/** One-time ML-KEM-768 prekeys (1,184 bytes each public, 2,400 private): fewer; the last-resort key covers a shortfall (PQXDH §3.3). */
export const TARGET_ONE_TIME_KEM_PREKEYS = 20;
const SIGNED_PREKEY_ID = 1;
/** The one-time KEM prekeys follow the last-resort one (ids 2, 3, ...). */
const LAST_RESORT_KEM_PREKEY_ID = 1;
const FIRST_ONE_TIME_PREKEY_ID = 1;

function preKeyEntries(oneTime: readonly OneTimePreKey[], kem: readonly KemPreKey[]): Record<string, unknown> {
  const entries: Record<string, unknown> = {};
  for (const key of oneTime) entries[keys.oneTimePreKey(key.id)] = storeOneTimePreKey(key);
  for (const key of kem) entries[keys.kemPreKey(key.id)] = storeKemPreKey(key);
  return entries;
}

export interface NewAccountKeys {
  readonly self: SelfRecord;
  readonly identity: IdentityKeyPair;
  /** Everything to store before the registration request leaves (self included). */
  readonly entries: Record<string, unknown>;
  /** The public halves, as RegisterRequest wants them. */
  readonly upload: {
    identityKey: string;
    signedPreKey: WireSignedPreKey;
    oneTimePreKeys: WireOneTimePreKey[];
    kemPreKeys: WireKemPreKey[];
  };
}

/** Where a new key set's ids start: 1 for a new account, past every id used so far for a key reset. */
interface KeySetIds {
  readonly signedPreKeyId: number;
  readonly firstOneTimePreKeyId: number;
  readonly lastResortKemPreKeyId: number;
}

const NEW_ACCOUNT_IDS: KeySetIds = {
  signedPreKeyId: SIGNED_PREKEY_ID,
  firstOneTimePreKeyId: FIRST_ONE_TIME_PREKEY_ID,
  lastResortKemPreKeyId: LAST_RESORT_KEM_PREKEY_ID,
};

/** A fresh identity and a full set of prekeys, with ids from `ids`; `self` keeps every other field of `base`. */
function generateKeySet(
  base: Omit<SelfRecord, 'identity' | 'signedPreKeyId' | 'nextOneTimePreKeyId' | 'nextKemPreKeyId' | 'rotation'>,
  ids: KeySetIds,
  now: number,
): NewAccountKeys {
  const identity = generateIdentityKeyPair();
  const signedPreKey = generateSignedPreKey(identity, ids.signedPreKeyId);
  const oneTime = generateOneTimePreKeys(ids.firstOneTimePreKeyId, TARGET_ONE_TIME_PREKEYS);
  const firstOneTimeKem = ids.lastResortKemPreKeyId + 1;
  const kem = [generateKemPreKey(identity, ids.lastResortKemPreKeyId, true)];
  for (let i = 0; i < TARGET_ONE_TIME_KEM_PREKEYS; i++) kem.push(generateKemPreKey(identity, firstOneTimeKem + i, false));
  const self: SelfRecord = {
    ...base,
    identity: storeIdentity(identity),
    signedPreKeyId: ids.signedPreKeyId,
    nextOneTimePreKeyId: ids.firstOneTimePreKeyId + TARGET_ONE_TIME_PREKEYS,
    nextKemPreKeyId: firstOneTimeKem + TARGET_ONE_TIME_KEM_PREKEYS,
    rotation: { publishedAt: now, lastResortKemPreKeyId: ids.lastResortKemPreKeyId, retired: [] },
  };
  return {
    self,
    identity,
    entries: { [keys.self]: self, [keys.signedPreKey(signedPreKey.id)]: storeSignedPreKey(signedPreKey), ...preKeyEntries(oneTime, kem) },
    upload: {
      identityKey: toBase64Url(identity.publicKey),
      signedPreKey: wireSignedPreKey(signedPreKey),
      oneTimePreKeys: oneTime.map(wireOneTimePreKey),
      kemPreKeys: kem.map(wireKemPreKey),
    },
  };
}

/** A fresh identity and a full set of prekeys for a new account (not yet registered). */
export function generateAccountKeys(username: Username, serverUrl: string, now: number): NewAccountKeys {
  return generateKeySet(
    { v: SELF_RECORD_VERSION, username, deviceId: 1 as DeviceId, serverUrl, registered: false, createdAt: now },
    NEW_ACCOUNT_IDS,
    now,
  );
}

/**
 * A new identity and prekeys for the same account and device (resetKeys: "I
 * reinstalled the app"). Every id continues past those used so far, so a late
 * prekey message made from an old bundle names a key we do not hold
 * (UNKNOWN_PREKEY) instead of a new key with the same id.
 */
export function generateReplacementKeys(self: SelfRecord, now: number): NewAccountKeys {
  const { rotation: _replaced, ...base } = self;
  return generateKeySet(
    base,
    {
      // Past a rotation still waiting for the server's answer too: it may have landed.
      signedPreKeyId: Math.max(self.signedPreKeyId, self.rotation?.pending?.signedPreKeyId ?? 0) + 1,
      firstOneTimePreKeyId: self.nextOneTimePreKeyId,
      lastResortKemPreKeyId: self.nextKemPreKeyId,
    },
    now,
  );
}

export interface PreKeyRefill {
  readonly self: SelfRecord;
  /** New private keys (and the advanced id counters) to store before uploading. */
  readonly entries: Record<string, unknown>;
  readonly upload: PreKeyUpload;
}

/** Tops the server's one-time prekeys back up to the targets; null when nothing is missing. */
export function generatePreKeyRefill(
  self: SelfRecord,
  identity: IdentityKeyPair,
  serverCounts: { oneTimePreKeys: number; kemPreKeys: number },
): PreKeyRefill | null {
  const oneTimeCount = Math.min(MAX_ONE_TIME_PREKEYS_PER_UPLOAD, Math.max(0, TARGET_ONE_TIME_PREKEYS - serverCounts.oneTimePreKeys));
  const kemCount = Math.min(MAX_KEM_PREKEYS_PER_UPLOAD, Math.max(0, TARGET_ONE_TIME_KEM_PREKEYS - serverCounts.kemPreKeys));
  if (oneTimeCount === 0 && kemCount === 0) return null;
  const oneTime = generateOneTimePreKeys(self.nextOneTimePreKeyId, oneTimeCount);
  const kem = Array.from({ length: kemCount }, (_, i) => generateKemPreKey(identity, self.nextKemPreKeyId + i, false));
  const next: SelfRecord = {
    ...self,
    nextOneTimePreKeyId: self.nextOneTimePreKeyId + oneTimeCount,
    nextKemPreKeyId: self.nextKemPreKeyId + kemCount,
  };
  const upload: PreKeyUpload = {};
  if (oneTimeCount > 0) upload.oneTimePreKeys = oneTime.map(wireOneTimePreKey);
  if (kemCount > 0) upload.kemPreKeys = kem.map(wireKemPreKey);
  return { self: next, entries: { [keys.self]: next, ...preKeyEntries(oneTime, kem) }, upload };
}

/**
 * The prekeys a handshake names, loaded from the store up front because the
 * crypto's lookup is synchronous. A key we do not hold, or a rotated-out key
 * whose grace period is over (prekey-rotation.ts; its deletion may not have run
 * yet), is simply absent, and the handshake fails with UNKNOWN_PREKEY.
 */
export async function loadPreKeyLookup(store: ClientStore, handshake: InitialHandshake, now: number): Promise<PreKeyLookup> {
  const self = await readRecord(store, SelfKind, keys.self);
  const load = async <T>(kind: RecordKind<T>, key: string): Promise<T | undefined> =>
    self && retiredPastGrace(self, key, now) ? undefined : readRecord(store, kind, key);
  const spk = await load(SignedPreKeyKind, keys.signedPreKey(handshake.signedPreKeyId));
  const otk = handshake.oneTimePreKeyId === undefined ? undefined : await readRecord(store, OneTimePreKeyKind, keys.oneTimePreKey(handshake.oneTimePreKeyId));
  const kem = handshake.kemPreKeyId === undefined ? undefined : await load(KemPreKeyKind, keys.kemPreKey(handshake.kemPreKeyId));
  const signedPreKey = spk ? loadSignedPreKey(spk) : undefined;
  const oneTimePreKey = otk ? loadOneTimePreKey(otk) : undefined;
  const kemPreKey = kem ? loadKemPreKey(kem) : undefined;
  return {
    signedPreKey: (id) => (signedPreKey?.id === id ? signedPreKey : undefined),
    oneTimePreKey: (id) => (oneTimePreKey?.id === id ? oneTimePreKey : undefined),
    kemPreKey: (id) => (kemPreKey?.id === id ? kemPreKey : undefined),
  };
}

/**
 * Store deletions for the one-time prekeys a successful handshake used. The
 * last-resort KEM prekey and the signed prekey stay: they are meant to be reused.
 */
export function consumedPreKeyDeletions(handshake: InitialHandshake, lookup: PreKeyLookup): Record<string, undefined> {
  const deletions: Record<string, undefined> = {};
  if (handshake.oneTimePreKeyId !== undefined) deletions[keys.oneTimePreKey(handshake.oneTimePreKeyId)] = undefined;
  if (handshake.kemPreKeyId !== undefined && lookup.kemPreKey(handshake.kemPreKeyId)?.lastResort === false) {
    deletions[keys.kemPreKey(handshake.kemPreKeyId)] = undefined;
  }
  return deletions;
}
