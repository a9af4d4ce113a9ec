/**
 * Sign-in cannot be locked out (issue "Make what exists trustworthy", item 7),
 * tried against the real in-process server with its default limits. The
 * attack: 199 loopback addresses each ask for challenges until their own
 * per-address limit refuses them. The server used to keep every challenge and
 * refuse all sign-ins once it held 10,000 ("too many sign-ins in progress"),
 * so the flood locked everyone out; challenges are now stateless.
 * Then replays: a challenge works once, and only as the server made it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url, cryptoReady } from '@envelope/crypto-public';
import { sign } from '@envelope/crypto';
import { makeDevice } from '@envelope/testkit/crypto-fixtures.js';
import { sessionProof } from '@envelope/protocol';
import { postJson, register, registrationBody, startInProcess, type RegisteredDevice } from '@envelope/testkit/harness.js';
import { inBatches, loopbackAddress, loopbackClient, type LoopbackClient } from '@envelope/testkit/loopback.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
let victim: RegisteredDevice;

beforeAll(async () => {
  await cryptoReady();
  env = await startInProcess();
  victim = await register(env.url, 'victim');
});
afterAll(() => env.close());

function sessionBody(device: RegisteredDevice, challenge: string) {
  const proof = sessionProof(new Uint8Array(Buffer.from(challenge, 'base64url')), device.username, device.deviceId);
  return { username: device.username, deviceId: device.deviceId, challenge, signature: toBase64Url(sign(device.keys.identity, proof)) };
}

async function signInFrom(client: LoopbackClient, device: RegisteredDevice) {
  const challenge = await client.post('/api/auth/challenge', {});
  if (challenge.status !== 200) return challenge;
  return client.post('/api/auth/session', sessionBody(device, challenge.json.challenge));
}

describe('a flood of challenges from many addresses', () => {
  /** The server used to hold at most this many outstanding challenges. */
  const OLD_CAP = 10_000;
  const ATTACKERS = 199;
  /** A bound on each address's loop; its own limit (60 at once, 1 a second after) stops it long before. */
  const MAX_PER_ADDRESS = 500;

  it('is stopped per address and locks nobody else out', async () => {
    const attackers = Array.from({ length: ATTACKERS }, (_, i) => loopbackClient(env.url, loopbackAddress(i + 2)));
    const endings: string[] = [];
    let obtained = 0;
    await inBatches(attackers, 64, async (client) => {
      for (let i = 0; i < MAX_PER_ADDRESS; i++) {
        const { status, json } = await client.post('/api/auth/challenge', {});
        if (status !== 200) return void endings.push(`${status} ${json.code} ${json.detail}`);
        obtained++;
      }
      endings.push('never refused');
    });
    for (const client of attackers) client.close();
    // More challenges were handed out than the old cap held, and each address met its own limit.
    expect(obtained).toBeGreaterThan(OLD_CAP);
    expect(new Set(endings)).toEqual(new Set(['429 RATE_LIMITED too many sign-in attempts: wait a moment']));

    // Everyone else still signs in: the victim from its own address, and a newcomer registers.
    const own = loopbackClient(env.url, loopbackAddress(1));
    const signedIn = await signInFrom(own, victim);
    expect(signedIn.status, JSON.stringify(signedIn.json)).toBe(200);
    expect(signedIn.json.token).toEqual(expect.any(String));
    const challenge = await own.post('/api/auth/challenge', {});
    expect(challenge.status).toBe(200);
    const newcomer = await own.post('/api/accounts', registrationBody(makeDevice(), 'newcomer', challenge.json.challenge));
    expect(newcomer.status, JSON.stringify(newcomer.json)).toBe(201);
    own.close();
  });
});

describe('a challenge works once, and only as the server made it', () => {
  it('a replayed sign-in (same challenge and signature) is refused', async () => {
    const { json: challenge } = await postJson(`${env.url}/api/auth/challenge`, {});
    const body = sessionBody(victim, challenge.challenge);
    expect((await postJson(`${env.url}/api/auth/session`, body)).status).toBe(200);
    const replay = await postJson(`${env.url}/api/auth/session`, body);
    expect(replay.status).toBe(401);
    expect(replay.json.detail).toContain('already used');
  });

  it('a challenge spent on a sign-in cannot register an account, nor the other way round', async () => {
    const { json: first } = await postJson(`${env.url}/api/auth/challenge`, {});
    expect((await postJson(`${env.url}/api/auth/session`, sessionBody(victim, first.challenge))).status).toBe(200);
    expect((await postJson(`${env.url}/api/accounts`, registrationBody(makeDevice(), 'reuser', first.challenge))).status).toBe(401);

    const { json: second } = await postJson(`${env.url}/api/auth/challenge`, {});
    expect((await postJson(`${env.url}/api/accounts`, registrationBody(makeDevice(), 'reuser', second.challenge))).status).toBe(201);
    expect((await postJson(`${env.url}/api/auth/session`, sessionBody(victim, second.challenge))).status).toBe(401);
  });

  it('refuses a challenge with its tag, its nonce or its expiry altered, and one another server made', async () => {
    const { json } = await postJson(`${env.url}/api/auth/challenge`, {});
    const bytes = Buffer.from(json.challenge, 'base64url');
    const altered = (index: number) => {
      const copy = Buffer.from(bytes);
      copy[index]! ^= 0x01;
      return copy.toString('base64url');
    };
    // Byte 0: the nonce; byte 20: the expiry (pushed ~later); byte 40: the tag.
    for (const index of [0, 20, 40, 55]) {
      const response = await postJson(`${env.url}/api/auth/session`, sessionBody(victim, altered(index)));
      expect(response.status, `byte ${index}`).toBe(401);
      expect(response.json.code).toBe('UNAUTHORIZED');
    }
    const other = await startInProcess();
    try {
      const { json: foreign } = await postJson(`${other.url}/api/auth/challenge`, {});
      expect((await postJson(`${env.url}/api/auth/session`, sessionBody(victim, foreign.challenge))).status).toBe(401);
    } finally {
      await other.close();
    }
    // The untouched challenge still works: the refusals did not spend it.
    expect((await postJson(`${env.url}/api/auth/session`, sessionBody(victim, json.challenge))).status).toBe(200);
  });
});
