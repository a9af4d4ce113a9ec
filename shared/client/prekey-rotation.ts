/**
 * Rotation of this device's medium-term prekeys: the signed prekey (X3DH §3.2)
 * and the last-resort ML-KEM prekey (PQXDH §3.2). They are the only prekeys
 * the server hands out more than once, and every handshake made while one-time
 * prekeys have run out depends on them alone: whoever later steals one of
 * their private halves can open each such handshake made while that key was
 * published. Rotating them bounds that window, and deleting the old private
 * key (after a grace period for messages already on their way) closes it.
 *
 * X3DH §3.2: "Bob will upload a new signed prekey and prekey signature at some
 * interval (e.g. once a week, or once a month)", and "may keep the private key
 * corresponding to the previous signed prekey around for some period of time,
 * to handle messages using it that have been delayed in transit. Eventually,
 * Bob should delete this private key for forward secrecy." PQXDH §3.2 says the
 * same of the last-resort post-quantum prekey. The two rotate together.
 *
 * The steps, each stored before the next (a crash or a lost answer repeats a
 * step, never skips one):
 *   1. due: new keys made with ids never used before, stored as `pending`;
 *   2. uploaded, signed by the identity key (PUT /api/keys); the server checks
 *      the signatures and hands out the new keys from then on;
 *   3. confirmed: they become current, and the keys they replace are retired,
 *      with the time; a pending upload whose answer was lost is sent again;
 *   4. a retired key is deleted once RETIRED_PREKEY_GRACE_MS has passed, and
 *      refused by the prekey lookup from then on, even before its deletion runs.
 */
import { type IdentityKeyPair, generateKemPreKey, generateSignedPreKey } from '@envelope/crypto';
import type { PreKeyStatus, PreKeyUpload } from '@envelope/protocol';
import { ClientError } from './errors.js';
import {
  loadKemPreKey,
  loadSignedPreKey,
  storeKemPreKey,
  storeSignedPreKey,
  type PreKeyRotationState,
  type SelfRecord,
} from './key-storage.js';
import { wireKemPreKey, wireSignedPreKey } from './prekey-wire.js';
import type { SerialQueue } from './serial.js';
import type { ClientStore } from './store.js';
import { KemPreKeyKind, SignedPreKeyKind } from './record-schemas.js';
import { readRecord } from './store-records.js';
import { keys } from './store-keys.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long the same signed and last-resort KEM prekeys are handed out: 2 days,
 * as Signal's Android app rotates its signed prekey (RotateSignedPreKeyListener,
 * INTERVAL = 2 days). X3DH suggests a week or a month; a shorter interval means
 * a stolen key opens fewer handshakes, at the cost of one ML-KEM key generation
 * and a 1.3 KB upload every 2 days, which is nothing.
 */
export const PREKEY_ROTATION_INTERVAL_MS = 2 * DAY_MS;

/**
 * How long a replaced key's private half is kept: 30 days, as Signal's Android
 * app keeps replaced signed and last-resort Kyber prekeys (PreKeyUtil,
 * ARCHIVE_AGE = 30 days). A message begun from a bundle fetched just before a
 * rotation may wait in the server's mailbox until its recipient comes back; a
 * month covers a holiday, and past it such a message is refused (UNKNOWN_PREKEY)
 * and its sender told (session-reset.ts) rather than the key kept for ever.
 */
export const RETIRED_PREKEY_GRACE_MS = 30 * DAY_MS;

/** True when `storeKey` is a rotated-out prekey whose grace period is over: it must not be used. */
export function retiredPastGrace(self: SelfRecord, storeKey: string, now: number): boolean {
  const retired = self.rotation?.retired.find((key) => key.key === storeKey);
  return retired !== undefined && now - retired.retiredAt >= RETIRED_PREKEY_GRACE_MS;
}

/**
 * The rotation state, also for a profile made before rotation existed: its keys
 * count as published when the account was made, and its one last-resort KEM
 * prekey is found in the store.
 */
async function rotationStateOf(store: ClientStore, self: SelfRecord): Promise<PreKeyRotationState> {
  if (self.rotation) return self.rotation;
  for (const key of await store.list('kem/')) {
    const stored = await readRecord(store, KemPreKeyKind, key);
    if (stored?.lastResort === true) return { publishedAt: self.createdAt, lastResortKemPreKeyId: stored.id, retired: [] };
  }
  throw new ClientError('STORE_CORRUPT', 'the profile holds no last-resort KEM prekey');
}

/** The upload of the pending keys, from the store. */
async function pendingUpload(store: ClientStore, pending: NonNullable<PreKeyRotationState['pending']>): Promise<PreKeyUpload> {
  const spk = await readRecord(store, SignedPreKeyKind, keys.signedPreKey(pending.signedPreKeyId));
  const kem = await readRecord(store, KemPreKeyKind, keys.kemPreKey(pending.lastResortKemPreKeyId));
  if (!spk || !kem) throw new ClientError('STORE_CORRUPT', 'the prekeys of a pending rotation are missing');
  return { signedPreKey: wireSignedPreKey(loadSignedPreKey(spk)), kemPreKeys: [wireKemPreKey(loadKemPreKey(kem))] };
}

