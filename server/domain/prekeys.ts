/**
 * The prekey directory: hands out bundles (each one-time key once), takes
 * uploads, and says when a device runs low.
 *
 * Draining someone's one-time prekeys is a known attack: once they are gone,
 * new conversations with that person start from the signed and last-resort
 * keys only, and lose the extra protection a one-time key gives the first
 * messages (X3DH §3.3, PQXDH §3.3). Five throwaway accounts used to take all
 * 100 of a victim's keys in 0.7 s. Three limits now (config.ts, defaults):
 *
 * - per requesting account, 30 at once then 1 a second (429 beyond): a person
 *   fetches a bundle once per new contact;
 * - per requesting address, 60 at once then 1 a second (429 beyond), however
 *   many accounts it makes: a laptop with a few classroom panes stays far
 *   below it, and new accounts no longer multiply an attacker's rate;
 * - per target account, 10 one-time prekeys at once then 1 a minute. Past
 *   that, the bundle is still served, with the signed prekey and the
 *   last-resort ML-KEM key but no one-time keys, so nobody can stop others
 *   from starting a conversation with the victim, and many addresses together
 *   drain one victim at 60 keys an hour at most. The client keeps 20
 *   one-time ML-KEM keys and refills below 10 (prekeys-low): a burst leaves
 *   it 10, and what trickles out after is refilled while the victim is
 *   online. The price: when more than 10 people start a conversation with one
 *   person within minutes (a class greeting its teacher), the later ones
 *   start without a one-time key, as they would after a drain.
 */
import { type PreKeyUploadSchema, PREKEY_LOW_WATERMARK } from '@envelope/protocol';
import { bytesEqual } from '@envelope/crypto-public';
import type { z } from 'zod';
import { ServerError } from '../errors.js';
import type { AccountsRepo } from '../storage/accounts-repo.js';
import type { Db } from '../storage/database.js';
import type { PrekeysRepo, TakenBundle } from '../storage/prekeys-repo.js';
import { checkPreKeySignatures } from './accounts.js';
import type { AuthenticatedDevice } from './auth.js';
import type { BundleFetchLimits } from '../config.js';
import { RateLimiter } from './rate-limit.js';

export type PreKeyUpload = z.output<typeof PreKeyUploadSchema>;

/** A device may hold at most this many unused one-time prekeys of each kind. */
export const MAX_STORED_ONE_TIME_PREKEYS = 1000;

export interface PreKeyStatus {
  oneTimePreKeys: number;
  kemPreKeys: number;
  low: boolean;
}

export class PrekeyService {
  private readonly perAccount: RateLimiter;
  private readonly perAddress: RateLimiter;
  private readonly oneTimePerTarget: RateLimiter;

  constructor(
    private readonly db: Db,
    private readonly accounts: AccountsRepo,
    private readonly prekeys: PrekeysRepo,
    limits: BundleFetchLimits,
    /** Told when a device falls below the watermark, so a connected client can refill. */
    private readonly onLow: (username: string, deviceId: number, status: PreKeyStatus) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.perAccount = new RateLimiter(limits.perAccount, now);
    this.perAddress = new RateLimiter(limits.perAddress, now);
    this.oneTimePerTarget = new RateLimiter(limits.oneTimePerTarget, now);
  }

  /** `address` is the requester's, as client-address.ts counts it. */
  fetchBundle(
    requester: AuthenticatedDevice,
    address: string,
    username: string,
  ): { username: string; devices: (TakenBundle & { deviceId: number; identityKey: Uint8Array })[] } {
    if (!this.perAddress.tryTake(address)) {
      throw new ServerError('RATE_LIMITED', 'too many key bundle requests from this address; wait a moment and try again');
    }
    if (!this.perAccount.tryTake(requester.username)) {
      throw new ServerError('RATE_LIMITED', 'too many key bundle requests; wait a moment and try again');
    }
    const devices = this.accounts.devices(username);
    if (devices.length === 0) throw new ServerError('NOT_FOUND', `no user named "${username}"`);
    // Counted per bundle, not per device: a bundle takes one key of each kind from each of the target's devices.
    const withOneTime = this.oneTimePerTarget.tryTake(username);
    const taken = this.db.transaction(() =>
      devices.flatMap((device) => {
        const bundle = this.prekeys.takeBundle(username, device.deviceId, withOneTime);
        return bundle ? [{ deviceId: device.deviceId, identityKey: device.identityKey, ...bundle }] : [];
      }),
    )();
    if (taken.length === 0) throw new ServerError('NOT_FOUND', `"${username}" has no device that can receive messages`);
    for (const device of devices) {
      const status = this.status(username, device.deviceId);
      if (status.low) this.onLow(username, device.deviceId, status);
    }
    return { username, devices: taken };
  }

