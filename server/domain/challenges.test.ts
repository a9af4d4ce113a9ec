import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHALLENGE_BYTES } from '@envelope/protocol';
import { CHALLENGE_TTL_MS, Challenges } from './challenges.js';

const T0 = 1_800_000_000_000;

describe('stateless challenges', () => {
  it('hold no state when handed out: only a challenge presented back is remembered', () => {
    const challenges = new Challenges(randomBytes(32), () => T0);
    const issued = Array.from({ length: 20_000 }, () => challenges.issue().challenge);
    expect(issued[0]!.length).toBe(CHALLENGE_BYTES);
    expect(challenges.spentCount).toBe(0);
    expect(challenges.spend(issued[7]!)).toBeUndefined();
    expect(challenges.spentCount).toBe(1);
  });

  it('work once, until their expiry, and the spent set forgets them after it', () => {
    let now = T0;
    const challenges = new Challenges(randomBytes(32), () => now);
    const { challenge, expiresAt } = challenges.issue();
    expect(expiresAt).toBe(T0 + CHALLENGE_TTL_MS);
    const late = challenges.issue().challenge;
    expect(challenges.spend(challenge)).toBeUndefined();
    expect(challenges.spend(challenge)).toBe('spent');
    now = expiresAt + 1;
    expect(challenges.spend(late)).toBe('expired');
    expect(challenges.spend(challenge)).toBe('expired');
    challenges.sweep();
    expect(challenges.spentCount).toBe(0);
  });

  it('sweeps expired nonces as the set grows, so it stays bounded by the sign-ins of one lifetime', () => {
    let now = T0;
    const challenges = new Challenges(randomBytes(32), () => now);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3_000; i++) expect(challenges.spend(challenges.issue().challenge)).toBeUndefined();
      now += CHALLENGE_TTL_MS + 1;
    }
    expect(challenges.spentCount).toBeLessThanOrEqual(6_000);
  });

  it('refuse anything not made with this key', () => {
    const challenges = new Challenges(randomBytes(32), () => T0);
    const other = new Challenges(randomBytes(32), () => T0);
    expect(challenges.spend(other.issue().challenge)).toBe('forged');
    expect(challenges.spend(new Uint8Array(CHALLENGE_BYTES))).toBe('forged');
    expect(challenges.spend(new Uint8Array(32))).toBe('malformed');
  });
});
