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
import { type IdentityKeyPair } from '@envelope/crypto';
import type { PreKeyStatus, PreKeyUpload } from '@envelope/protocol';
import { type PreKeyRotationState, type SelfRecord } from './key-storage.js';
import type { SerialQueue } from './serial.js';
import type { ClientStore } from './store.js';
/**
 * How long the same signed and last-resort KEM prekeys are handed out: 2 days,
 * as Signal's Android app rotates its signed prekey (RotateSignedPreKeyListener,
 * INTERVAL = 2 days). X3DH suggests a week or a month; a shorter interval means
 * a stolen key opens fewer handshakes, at the cost of one ML-KEM key generation
 * and a 1.3 KB upload every 2 days, which is nothing.
 */
export declare const PREKEY_ROTATION_INTERVAL_MS: number;
/**
 * How long a replaced key's private half is kept: 30 days, as Signal's Android
 * app keeps replaced signed and last-resort Kyber prekeys (PreKeyUtil,
 * ARCHIVE_AGE = 30 days). A message begun from a bundle fetched just before a
 * rotation may wait in the server's mailbox until its recipient comes back; a
 * month covers a holiday, and past it such a message is refused (UNKNOWN_PREKEY)
 * and its sender told (session-reset.ts) rather than the key kept for ever.
 */
export declare const RETIRED_PREKEY_GRACE_MS: number;
/** True when `storeKey` is a rotated-out prekey whose grace period is over: it must not be used. */
export declare function retiredPastGrace(self: SelfRecord, storeKey: string, now: number): boolean;
export interface PreparedRotation {
    readonly upload: PreKeyUpload;
    readonly pending: NonNullable<PreKeyRotationState['pending']>;
}
/**
 * Steps 1 and 4, on the client's serial queue: deletes retired keys whose grace
 * period is over, and returns the upload to make (the pending keys, made now if
 * a rotation is due), or null when none is due.
 */
export declare function prepareRotation(store: ClientStore, self: SelfRecord, identity: IdentityKeyPair, now: number): Promise<PreparedRotation | null>;
/**
 * Step 3, on the serial queue, once the server stored `pending`: the new keys
 * become current and the ones they replace are retired as of `now`. False when
 * they are no longer pending (a key reset replaced everything meanwhile).
 */
export declare function confirmRotation(store: ClientStore, self: SelfRecord, pending: PreparedRotation['pending'], now: number): Promise<boolean>;
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
export declare function rotateOwnPreKeys(host: RotationHost): Promise<RotatedPreKeys | null>;
