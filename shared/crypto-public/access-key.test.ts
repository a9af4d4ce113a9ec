import { hkdfSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_KEY_BYTES, deriveAccessKey, generateProfileKey, PROFILE_KEY_BYTES } from './access-key.js';
import { cryptoReady } from './sodium.js';

beforeAll(cryptoReady);

describe('unidentified access key', () => {
  it('is HKDF-SHA256 of the profile key, 16 bytes (checked against Node’s own HKDF)', () => {
    const profileKey = Uint8Array.from({ length: PROFILE_KEY_BYTES }, (_, i) => i);
    const expected = new Uint8Array(hkdfSync('sha256', profileKey, new Uint8Array(0), 'Envelope_UnidentifiedAccessKey', ACCESS_KEY_BYTES));
    expect(deriveAccessKey(profileKey)).toEqual(expected);
  });

  it('differs for different profile keys and repeats for the same one', () => {
    const a = generateProfileKey();
    const b = generateProfileKey();
    expect(a).not.toEqual(b);
    expect(deriveAccessKey(a)).toEqual(deriveAccessKey(a));
    expect(deriveAccessKey(a)).not.toEqual(deriveAccessKey(b));
  });

  it('refuses a profile key of the wrong size', () => {
    expect(() => deriveAccessKey(new Uint8Array(16))).toThrow(/32 bytes/);
  });
});
