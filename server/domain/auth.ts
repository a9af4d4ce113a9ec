/**
 * Who is who. A device proves it holds its identity key by signing a fresh,
 * single-use server challenge (shared/protocol/auth.ts says exactly what is
 * signed); it gets a bearer token, kept here only as a hash. There are no
 * passwords. A token names one (username, device), and every request acts as
 * that device and no other.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { toBase64Url } from '../../shared/crypto/bytes.js';
import { verifySignature } from '../../shared/crypto/signatures.js';
import { sessionProof } from '../../shared/protocol/auth.js';
import { CHALLENGE_BYTES } from '../../shared/protocol/limits.js';
import { ServerError } from '../errors.js';
import type { AccountsRepo } from '../storage/accounts-repo.js';
import type { TokensRepo } from '../storage/tokens-repo.js';

export const CHALLENGE_TTL_MS = 60_000;
export const TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
/** Outstanding challenges kept in memory at most; beyond, new ones are refused (flood). */
const MAX_OUTSTANDING_CHALLENGES = 10_000;

export interface AuthenticatedDevice {
  readonly username: string;
  readonly deviceId: number;
}

export function hashToken(token: string): Uint8Array {
  return createHash('sha256').update(token).digest();
}

export class AuthService {
  private readonly challenges = new Map<string, number>();

  constructor(
    private readonly accounts: AccountsRepo,
    private readonly tokens: TokensRepo,
    private readonly now: () => number = Date.now,
  ) {}

  issueChallenge(): { challenge: Uint8Array; expiresAt: number } {
    const now = this.now();
    if (this.challenges.size >= MAX_OUTSTANDING_CHALLENGES) this.dropExpiredChallenges(now);
    if (this.challenges.size >= MAX_OUTSTANDING_CHALLENGES) {
      throw new ServerError('RATE_LIMITED', 'too many sign-ins in progress; try again shortly');
    }
    const challenge = new Uint8Array(randomBytes(CHALLENGE_BYTES));
    const expiresAt = now + CHALLENGE_TTL_MS;
    this.challenges.set(toBase64Url(challenge), expiresAt);
    return { challenge, expiresAt };
  }

  /** A challenge works once, and only before it expires. */
  consumeChallenge(challenge: Uint8Array): void {
    const key = toBase64Url(challenge);
    const expiresAt = this.challenges.get(key);
    this.challenges.delete(key);
    if (expiresAt === undefined || expiresAt < this.now()) {
      throw new ServerError('UNAUTHORIZED', 'unknown or expired challenge: request a new one');
    }
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
    this.dropExpiredChallenges(this.now());
    this.tokens.deleteExpired(this.now());
  }

  private dropExpiredChallenges(now: number): void {
    for (const [key, expiresAt] of this.challenges) if (expiresAt < now) this.challenges.delete(key);
  }
}

/** Constant-time comparison for the operator token. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