  /**
   * Adds one-time prekeys (a refill), and replaces the signed prekey and the
   * last-resort KEM prekey (a rotation, X3DH §3.2, PQXDH §3.2): bundles carry
   * the new ones from then on. Every signature is checked first.
   */
  upload(device: AuthenticatedDevice, upload: PreKeyUpload): PreKeyStatus {
    const identity = this.accounts.device(device.username, device.deviceId);
    if (!identity) throw new ServerError('UNAUTHORIZED', 'device not registered');
    checkPreKeySignatures(identity.identityKey, upload.signedPreKey, upload.kemPreKeys ?? []);
    const oneTime = upload.oneTimePreKeys ?? [];
    if ((upload.kemPreKeys ?? []).filter((k) => k.lastResort).length > 1) throw new ServerError('BAD_REQUEST', 'at most one last-resort KEM prekey');
    this.db.transaction(() => {
      const signedPreKey = this.#replacement('signed prekey', this.prekeys.signedPreKey(device.username, device.deviceId), upload.signedPreKey);
      const lastResort = (upload.kemPreKeys ?? []).find((k) => k.lastResort);
      const newLastResort = this.#replacement('last-resort KEM prekey', this.prekeys.lastResortKemPreKey(device.username, device.deviceId), lastResort);
      const kem = (upload.kemPreKeys ?? []).filter((k) => !k.lastResort || newLastResort !== undefined);
      if (this.prekeys.hasAnyId(device.username, device.deviceId, oneTime.map((k) => k.id), kem.map((k) => k.id))) {
        throw new ServerError('BAD_REQUEST', 'a prekey with one of these ids is already stored: use new ids');
      }
      const counts = this.prekeys.counts(device.username, device.deviceId);
      const oneTimeKem = kem.filter((k) => !k.lastResort).length;
      if (counts.oneTimePreKeys + oneTime.length > MAX_STORED_ONE_TIME_PREKEYS || counts.kemPreKeys + oneTimeKem > MAX_STORED_ONE_TIME_PREKEYS) {
        throw new ServerError('BAD_REQUEST', `a device may store at most ${MAX_STORED_ONE_TIME_PREKEYS} one-time prekeys of each kind`);
      }
      if (signedPreKey) this.prekeys.setSignedPreKey(device.username, device.deviceId, signedPreKey, this.now());
      this.prekeys.addOneTimePreKeys(device.username, device.deviceId, oneTime);
      this.prekeys.addKemPreKeys(device.username, device.deviceId, kem);
    })();
    return this.status(device.username, device.deviceId);
  }

  /**
   * A replacement for a device's signed or last-resort KEM prekey, or undefined
   * when there is none to make. Ids only go up, so a late message naming an old
   * id never meets another key under it; the same key sent again (a rotation
   * whose answer was lost, retried) changes nothing.
   */
  #replacement<K extends { id: number; publicKey: Uint8Array; signature: Uint8Array }>(what: string, current: K | undefined, next: K | undefined): K | undefined {
    if (!next || !current || next.id > current.id) return next;
    if (next.id === current.id && bytesEqual(next.publicKey, current.publicKey) && bytesEqual(next.signature, current.signature)) return undefined;
    throw new ServerError('BAD_REQUEST', `${what} id ${next.id} is not above the current one (${current.id}): use a new id`);
  }

  status(username: string, deviceId: number): PreKeyStatus {
    const counts = this.prekeys.counts(username, deviceId);
    return { ...counts, low: counts.oneTimePreKeys < PREKEY_LOW_WATERMARK || counts.kemPreKeys < PREKEY_LOW_WATERMARK };
  }
}
