import { beforeAll, describe, expect, it } from 'vitest';
import vectors from './vectors/rfc5869-sha256.json' with { type: 'json' };
import { hkdf, hkdfExpand, hkdfExtract, hmacSha256 } from './hkdf.js';
import { cryptoReady, sodium } from './sodium.js';
import { isCryptoError } from './errors.js';

const hex = (text: string) => sodium().from_hex(text);
const toHex = (bytes: Uint8Array) => sodium().to_hex(bytes);

beforeAll(async () => {
  await cryptoReady();
});

describe('HKDF-SHA256 (RFC 5869)', () => {
  for (const v of vectors.cases) {
    it(`matches ${v.name}`, () => {
      const prk = hkdfExtract(hex(v.salt), hex(v.ikm));
      expect(toHex(prk)).toBe(v.prk);
      expect(toHex(hkdfExpand(prk, hex(v.info), v.length))).toBe(v.okm);
      expect(toHex(hkdf(hex(v.ikm), hex(v.salt), hex(v.info), v.length))).toBe(v.okm);
    });
  }

  it('treats an absent salt as HashLen zero bytes (RFC 5869 §2.2)', () => {
    const ikm = hex('0b0b0b0b');
    expect(toHex(hkdfExtract(undefined, ikm))).toBe(toHex(hkdfExtract(new Uint8Array(32), ikm)));
  });

  it('refuses output lengths outside 1..255*HashLen and short PRKs', () => {
    const prk = new Uint8Array(32);
    for (const length of [0, -1, 1.5, 255 * 32 + 1]) {
      expect(() => hkdfExpand(prk, new Uint8Array(0), length)).toThrow(/length must be/);
    }
    expect(() => hkdfExpand(new Uint8Array(16), new Uint8Array(0), 32)).toSatisfy((fn: () => void) => {
      try {
        fn();
        return false;
      } catch (error) {
        return isCryptoError(error, 'INVALID_ARGUMENT');
      }
    });
    expect(hkdfExpand(prk, new Uint8Array(0), 255 * 32)).toHaveLength(255 * 32);
  });

  it('computes HMAC with keys of any length (RFC 4231 test case 2, key "Jefe")', () => {
    const mac = hmacSha256(new TextEncoder().encode('Jefe'), new TextEncoder().encode('what do ya want for nothing?'));
    expect(toHex(mac)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
});
