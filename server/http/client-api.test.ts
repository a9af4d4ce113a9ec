import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url, cryptoReady } from '@envelope/crypto-public';
import { makeDevice } from '@envelope/testkit/crypto-fixtures.js';
import { BundleResponseSchema } from '@envelope/protocol';
import { getJson, postJson, register, registrationBody, signIn, startInProcess, UNLIMITED_BUNDLE_FETCHES } from '@envelope/testkit/harness.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
beforeAll(async () => {
  await cryptoReady();
  env = await startInProcess({ bundleFetchLimits: UNLIMITED_BUNDLE_FETCHES });
});
afterAll(() => env.close());

describe('accounts and sign-in', () => {
  it('registers with a signed proof and refuses a taken username with 409', async () => {
    const alice = await register(env.url, 'alice');
    expect(alice.deviceId).toBe(1);
    const keys = makeDevice();
    const { json: challenge } = await postJson(`${env.url}/api/auth/challenge`, {});
    const again = await postJson(`${env.url}/api/accounts`, registrationBody(keys, 'alice', challenge.challenge));
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('USERNAME_TAKEN');
  });

  it('refuses a registration whose proof is signed by another key', async () => {
    const keys = makeDevice();
    const other = makeDevice();
    const { json: challenge } = await postJson(`${env.url}/api/auth/challenge`, {});
    const body = registrationBody(keys, 'mallory', challenge.challenge);
    const forged = { ...body, identityKey: toBase64Url(other.identity.publicKey) };
    const response = await postJson(`${env.url}/api/accounts`, forged);
    expect(response.status).toBe(400);
    expect(response.json.code).toBe('INVALID_SIGNATURE');
  });

  it('refuses prekeys whose signatures do not verify', async () => {
    const keys = makeDevice();
    const { json: challenge } = await postJson(`${env.url}/api/auth/challenge`, {});
    const body = registrationBody(keys, 'badkeys', challenge.challenge);
    body.signedPreKey.signature = toBase64Url(new Uint8Array(64).fill(7));
    const response = await postJson(`${env.url}/api/accounts`, body);
    expect(response.json.code).toBe('INVALID_SIGNATURE');
  });

  it('a challenge works once', async () => {
    const keys = makeDevice();
    const { json: challenge } = await postJson(`${env.url}/api/auth/challenge`, {});
    expect((await postJson(`${env.url}/api/accounts`, registrationBody(keys, 'once', challenge.challenge))).status).toBe(201);
    const replay = await postJson(`${env.url}/api/accounts`, registrationBody(makeDevice(), 'twice', challenge.challenge));
    expect(replay.status).toBe(401);
  });

  it('signs in by signing a challenge; a signature by another key is refused', async () => {
    const bob = await register(env.url, 'bob');
    const ok = await signIn(env.url, bob);
    expect(ok.status).toBe(200);
    expect(ok.json.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const impostor = await signIn(env.url, { ...bob, keys: makeDevice() });
    expect(impostor.status).toBe(401);
    expect(impostor.json.code).toBe('UNAUTHORIZED');
  });

  it('answers malformed bodies of every kind with problem JSON, and keeps serving', async () => {
    const bodies: (string | undefined)[] = ['{', 'null', '[]', '"x"', '{"username":5}', JSON.stringify({ username: 'ok-name', extra: 1 }), 'x'.repeat(600_000)];
    for (const body of bodies) {
      const response = await fetch(`${env.url}/api/accounts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect([400, 413]).toContain(response.status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = await response.json();
      expect(['BAD_REQUEST', 'PAYLOAD_TOO_LARGE']).toContain(problem.code);
    }
    expect((await getJson(`${env.url}/healthz`)).json.ok).toBe(true);
  });
});

describe('prekey directory', () => {
  it('hands out a bundle that verifies, taking one one-time key of each kind', async () => {
    const carol = await register(env.url, 'carol', { oneTimePreKeys: 3 });
    const dave = await register(env.url, 'dave');
    const first = await getJson(`${env.url}/api/accounts/carol/bundle`, dave.token);
    expect(first.status).toBe(200);
    const bundle = BundleResponseSchema.parse(first.json);
    expect(bundle.devices[0]!.identityKey).toEqual(carol.keys.identity.publicKey);
    expect(bundle.devices[0]!.oneTimePreKey?.id).toBe(100);
    expect(bundle.devices[0]!.kemPreKey?.lastResort).toBe(false);
    const status = await getJson(`${env.url}/api/keys`, carol.token);
    expect(status.json).toEqual({ oneTimePreKeys: 2, kemPreKeys: 1, low: true });
  });

  it('falls back to the last-resort KEM key and no one-time key when they run out', async () => {
    await register(env.url, 'erin', { oneTimePreKeys: 1 });
    const frank = await register(env.url, 'frank');
    const bundles = [];
    for (let i = 0; i < 4; i++) bundles.push(BundleResponseSchema.parse((await getJson(`${env.url}/api/accounts/erin/bundle`, frank.token)).json));
    expect(bundles.map((b) => b.devices[0]!.oneTimePreKey?.id)).toEqual([100, undefined, undefined, undefined]);
    expect(bundles.map((b) => b.devices[0]!.kemPreKey?.lastResort)).toEqual([false, false, true, true]);
  });

  it('never hands out a one-time prekey twice, even to concurrent fetches', async () => {
    await register(env.url, 'grace', { oneTimePreKeys: 60 });
    const fetchers = await Promise.all(['h1', 'h2', 'h3', 'h4'].map((name) => register(env.url, name)));
    const responses = await Promise.all(
      Array.from({ length: 80 }, (_, i) => getJson(`${env.url}/api/accounts/grace/bundle`, fetchers[i % 4]!.token)),
    );
    const ids = responses.map((r) => BundleResponseSchema.parse(r.json).devices[0]!.oneTimePreKey?.id).filter((id) => id !== undefined);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
  });

  it('requires sign-in to fetch, 404s an unknown user, and rate-limits fast fetchers', async () => {
    expect((await getJson(`${env.url}/api/accounts/carol/bundle`)).status).toBe(401);
    const ivan = await register(env.url, 'ivan');
    const unknown = await getJson(`${env.url}/api/accounts/nobody-here/bundle`, ivan.token);
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('NOT_FOUND');
    const limited = await startInProcess({ bundleFetchLimits: { ...UNLIMITED_BUNDLE_FETCHES, perAccount: { perSecond: 0.01, burst: 3 } } });
    try {
      await register(limited.url, 'target', { oneTimePreKeys: 10 });
      const greedy = await register(limited.url, 'greedy');
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await getJson(`${limited.url}/api/accounts/target/bundle`, greedy.token)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await limited.close();
    }
  });

  it('uploads go to the signed-in device only, and duplicate ids are refused', async () => {
    const judy = await register(env.url, 'judy');
    const more = makeDevice({ oneTimePreKeys: 3 });
    const upload = {
      oneTimePreKeys: [...more.oneTimePreKeys.values()].map((k) => ({ id: k.id + 1000, publicKey: toBase64Url(k.keyPair.publicKey) })),
    };
    const response = await fetch(`${env.url}/api/keys`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${judy.token}` },
      body: JSON.stringify(upload),
    });
    expect(await response.json()).toMatchObject({ oneTimePreKeys: 8 });
    const again = await fetch(`${env.url}/api/keys`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${judy.token}` },
      body: JSON.stringify(upload),
    });
    expect(again.status).toBe(400);
    const anonymous = await fetch(`${env.url}/api/keys`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(upload) });
    expect(anonymous.status).toBe(401);
  });
});

describe('operator API', () => {
  it('refuses without the token, and lists every stored column, each described', async () => {
    expect((await getJson(`${env.url}/api/operator/schema`)).status).toBe(401);
    expect((await getJson(`${env.url}/api/operator/schema`, 'wrong-token-wrong-token')).status).toBe(401);
    expect((await getJson(`${env.url}/api/operator/envelopes`)).status).toBe(401);
    const { status, json } = await getJson(`${env.url}/api/operator/schema`, env.server.operatorToken);
    expect(status).toBe(200);
    const tables = json.tables as { name: string; about: string | null; columns: { name: string; description: string | null }[] }[];
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['accounts', 'devices', 'mailbox', 'metadata_log']));
    // Generated from the live schema: a column added without a description shows up here as undescribed.
    const undescribed = tables.flatMap((t) => [...(t.about ? [] : [t.name]), ...t.columns.filter((c) => !c.description).map((c) => `${t.name}.${c.name}`)]);
    expect(undescribed).toEqual([]);
    const columns = env.server.db.prepare("SELECT count(*) AS n FROM sqlite_schema s, pragma_table_info(s.name) WHERE s.type = 'table' AND s.name NOT LIKE 'sqlite_%'").get() as { n: number };
    expect(tables.reduce((n, t) => n + t.columns.length, 0)).toBe(columns.n);
  });
});
