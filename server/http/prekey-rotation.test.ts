/**
 * Rotation of a device's signed prekey and last-resort KEM prekey through
 * PUT /api/keys (X3DH §3.2, PQXDH §3.2), against the real server in process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url, cryptoReady } from '@envelope/crypto-public';
import { generateIdentityKeyPair, type IdentityKeyPair, generateKemPreKey, generateSignedPreKey, verifyPreKeyBundle } from '@envelope/crypto';
import { BundleResponseSchema } from '@envelope/protocol';
import { getJson, register, startInProcess, type RegisteredDevice, UNLIMITED_BUNDLE_FETCHES } from '@envelope/testkit/harness.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
let reader: RegisteredDevice;
beforeAll(async () => {
  await cryptoReady();
  env = await startInProcess({ bundleFetchLimits: UNLIMITED_BUNDLE_FETCHES });
  reader = await register(env.url, 'reader');
});
afterAll(() => env.close());

/** A rotation's upload: a signed prekey and a last-resort KEM prekey, each signed by `signer`. */
function rotation(signer: IdentityKeyPair, signedPreKeyId: number, kemPreKeyId: number) {
  const spk = generateSignedPreKey(signer, signedPreKeyId);
  const kem = generateKemPreKey(signer, kemPreKeyId, true);
  return {
    signedPreKey: { id: spk.id, publicKey: toBase64Url(spk.keyPair.publicKey), signature: toBase64Url(spk.signature) },
    kemPreKeys: [{ id: kem.id, publicKey: toBase64Url(kem.publicKey), signature: toBase64Url(kem.signature), lastResort: true }],
  };
}

async function put(body: unknown, token: string): Promise<{ status: number; json: any }> {
  const response = await fetch(`${env.url}/api/keys`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** The bundle someone fetching `username` gets now, checked as a client checks it. */
async function bundle(username: string) {
  const { status, json } = await getJson(`${env.url}/api/accounts/${username}/bundle`, reader.token);
  expect(status).toBe(200);
  const device = BundleResponseSchema.parse(json).devices[0]!;
  verifyPreKeyBundle({ identityKey: device.identityKey, signedPreKey: device.signedPreKey, kemPreKey: device.kemPreKey });
  return device;
}

/** Fetches bundles until the one-time KEM prekeys are gone: from then on bundles carry the last-resort one. */
async function lastResortBundle(username: string) {
  for (;;) {
    const device = await bundle(username);
    if (device.kemPreKey?.lastResort) return device;
  }
}

describe('prekey rotation on the server', () => {
  it('replaces the signed prekey and the last-resort KEM prekey: bundles carry the new ones', async () => {
    const alice = await register(env.url, 'alice');
    expect((await lastResortBundle('alice')).kemPreKey?.id).toBe(alice.keys.lastResortKemPreKey.id);
    const upload = rotation(alice.keys.identity, 2, 500);
    expect((await put(upload, alice.token)).status).toBe(200);
    const after = await bundle('alice');
    expect(after.signedPreKey.id).toBe(2);
    expect(toBase64Url(after.signedPreKey.publicKey)).toBe(upload.signedPreKey.publicKey);
    expect(after.kemPreKey).toMatchObject({ id: 500, lastResort: true });
    expect(toBase64Url(after.kemPreKey!.publicKey)).toBe(upload.kemPreKeys[0]!.publicKey);
  });

  it('refuses a signed prekey or a last-resort KEM prekey not signed by the identity key, and changes nothing', async () => {
    const bob = await register(env.url, 'bob');
    const before = await lastResortBundle('bob');
    const mallory = generateIdentityKeyPair();
    for (const forged of [
      rotation(mallory, 2, 500),
      { ...rotation(bob.keys.identity, 2, 500), kemPreKeys: rotation(mallory, 2, 500).kemPreKeys },
      { signedPreKey: rotation(mallory, 2, 500).signedPreKey },
    ]) {
      const response = await put(forged, bob.token);
      expect([response.status, response.json.code]).toEqual([400, 'INVALID_SIGNATURE']);
    }
    const tampered = rotation(bob.keys.identity, 2, 500);
    tampered.signedPreKey.publicKey = rotation(bob.keys.identity, 2, 500).signedPreKey.publicKey; // a signature over another key
    expect((await put(tampered, bob.token)).json.code).toBe('INVALID_SIGNATURE');
    const after = await bundle('bob');
    expect(after.signedPreKey).toEqual(before.signedPreKey);
    expect(after.kemPreKey).toEqual(before.kemPreKey);
  });

  it('ids only go up; the same keys sent again (a lost answer, retried) change nothing', async () => {
    const carol = await register(env.url, 'carol');
    const upload = rotation(carol.keys.identity, 5, 600);
    expect((await put(upload, carol.token)).status).toBe(200);
    expect((await put(upload, carol.token)).status).toBe(200);
    for (const [spkId, kemId] of [
      [5, 601], // the current signed prekey id with another key
      [4, 601], // below it
      [6, 600], // the current last-resort id with another key
      [6, 599], // below it
    ] as const) {
      const response = await put(rotation(carol.keys.identity, spkId, kemId), carol.token);
      expect([response.status, response.json.code]).toEqual([400, 'BAD_REQUEST']);
    }
    const after = await lastResortBundle('carol');
    expect(toBase64Url(after.signedPreKey.publicKey)).toBe(upload.signedPreKey.publicKey);
    expect(toBase64Url(after.kemPreKey!.publicKey)).toBe(upload.kemPreKeys[0]!.publicKey);
  });
});
