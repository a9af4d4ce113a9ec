import { beforeAll, describe, expect, it } from 'vitest';
import vector from './vectors/safety-number.json' with { type: 'json' };
import { utf8Encode, cryptoReady, sodium } from '@envelope/crypto-public';
import { generateIdentityKeyPair } from './identity.js';
import { formatSafetyNumber, numericFingerprint, safetyNumberKey, safetyNumberKeys } from './safety-number.js';

beforeAll(async () => {
  await cryptoReady();
});

describe('numericFingerprint (Signal numeric fingerprint, version 0)', () => {
  it("reproduces libsignal's published test vector from both sides", async () => {
    const aliceKey = sodium().from_hex(vector.aliceKey);
    const bobKey = sodium().from_hex(vector.bobKey);
    const alice = utf8Encode(vector.aliceId);
    const bob = utf8Encode(vector.bobId);
    expect(await numericFingerprint(alice, aliceKey, bob, bobKey, vector.iterations)).toBe(vector.displayable);
    expect(await numericFingerprint(bob, bobKey, alice, aliceKey, vector.iterations)).toBe(vector.displayable);
  });

  it('uses 5200 iterations by default', async () => {
    const aliceKey = sodium().from_hex(vector.aliceKey);
    const bobKey = sodium().from_hex(vector.bobKey);
    expect(await numericFingerprint(utf8Encode(vector.aliceId), aliceKey, utf8Encode(vector.bobId), bobKey)).toBe(vector.displayable);
  });

  it('is equal on both sides and changes when either identity key changes', async () => {
    const alice = safetyNumberKey(generateIdentityKeyPair().publicKey);
    const bob = safetyNumberKey(generateIdentityKeyPair().publicKey);
    const aliceNew = safetyNumberKey(generateIdentityKeyPair().publicKey);
    const bobNew = safetyNumberKey(generateIdentityKeyPair().publicKey);
    const a = utf8Encode('alice');
    const b = utf8Encode('bob');
    const original = await numericFingerprint(a, alice, b, bob);
    expect(original).toMatch(/^\d{60}$/);
    expect(await numericFingerprint(b, bob, a, alice)).toBe(original);
    expect(await numericFingerprint(a, aliceNew, b, bob)).not.toBe(original);
    expect(await numericFingerprint(a, alice, b, bobNew)).not.toBe(original);
    expect(await numericFingerprint(b, bobNew, a, alice)).not.toBe(original);
  });

  it('prefixes identity keys with the 0x05 type byte', () => {
    const key = generateIdentityKeyPair().publicKey;
    const encoded = safetyNumberKey(key);
    expect(encoded[0]).toBe(0x05);
    expect(encoded.subarray(1)).toEqual(key);
  });

  it("one device's key list is the single key: libsignal's vector holds through safetyNumberKeys", async () => {
    const aliceKey = sodium().from_hex(vector.aliceKey);
    const bobKey = sodium().from_hex(vector.bobKey);
    const alice = utf8Encode(vector.aliceId);
    const bob = utf8Encode(vector.bobId);
    // The vector's keys are already serialised (0x05 ‖ key): strip the type byte to pass raw keys.
    const aliceList = safetyNumberKeys([aliceKey.subarray(1)]);
    const bobList = safetyNumberKeys([bobKey.subarray(1)]);
    expect(aliceList).toEqual(aliceKey);
    expect(await numericFingerprint(alice, aliceList, bob, bobList, vector.iterations)).toBe(vector.displayable);
  });

  it('covers every device: another device changes the number, the order of the list does not', async () => {
    const alice = safetyNumberKey(generateIdentityKeyPair().publicKey);
    const bobPhone = generateIdentityKeyPair().publicKey;
    const ghost = generateIdentityKeyPair().publicKey;
    const a = utf8Encode('alice');
    const b = utf8Encode('bob');
    const oneDevice = await numericFingerprint(a, alice, b, safetyNumberKeys([bobPhone]));
    const withGhost = await numericFingerprint(a, alice, b, safetyNumberKeys([bobPhone, ghost]));
    expect(withGhost).not.toBe(oneDevice);
    expect(await numericFingerprint(a, alice, b, safetyNumberKeys([ghost, bobPhone]))).toBe(withGhost);
    expect(safetyNumberKeys([bobPhone, ghost])).toHaveLength(66);
    expect(() => safetyNumberKeys([])).toThrow(/at least one identity key/);
  });

  it('formats as twelve groups of five digits', () => {
    expect(formatSafetyNumber(vector.displayable)).toHaveLength(12);
    expect(formatSafetyNumber(vector.displayable)[0]).toBe('30035');
  });
});
