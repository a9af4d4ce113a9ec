/**
 * Registration: a username, a first device, and its public keys. Every
 * signature is checked here, at the door, so a bad upload is refused instead of
 * breaking other people's handshakes later.
 */
import { encodeKemPublicKey, encodePublicKey, verifySignature } from '@envelope/crypto-public';
import { registrationProof, type IdentityResetRequestSchema, type RegisterRequestSchema } from '@envelope/protocol';
import type { z } from 'zod';
import { ServerError } from '../errors.js';
import type { Db } from '../storage/database.js';
import type { AccountsRepo } from '../storage/accounts-repo.js';
import type { PrekeysRepo, StoredKemPreKey, StoredSignedPreKey } from '../storage/prekeys-repo.js';
import type { AuthenticatedDevice, AuthService } from './auth.js';

export type RegisterRequest = z.output<typeof RegisterRequestSchema>;
export type IdentityResetRequest = z.output<typeof IdentityResetRequestSchema>;

/** Every account's first (and, today, only) device. */
export const FIRST_DEVICE_ID = 1;

export function checkPreKeySignatures(
  identityKey: Uint8Array,
  signedPreKey: StoredSignedPreKey | undefined,
  kemPreKeys: readonly StoredKemPreKey[],
): void {
  if (signedPreKey && !verifySignature(identityKey, encodePublicKey(signedPreKey.publicKey), signedPreKey.signature)) {
    throw new ServerError('INVALID_SIGNATURE', 'the signed prekey signature does not verify under the identity key');
  }
  const bad = kemPreKeys.find((k) => !verifySignature(identityKey, encodeKemPublicKey(k.publicKey), k.signature));
  if (bad) throw new ServerError('INVALID_SIGNATURE', `KEM prekey ${bad.id}: signature does not verify under the identity key`);
}

export class AccountService {
  readonly #joinedListeners = new Set<(username: string) => void>();

  constructor(
    private readonly db: Db,
    private readonly accounts: AccountsRepo,
    private readonly prekeys: PrekeysRepo,
    private readonly auth: AuthService,
    /** Told after a device's identity key was replaced (the relay closes its live connection). */
    private readonly onIdentityReplaced: (username: string, deviceId: number) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  register(request: RegisterRequest): { username: string; deviceId: number; token: string; expiresAt: number } {
    this.auth.consumeChallenge(request.challenge);
    if (!verifySignature(request.identityKey, registrationProof(request.challenge, request.username), request.signature)) {
      throw new ServerError('INVALID_SIGNATURE', 'registration proof does not verify under the identity key');
    }
    checkPreKeySignatures(request.identityKey, request.signedPreKey, request.kemPreKeys);
    const now = this.now();
    const created = this.db.transaction(() => {
      const ok = this.accounts.create(
        { username: request.username, createdAt: now, ageBand: request.ageBand ?? null },
        { deviceId: FIRST_DEVICE_ID, identityKey: request.identityKey, registeredAt: now },
      );
      if (!ok) return false;
      if (request.accessKey) this.accounts.setAccessKey(request.username, request.accessKey);
      this.prekeys.setSignedPreKey(request.username, FIRST_DEVICE_ID, request.signedPreKey, now);
      this.prekeys.addOneTimePreKeys(request.username, FIRST_DEVICE_ID, request.oneTimePreKeys);
      this.prekeys.addKemPreKeys(request.username, FIRST_DEVICE_ID, request.kemPreKeys);
      return true;
    })();
    if (!created) throw new ServerError('USERNAME_TAKEN', `the username "${request.username}" is taken`);
    for (const listener of this.#joinedListeners) listener(request.username);
    return { username: request.username, deviceId: FIRST_DEVICE_ID, ...this.auth.issueToken(request.username, FIRST_DEVICE_ID) };
  }

  /** Runs `listener` after each new account is committed (the guided lesson's "someone joined"); returns the unsubscribe. */
  onJoined(listener: (username: string) => void): () => void {
    this.#joinedListeners.add(listener);
    return () => void this.#joinedListeners.delete(listener);
  }

  /**
   * PUT /api/devices/self/identity: the signed-in device (its token stands for
   * the old key) starts over with a new identity key, proven by a signature over
   * registrationProof with a fresh challenge, exactly as at sign-up. Its old
   * prekeys (signed by the old key) and every token it holds are dropped; it
   * gets a new token. Every check runs before anything is written.
   */
  resetIdentity(device: AuthenticatedDevice, request: IdentityResetRequest): { username: string; deviceId: number; token: string; expiresAt: number } {
    this.auth.consumeChallenge(request.challenge);
    if (!verifySignature(request.identityKey, registrationProof(request.challenge, device.username), request.signature)) {
      throw new ServerError('INVALID_SIGNATURE', 'registration proof does not verify under the new identity key');
    }
    checkPreKeySignatures(request.identityKey, request.signedPreKey, request.kemPreKeys);
    const { username, deviceId } = device;
    const replaced = this.db.transaction(() => {
      if (!this.accounts.replaceIdentityKey(username, deviceId, request.identityKey, this.now())) return false;
      this.prekeys.deleteAll(username, deviceId);
      this.prekeys.setSignedPreKey(username, deviceId, request.signedPreKey, this.now());
      this.prekeys.addOneTimePreKeys(username, deviceId, request.oneTimePreKeys);
      this.prekeys.addKemPreKeys(username, deviceId, request.kemPreKeys);
      this.auth.revokeDevice(username, deviceId);
      return true;
    })();
    if (!replaced) throw new ServerError('UNAUTHORIZED', 'device not registered');
    this.onIdentityReplaced(username, deviceId);
    return { username, deviceId, ...this.auth.issueToken(username, deviceId) };
  }
}
