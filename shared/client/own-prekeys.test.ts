import { beforeAll, describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url, cryptoReady } from '@envelope/crypto-public';
import { verifyPreKeyBundle } from '@envelope/crypto';
import { PreKeyUploadSchema, RegisterRequestSchema, type Username, CHALLENGE_BYTES } from '@envelope/protocol';
import { loadIdentity } from './key-storage.js';
import { generateAccountKeys, generatePreKeyRefill, generateReplacementKeys, TARGET_ONE_TIME_KEM_PREKEYS, TARGET_ONE_TIME_PREKEYS } from './own-prekeys.js';
import { confirmRotation, prepareRotation, PREKEY_ROTATION_INTERVAL_MS } from './prekey-rotation.js';
import { OneTimePreKeyKind, SelfKind } from './record-schemas.js';
import { MemoryStore } from './store.js';
import { readRecord } from './store-records.js';

beforeAll(async () => {
  await cryptoReady();
});

const alice = 'alice' as Username;

describe('own prekeys', () => {
  it('a new account has 100 one-time prekeys and 1 last-resort + 20 one-time KEM prekeys, in a request the server schema accepts', () => {
    const keys = generateAccountKeys(alice, 'http://x.test', 1);
    expect(keys.upload.oneTimePreKeys).toHaveLength(TARGET_ONE_TIME_PREKEYS);
    expect(keys.upload.kemPreKeys.filter((k) => k.lastResort)).toHaveLength(1);
    expect(keys.upload.kemPreKeys.filter((k) => !k.lastResort)).toHaveLength(TARGET_ONE_TIME_KEM_PREKEYS);
    const request = { username: alice, ...keys.upload, challenge: toBase64Url(new Uint8Array(CHALLENGE_BYTES)), signature: toBase64Url(new Uint8Array(64)) };
    expect(RegisterRequestSchema.safeParse(request).success).toBe(true);
    expect(keys.self.registered).toBe(false);
  });

  it('every published key is signed by the identity, and the private halves stored match the public ones', async () => {
    const keys = generateAccountKeys(alice, 'http://x.test', 1);
    const identity = loadIdentity(keys.self.identity);
    expect(toBase64Url(identity.publicKey)).toBe(keys.upload.identityKey);
    for (const kem of keys.upload.kemPreKeys) {
      verifyPreKeyBundle({
        identityKey: identity.publicKey,
        signedPreKey: { ...keys.upload.signedPreKey, publicKey: fromBase64Url(keys.upload.signedPreKey.publicKey, 'spk'), signature: fromBase64Url(keys.upload.signedPreKey.signature, 'sig') },
        kemPreKey: { ...kem, publicKey: fromBase64Url(kem.publicKey, 'kem'), signature: fromBase64Url(kem.signature, 'sig') },
      });
    }
    const store = new MemoryStore();
    await store.put(keys.entries);
    for (const key of keys.upload.oneTimePreKeys) {
      expect((await readRecord(store, OneTimePreKeyKind, `otk/${key.id}`))?.publicKey).toEqual(fromBase64Url(key.publicKey, 'otk'));
    }
    expect(await store.list('kem/')).toHaveLength(TARGET_ONE_TIME_KEM_PREKEYS + 1);
  });

  it('a refill tops up to the targets with fresh ids, never reusing one', () => {
    const keys = generateAccountKeys(alice, 'http://x.test', 1);
    const identity = loadIdentity(keys.self.identity);
    const refill = generatePreKeyRefill(keys.self, identity, { oneTimePreKeys: 7, kemPreKeys: 3 })!;
    expect(refill.upload.oneTimePreKeys).toHaveLength(TARGET_ONE_TIME_PREKEYS - 7);
    expect(refill.upload.kemPreKeys).toHaveLength(TARGET_ONE_TIME_KEM_PREKEYS - 3);
    expect(refill.upload.kemPreKeys!.every((k) => !k.lastResort)).toBe(true);
    expect(PreKeyUploadSchema.safeParse(refill.upload).success).toBe(true);
    const usedIds = new Set(keys.upload.oneTimePreKeys.map((k) => k.id));
    expect(refill.upload.oneTimePreKeys!.some((k) => usedIds.has(k.id))).toBe(false);
    const usedKemIds = new Set(keys.upload.kemPreKeys.map((k) => k.id));
    expect(refill.upload.kemPreKeys!.some((k) => usedKemIds.has(k.id))).toBe(false);
    // The next refill starts after this one.
    const again = generatePreKeyRefill(refill.self, identity, { oneTimePreKeys: 99, kemPreKeys: 20 })!;
    expect(again.upload.oneTimePreKeys![0]!.id).toBe(refill.upload.oneTimePreKeys!.at(-1)!.id + 1);
    expect(again.upload.kemPreKeys).toBeUndefined();
  });

  it('no refill when the server holds enough', () => {
    const keys = generateAccountKeys(alice, 'http://x.test', 1);
    expect(generatePreKeyRefill(keys.self, loadIdentity(keys.self.identity), { oneTimePreKeys: 100, kemPreKeys: 25 })).toBeNull();
  });

  it('key ids never repeat across rotations, refills, a rotation whose answer was lost, and a key reset', async () => {
    const store = new MemoryStore();
    const keys = generateAccountKeys(alice, 'http://x.test', 0);
    await store.put(keys.entries);
    const identity = loadIdentity(keys.self.identity);
    const signedIds = [keys.upload.signedPreKey.id];
    const kemIds = keys.upload.kemPreKeys.map((k) => k.id);
    const self = async () => (await readRecord(store, SelfKind, 'self'))!;
    let now = 0;
    for (let round = 0; round < 3; round++) {
      now += PREKEY_ROTATION_INTERVAL_MS;
      const refill = generatePreKeyRefill(await self(), identity, { oneTimePreKeys: 0, kemPreKeys: 15 })!;
      await store.put(refill.entries);
      kemIds.push(...refill.upload.kemPreKeys!.map((k) => k.id));
      const prepared = (await prepareRotation(store, await self(), identity, now))!;
      expect(PreKeyUploadSchema.safeParse(prepared.upload).success).toBe(true);
      // The answer is lost: asked again, the same keys go up again, no new ids.
      expect(await prepareRotation(store, await self(), identity, now)).toEqual(prepared);
      signedIds.push(prepared.upload.signedPreKey!.id);
      kemIds.push(...prepared.upload.kemPreKeys!.map((k) => k.id));
      if (round < 2) expect(await confirmRotation(store, await self(), prepared.pending, now)).toBe(true);
    }
    // A reset while the last rotation is still unconfirmed (it may have landed) starts past every id.
    const reset = generateReplacementKeys(await self(), now);
    signedIds.push(reset.upload.signedPreKey.id);
    kemIds.push(...reset.upload.kemPreKeys.map((k) => k.id));
    expect(new Set(signedIds).size).toBe(signedIds.length);
    expect(new Set(kemIds).size).toBe(kemIds.length);
    expect(signedIds).toEqual([...signedIds].sort((a, b) => a - b));
  });

  it('rotates a profile made before rotation existed: its keys date from the account, its last-resort key is found', async () => {
    const store = new MemoryStore();
    const keys = generateAccountKeys(alice, 'http://x.test', 1_000);
    const { rotation: _absent, ...old } = keys.self;
    await store.put({ ...keys.entries, self: old });
    const identity = loadIdentity(keys.self.identity);
    expect(await prepareRotation(store, old, identity, 1_000 + PREKEY_ROTATION_INTERVAL_MS - 1)).toBeNull();
    const prepared = (await prepareRotation(store, (await readRecord(store, SelfKind, 'self'))!, identity, 1_000 + PREKEY_ROTATION_INTERVAL_MS))!;
    expect(await confirmRotation(store, (await readRecord(store, SelfKind, 'self'))!, prepared.pending, 1_000 + PREKEY_ROTATION_INTERVAL_MS)).toBe(true);
    const after = (await readRecord(store, SelfKind, 'self'))!;
    expect(after.signedPreKeyId).toBe(2);
    expect(after.rotation?.retired.map((k) => k.key)).toEqual(['spk/1', 'kem/1']);
  });
});
