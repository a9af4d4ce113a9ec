/**
 * Stateless sign-in challenges. The server used to keep every challenge it
 * handed out in a Map capped at 10,000, and refused all sign-ins once it was
 * full: 199 addresses asking 60 times each (within the per-address limit)
 * locked everyone out for a minute. Now a challenge carries its own proof:
 *
 *   challenge = nonce (16 random bytes) ‖ expiresAt (uint64 BE, ms) ‖ HMAC-SHA256(key, LABEL ‖ nonce ‖ expiresAt)
 *
 * with a key only the server has (server-secrets.json), so handing one out
 * costs no memory and a flood of them locks nobody out. The server checks the
 * tag and the expiry when the challenge comes back.
 *
 * One use: a challenge is spent when it is presented, and a spent nonce is
 * remembered until the challenge's own expiry, after which the expiry check
 * refuses it anyway. That set is the only state, and it grows only with
 * challenges presented back (each one a rate-limited request per address),
 * never with challenges merely asked for; it is pruned of expired nonces as
 * it grows and by the hourly housekeeping, and it has no cap that could
 * refuse a legitimate sign-in.
 *
 * The challenge does not name an account: the device's signature covers the
 * challenge together with the username and device id (shared/protocol/auth.ts),
 * which binds one challenge to one account already, and keeps the request for
 * a challenge free of any name.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CHALLENGE_BYTES } from '@envelope/protocol';

export const CHALLENGE_TTL_MS = 60_000;
const NONCE_BYTES = 16;
const EXPIRY_BYTES = 8;
const TAG_BYTES = 32;
const LABEL = Buffer.from('Envelope sign-in challenge v1\0');
/** The spent-nonce set is swept of expired entries when it doubles past this size. */
const FIRST_SWEEP_AT = 1_024;

if (NONCE_BYTES + EXPIRY_BYTES + TAG_BYTES !== CHALLENGE_BYTES) throw new Error('challenge layout does not match CHALLENGE_BYTES');

export type ChallengeProblem = 'malformed' | 'forged' | 'expired' | 'spent';

export class Challenges {
  /** Spent nonces (base64url) and when their challenge expires. */
  private readonly spent = new Map<string, number>();
  private sweepAt = FIRST_SWEEP_AT;

  constructor(
    private readonly key: Uint8Array,
    private readonly now: () => number = Date.now,
  ) {
    if (key.length < 32) throw new Error('the challenge key must be at least 32 bytes');
  }

  issue(): { challenge: Uint8Array; expiresAt: number } {
    const expiresAt = this.now() + CHALLENGE_TTL_MS;
    const head = Buffer.alloc(NONCE_BYTES + EXPIRY_BYTES);
    randomBytes(NONCE_BYTES).copy(head, 0);
    head.writeBigUInt64BE(BigInt(expiresAt), NONCE_BYTES);
    return { challenge: new Uint8Array(Buffer.concat([head, this.tag(head)])), expiresAt };
  }

  /** Checks a challenge and spends it; the reason it is refused, or undefined if it was good. */
  spend(challenge: Uint8Array): ChallengeProblem | undefined {
    if (challenge.length !== CHALLENGE_BYTES) return 'malformed';
    const bytes = Buffer.from(challenge.buffer, challenge.byteOffset, challenge.byteLength);
    const head = bytes.subarray(0, NONCE_BYTES + EXPIRY_BYTES);
    if (!timingSafeEqual(this.tag(head), bytes.subarray(NONCE_BYTES + EXPIRY_BYTES))) return 'forged';
    const now = this.now();
    const expiresAt = Number(head.readBigUInt64BE(NONCE_BYTES));
    if (expiresAt < now) return 'expired';
    const nonce = head.subarray(0, NONCE_BYTES).toString('base64url');
    if (this.spent.has(nonce)) return 'spent';
    this.spent.set(nonce, expiresAt);
    if (this.spent.size >= this.sweepAt) {
      this.sweep(now);
      this.sweepAt = Math.max(FIRST_SWEEP_AT, this.spent.size * 2);
    }
    return undefined;
  }

  /** Forgets spent nonces whose challenges have expired (the expiry check refuses them now). */
  sweep(now = this.now()): void {
    for (const [nonce, expiresAt] of this.spent) if (expiresAt < now) this.spent.delete(nonce);
  }

  get spentCount(): number {
    return this.spent.size;
  }

  private tag(head: Buffer): Buffer {
    return createHmac('sha256', this.key).update(LABEL).update(head).digest();
  }
}
