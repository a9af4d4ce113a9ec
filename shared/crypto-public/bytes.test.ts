import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromBase64Url, readUint64BE, toBase64Url, uint32BE, uint64BE } from './bytes.js';
import { CryptoError } from './errors.js';
import { cryptoReady, sodium } from './sodium.js';

beforeAll(async () => {
  await cryptoReady();
});

describe('base64url', () => {
  it("round-trips any bytes and matches libsodium's URL-safe, unpadded encoding", () => {
    fc.assert(
      // Up to 1,300 bytes: both encoding paths, short keys and a pending handshake (1.2 KB).
      fc.property(fc.uint8Array({ maxLength: 1300 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toBe(sodium().to_base64(bytes, sodium().base64_variants.URLSAFE_NO_PADDING));
        expect(fromBase64Url(text, 'x')).toEqual(bytes);
      }),
    );
  });

  it('refuses bad characters, padding, impossible lengths, non-canonical trailing bits and wrong sizes, naming the field', () => {
    for (const bad of ['a+b/', 'AAA=', 'A', 'AB!C', 'AB', 'é', 42, null]) {
      let error: unknown;
      try {
        fromBase64Url(bad, 'signedPreKey');
      } catch (e) {
        error = e;
      }
      if (bad === 'AB') continue; // 'AB' is non-canonical: checked below
      expect(error).toBeInstanceOf(CryptoError);
      expect((error as Error).message).toContain('signedPreKey');
    }
    expect(() => fromBase64Url('AB', 'x')).toThrowError(CryptoError); // low bits of 'B' are not zero
    expect(fromBase64Url('AA', 'x')).toEqual(Uint8Array.of(0));
    expect(() => fromBase64Url(toBase64Url(new Uint8Array(31)), 'key', 32)).toThrowError(/must decode to 32 bytes/);
  });
});

describe('integers', () => {
  it('encodes big-endian and refuses out-of-range values', () => {
    expect(uint32BE(0x01020304)).toEqual(Uint8Array.of(1, 2, 3, 4));
    expect(readUint64BE(uint64BE(Number.MAX_SAFE_INTEGER), 0)).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of [-1, 2 ** 32, 1.5, NaN]) expect(() => uint32BE(bad)).toThrowError(CryptoError);
    expect(() => uint64BE(-1)).toThrowError(CryptoError);
  });
});
