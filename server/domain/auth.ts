/**
 * Who is who. A device proves it holds its identity key by signing a fresh,
 * single-use server challenge (shared/protocol/auth.ts says exactly what is
 * signed; challenges.ts how a challenge is made and checked without state);
 * it gets a bearer token, kept here only as a hash. There are no passwords. A
 * token names one (username, device), and every request acts as that device
 * and no other.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { verifySignature } from '@envelope/crypto-public';
import { sessionProof } from '@envelope/protocol';
import { ServerError } from '../errors.js';
import type { AccountsRepo } from '../storage/accounts-repo.js';
import type { TokensRepo } from '../storage/tokens-repo.js';
import { Challenges } from './challenges.js';

export { CHALLENGE_TTL_MS } from './challenges.js';
export const TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export interface AuthenticatedDevice {
  readonly username: string;
  readonly deviceId: number;
}

export function hashToken(token: string): Uint8Array {
  return createHash('sha256').update(token).digest();
}

export class AuthService {
  private readonly challenges: Challenges;

  constructor(
    private readonly accounts: AccountsRepo,
    private readonly tokens: TokensRepo,
    /** The server's HMAC key for challenges (server-secrets.json). */
    challengeKey: Uint8Array,
    private readonly now: () => number = Date.now,
  ) {
    this.challenges = new Challenges(challengeKey, now);
  }

  /** Costs the server no memory: any number may be outstanding. */
  issueChallenge(): { challenge: Uint8Array; expiresAt: number } {
    return this.challenges.issue();
  }

  /** A challenge works once, and only before it expires. */
  consumeChallenge(challenge: Uint8Array): void {
    const problem = this.challenges.spend(challenge);
    if (problem === 'spent') throw new ServerError('UNAUTHORIZED', 'that challenge was already used: request a new one');
    if (problem) throw new ServerError('UNAUTHORIZED', 'unknown or expired challenge: request a new one');
  }

  issueToken(username: string, deviceId: number): { token: string; expiresAt: number } {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + TOKEN_TTL_MS;
    this.tokens.insert(hashToken(token), username, deviceId, expiresAt);
    return { token, expiresAt };
  }

  /** Every token of a device stops working (its identity key was replaced). */
  revokeDevice(username: string, deviceId: number): void {
    this.tokens.deleteForDevice(username, deviceId);
  }

  /** POST /api/auth/session: a device signs a challenge and gets a token. */
  signIn(username: string, deviceId: number, challenge: Uint8Array, signature: Uint8Array): { token: string; expiresAt: number } {
    this.consumeChallenge(challenge);
    const device = this.accounts.device(username, deviceId);
    // The same answer for "no such device" and "bad signature": no probing for accounts.
    if (!device || !verifySignature(device.identityKey, sessionProof(challenge, username, deviceId), signature)) {
      throw new ServerError('UNAUTHORIZED', 'signature does not match a registered device');
    }
    return this.issueToken(username, deviceId);
  }

  authenticate(token: string | undefined): AuthenticatedDevice | undefined {
    if (!token || token.length > 128) return undefined;
    const found = this.tokens.find(hashToken(token), this.now());
    return found && { username: found.username, deviceId: found.deviceId };
  }

  pruneExpired(): void {
    this.challenges.sweep();
    this.tokens.deleteExpired(this.now());
  }
}

/** Constant-time comparison for the operator token. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
