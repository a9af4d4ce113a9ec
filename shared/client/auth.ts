/**
 * Bearer tokens for this device. Authentication is possession of the identity
 * key (shared/protocol/auth.ts): sign a fresh server challenge, get a token.
 * Tokens expire, so a request that comes back 401 logs in again, once.
 * Tokens are kept in memory only: one more signature is cheaper than a stored
 * credential.
 */
import { sign, type IdentityKeyPair } from '@envelope/crypto';
import { toBase64Url } from '@envelope/crypto-public';
import { registrationProof, sessionProof } from '@envelope/protocol';
import type { SelfRecord } from './key-storage.js';
import { ClientError, isClientError } from './errors.js';
import type { ServerApi, SessionGranted } from './server-api.js';

/** Renew a little before the server's expiry, so a token does not lapse in flight. */
const EXPIRY_MARGIN_MS = 30_000;

/** Sig(IK, registrationProof(challenge, username)), base64url, for RegisterRequest. */
export function signRegistration(identity: IdentityKeyPair, challenge: Uint8Array, username: string): string {
  return toBase64Url(sign(identity, registrationProof(challenge, username)));
}

/** Logs in with the identity key: SessionRequest over a fresh challenge. */
export async function logIn(api: ServerApi, self: SelfRecord, identity: IdentityKeyPair): Promise<SessionGranted> {
  const { challenge } = await api.challenge();
  try {
    return await api.openSession({
      username: self.username,
      deviceId: self.deviceId,
      challenge: toBase64Url(challenge),
      signature: toBase64Url(sign(identity, sessionProof(challenge, self.username, self.deviceId))),
    });
  } catch (error) {
    if (isClientError(error, 'AUTH_FAILED') || isClientError(error, 'UNKNOWN_USER')) {
      throw new ClientError('AUTH_FAILED', `the server does not accept this profile's key for ${self.username}`, { username: self.username });
    }
    throw error;
  }
}

export class TokenSource {
  #granted: SessionGranted | null = null;
  #pending: Promise<SessionGranted> | null = null;

  constructor(
    private readonly api: ServerApi,
    private readonly self: SelfRecord,
    private readonly identity: IdentityKeyPair,
    private readonly now: () => number,
  ) {}

  /** Remembers a token the server just granted (at registration). */
  adopt(granted: SessionGranted): void {
    this.#granted = granted;
  }

  /** A valid token; `fresh` forces a new login (after a 401 or a 4401 close). */
  async token(fresh = false): Promise<string> {
    if (fresh) this.#granted = null;
    if (this.#granted && this.#granted.expiresAt - EXPIRY_MARGIN_MS > this.now()) return this.#granted.token;
    // Concurrent callers share one login.
    this.#pending ??= logIn(this.api, this.self, this.identity).finally(() => {
      this.#pending = null;
    });
    this.#granted = await this.#pending;
    return this.#granted.token;
  }

  /** Runs an authenticated request; on 401 logs in again and retries once. */
  async authed<T>(request: (token: string) => Promise<T>): Promise<T> {
    try {
      return await request(await this.token());
    } catch (error) {
      if (!isClientError(error, 'AUTH_FAILED') || error.details.status !== 401) throw error;
      return request(await this.token(true));
    }
  }
}
