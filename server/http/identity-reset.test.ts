/**
 * PUT /api/devices/self/identity: a device starts over with a new identity key
 * ("a contact re-registering with a new key" in the web app).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url, cryptoReady } from '@envelope/crypto-public';
import { makeDevice, type TestDevice } from '@envelope/testkit/crypto-fixtures.js';
import { BundleResponseSchema, ClassActivitySchema, SessionGrantedSchema } from '@envelope/protocol';
import { getJson, postJson, RawSocket, register, registrationBody, signIn, startInProcess, StreamReader, UNLIMITED_BUNDLE_FETCHES, type RegisteredDevice } from '@envelope/testkit/harness.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
beforeAll(async () => {
  await cryptoReady();
  env = await startInProcess({ bundleFetchLimits: UNLIMITED_BUNDLE_FETCHES });
});
afterAll(() => env.close());

/** A reset body for `keys`, signed by `signer` (the new key itself, unless a test forges it). */
async function resetBody(device: RegisteredDevice, keys: TestDevice, signer: TestDevice = keys) {
  const { json: challenge } = await postJson(`${env.url}/api/auth/challenge`, {});
  const signed = registrationBody(signer, device.username, challenge.challenge);
  const { username: _name, ...body } = registrationBody(keys, device.username, challenge.challenge);
  return { ...body, signature: signed.signature };
}

async function put(body: unknown, token?: string) {
  const response = await fetch(`${env.url}/api/devices/self/identity`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

const keyCounts = (username: string) =>
  env.server.db
    .prepare(
      `SELECT (SELECT count(*) FROM one_time_prekeys WHERE username = ?) AS oneTime,
              (SELECT count(*) FROM kem_prekeys WHERE username = ?) AS kem,
              (SELECT hex(identity_key) FROM devices WHERE username = ?) AS identity`,
    )
    .get(username, username, username);

describe('identity reset', () => {
  it('replaces the key and every prekey, revokes old tokens, and the bundle shows the new key', async () => {
    const alice = await register(env.url, 'alice', { oneTimePreKeys: 5 });
    const bob = await register(env.url, 'bob');
    const second = SessionGrantedSchema.parse((await signIn(env.url, alice)).json).token;
    const socket = await RawSocket.authenticated(env.url, alice);
    const fresh = makeDevice({ oneTimePreKeys: 3, oneTimeKemPreKeys: 1 });

    const { status, json } = await put(await resetBody(alice, fresh), alice.token);
    expect(status).toBe(200);
    const granted = SessionGrantedSchema.parse(json);
    expect([granted.username, granted.deviceId]).toEqual(['alice', 1]);

    // Every token from before is dead: the one used, another session, and the live socket.
    expect((await getJson(`${env.url}/api/keys`, alice.token)).status).toBe(401);
    expect((await getJson(`${env.url}/api/keys`, second)).status).toBe(401);
    expect((await socket.waitClosed()).code).toBe(4401);
    expect((await getJson(`${env.url}/api/keys`, granted.token)).json).toMatchObject({ oneTimePreKeys: 3, kemPreKeys: 1 });

    const bundle = BundleResponseSchema.parse((await getJson(`${env.url}/api/accounts/alice/bundle`, bob.token)).json);
    expect(bundle.devices[0]!.identityKey).toEqual(fresh.identity.publicKey);
    expect(bundle.devices[0]!.signedPreKey.publicKey).toEqual(fresh.signedPreKey.keyPair.publicKey);
    expect(bundle.devices[0]!.oneTimePreKey!.publicKey).toEqual(fresh.oneTimePreKeys.get(bundle.devices[0]!.oneTimePreKey!.id)!.keyPair.publicKey);
    // Signing in now takes the new key; the old one is refused.
    expect((await signIn(env.url, alice)).status).toBe(401);
    expect((await signIn(env.url, { ...alice, keys: fresh })).status).toBe(200);
  });

  it('refuses a proof not signed by the new key, and changes nothing', async () => {
    const carol = await register(env.url, 'carol');
    const before = keyCounts('carol');
    const fresh = makeDevice();
    const forged = await put(await resetBody(carol, fresh, makeDevice()), carol.token);
    expect([forged.status, forged.json.code]).toEqual([400, 'INVALID_SIGNATURE']);
    // Signed by the old key (someone with only the token and the old key cannot swap in a key they do not hold).
    const byOld = await put(await resetBody(carol, fresh, carol.keys), carol.token);
    expect(byOld.json.code).toBe('INVALID_SIGNATURE');
    const badPrekey = await resetBody(carol, fresh);
    badPrekey.signedPreKey.signature = toBase64Url(new Uint8Array(64).fill(9));
    expect((await put(badPrekey, carol.token)).json.code).toBe('INVALID_SIGNATURE');
    expect(keyCounts('carol')).toEqual(before);
    expect((await getJson(`${env.url}/api/keys`, carol.token)).status).toBe(200);
  });

  it('needs a signed-in device and a fresh challenge', async () => {
    const dave = await register(env.url, 'dave');
    const fresh = makeDevice();
    const body = await resetBody(dave, fresh);
    expect((await put(body)).status).toBe(401);
    expect((await put(body, dave.token)).status).toBe(200);
    const replay = await put(body, (await signIn(env.url, { ...dave, keys: fresh })).json.token);
    expect([replay.status, replay.json.code]).toEqual([401, 'UNAUTHORIZED']);
    expect((await put({ ...body, extra: 1 }, dave.token)).status).toBe(401); // old token is revoked anyway
  });

  it('tells the operator stream who changed keys (the guided lesson ticks its safety-number step from it)', async () => {
    const dora = await register(env.url, 'dora');
    const stream = await StreamReader.open(env.url, env.server.operatorToken);
    try {
      expect((await put(await resetBody(dora, makeDevice({ oneTimePreKeys: 1 })), dora.token)).status).toBe(200);
      const changed = () => stream.events.filter((e) => e.type === 'activity').map((e) => ClassActivitySchema.parse(JSON.parse(e.data)));
      await stream.until(() => changed().some((a) => a.kind === 'keys-changed'), 'the key change on the stream');
      expect(changed()).toEqual([{ kind: 'keys-changed', username: 'dora', at: expect.any(Number) }]);
    } finally {
      stream.close();
    }
  });
});
