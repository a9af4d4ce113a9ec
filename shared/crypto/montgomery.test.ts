import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CryptoError, cryptoReady, sodium } from '@envelope/crypto-public';
import { dh, generateIdentityKeyPair } from './identity.js';
import { edwardsToMontgomery } from './montgomery.js';

beforeAll(async () => {
  await cryptoReady();
});

describe('edwardsToMontgomery', () => {
  it("agrees with libsodium's conversion on random Ed25519 keys", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const { publicKey } = sodium().crypto_sign_seed_keypair(seed);
        expect(edwardsToMontgomery(publicKey)).toEqual(sodium().crypto_sign_ed25519_pk_to_curve25519(publicKey));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the key that matches the X25519 form of the secret key', () => {
    const identity = generateIdentityKeyPair();
    expect(edwardsToMontgomery(identity.publicKey)).toEqual(sodium().crypto_scalarmult_base(identity.dhPrivateKey));
  });

  it('refuses non-canonical encodings and the neutral point', () => {
    const neutral = new Uint8Array(32);
    neutral[0] = 1; // y = 1
    const nonCanonical = new Uint8Array(32).fill(0xff);
    nonCanonical[31] = 0x7f; // y = 2^255 - 1 >= p
    for (const key of [neutral, nonCanonical]) {
      expect(() => edwardsToMontgomery(key)).toThrowError(CryptoError);
    }
  });

  it('a small-order key converts, and DH with it is refused (all-zero output)', () => {
    // y = 0 encodes a point of order 4; its Montgomery form has small order too.
    const smallOrder = new Uint8Array(32);
    const u = edwardsToMontgomery(smallOrder);
    const me = generateIdentityKeyPair();
    let code: string | undefined;
    try {
      dh(me.dhPrivateKey, u);
    } catch (error) {
      code = (error as CryptoError).code;
    }
    expect(code).toBe('INVALID_KEY');
  });
});