export interface PreparedRotation {
  readonly upload: PreKeyUpload;
  readonly pending: NonNullable<PreKeyRotationState['pending']>;
}

/**
 * Steps 1 and 4, on the client's serial queue: deletes retired keys whose grace
 * period is over, and returns the upload to make (the pending keys, made now if
 * a rotation is due), or null when none is due.
 */
export async function prepareRotation(store: ClientStore, self: SelfRecord, identity: IdentityKeyPair, now: number): Promise<PreparedRotation | null> {
  const state = await rotationStateOf(store, self);
  const entries: Record<string, unknown> = {};
  const retired = state.retired.filter((key) => {
    if (now - key.retiredAt < RETIRED_PREKEY_GRACE_MS) return true;
    entries[key.key] = undefined; // a key kept past its lifetime is a bug
    return false;
  });
  let next: SelfRecord = { ...self, rotation: { ...state, retired } };
  let prepared: PreparedRotation | null = null;
  if (state.pending) {
    prepared = { upload: await pendingUpload(store, state.pending), pending: state.pending };
  } else if (now - state.publishedAt >= PREKEY_ROTATION_INTERVAL_MS) {
    // Ids only go up: the signed prekey's from the current one, the KEM prekey's from the counter refills share.
    const signedPreKey = generateSignedPreKey(identity, self.signedPreKeyId + 1);
    const kemPreKey = generateKemPreKey(identity, self.nextKemPreKeyId, true);
    const pending = { signedPreKeyId: signedPreKey.id, lastResortKemPreKeyId: kemPreKey.id };
    entries[keys.signedPreKey(signedPreKey.id)] = storeSignedPreKey(signedPreKey);
    entries[keys.kemPreKey(kemPreKey.id)] = storeKemPreKey(kemPreKey);
    next = { ...next, nextKemPreKeyId: kemPreKey.id + 1, rotation: { ...state, retired, pending } };
    prepared = { upload: { signedPreKey: wireSignedPreKey(signedPreKey), kemPreKeys: [wireKemPreKey(kemPreKey)] }, pending };
  }
  if (prepared !== null || retired.length !== state.retired.length || !self.rotation) {
    await store.put({ ...entries, [keys.self]: next });
  }
  return prepared;
}

/**
 * Step 3, on the serial queue, once the server stored `pending`: the new keys
 * become current and the ones they replace are retired as of `now`. False when
 * they are no longer pending (a key reset replaced everything meanwhile).
 */
export async function confirmRotation(store: ClientStore, self: SelfRecord, pending: PreparedRotation['pending'], now: number): Promise<boolean> {
  const state = self.rotation;
  if (state?.pending?.signedPreKeyId !== pending.signedPreKeyId || state.pending.lastResortKemPreKeyId !== pending.lastResortKemPreKeyId) return false;
  const next: SelfRecord = {
    ...self,
    signedPreKeyId: pending.signedPreKeyId,
    rotation: {
      publishedAt: now,
      lastResortKemPreKeyId: pending.lastResortKemPreKeyId,
      retired: [
        ...state.retired,
        { key: keys.signedPreKey(self.signedPreKeyId), retiredAt: now },
        { key: keys.kemPreKey(state.lastResortKemPreKeyId), retiredAt: now },
      ],
    },
  };
  await store.put({ [keys.self]: next });
  return true;
}

/** What rotateOwnPreKeys needs from the client. */
export interface RotationHost {
  readonly store: ClientStore;
  readonly queue: SerialQueue;
  now(): number;
  /** The stored account record (read on the queue, so always the latest). */
  loadSelf(): Promise<SelfRecord>;
  /** The identity key in use, read on the queue: a key reset replaces it. */
  identity(): IdentityKeyPair;
  upload(upload: PreKeyUpload): Promise<PreKeyStatus>;
}

export interface RotatedPreKeys {
  readonly signedPreKeyId: number;
  readonly lastResortKemPreKeyId: number;
}

/** The whole rotation when one is due (or pending), and the deletion of expired keys; null when nothing was uploaded. */
export async function rotateOwnPreKeys(host: RotationHost): Promise<RotatedPreKeys | null> {
  const prepared = await host.queue.run(async () => prepareRotation(host.store, await host.loadSelf(), host.identity(), host.now()));
  if (!prepared) return null;
  await host.upload(prepared.upload);
  const confirmed = await host.queue.run(async () => confirmRotation(host.store, await host.loadSelf(), prepared.pending, host.now()));
  return confirmed ? prepared.pending : null;
}
