/**
 * One-time prekeys cannot be drained by throwaway accounts (issue "Make what
 * exists trustworthy", item 8), tried against the real in-process server with
 * its default limits. Five new accounts used to take all 100 of a victim's
 * one-time prekeys in 0.7 s. Now bundle fetches are limited per address as
 * well as per account, and one-time keys per target: past the target's limit
 * a bundle still comes, with the last-resort keys only. The victim's stock is
 * read from the operator's account list, where the server shows it.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady } from '@envelope/crypto-public';
import { makeDevice } from '@envelope/testkit/crypto-fixtures.js';
import { OperatorAccountsResponseSchema } from '@envelope/protocol';
import { getJson, register, registrationBody, startInProcess } from '@envelope/testkit/harness.js';
import { inBatches, loopbackAddress, loopbackClient, type LoopbackClient } from '@envelope/testkit/loopback.js';

const VICTIM_STOCK = { oneTimePreKeys: 100, oneTimeKemPreKeys: 20 };
let env: Awaited<ReturnType<typeof startInProcess>>;
const clients: LoopbackClient[] = [];

beforeAll(() => cryptoReady());
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await env.close();
});

async function throwaway(client: LoopbackClient, username: string): Promise<string> {
  const challenge = await client.post('/api/auth/challenge', {});
  const response = await client.post('/api/accounts', registrationBody(makeDevice({ oneTimePreKeys: 1 }), username, challenge.json.challenge));
  expect(response.status, JSON.stringify(response.json)).toBe(201);
  return response.json.token;
}

function from(address: number): LoopbackClient {
  const client = loopbackClient(env.url, loopbackAddress(address));
  clients.push(client);
  return client;
}

/** The victim's stock, as the operator's account list shows it. */
async function victimStock(): Promise<{ x25519: number; mlkem: number }> {
  const { json } = await getJson(`${env.url}/api/operator/accounts`, env.server.operatorToken);
  const device = OperatorAccountsResponseSchema.parse(json).accounts.find((a) => a.username === 'victim')!.devices[0]!;
  return { x25519: device.oneTimePreKeysLeft, mlkem: device.kemPreKeysLeft };
}

describe('draining a victim’s one-time prekeys', () => {
  it('five throwaway accounts from one address are stopped by the address limit, and take at most 10 one-time keys', async () => {
    env = await startInProcess();
    await register(env.url, 'victim', VICTIM_STOCK);
    expect(await victimStock()).toEqual({ x25519: 100, mlkem: 20 });
    const attacker = from(2);
    const tokens = [];
    for (let i = 0; i < 5; i++) tokens.push(await throwaway(attacker, `throwaway-${i}`));
    const answers = (await inBatches(tokens, 5, async (token) => {
      const statuses: { status: number; oneTime: boolean; detail?: string }[] = [];
      for (let i = 0; i < 40; i++) {
        const { status, json } = await attacker.get('/api/accounts/victim/bundle', token);
        statuses.push({ status, oneTime: status === 200 && Boolean(json.devices[0].oneTimePreKey), detail: json.detail });
      }
      return statuses;
    })).flat();
    const served = answers.filter((a) => a.status === 200);
    // 60 bundles at once per address, of which the first 10 carried one-time keys.
    expect(served.length).toBeLessThanOrEqual(65);
    expect(answers.filter((a) => a.status === 429).every((a) => a.detail?.includes('from this address'))).toBe(true);
    expect(served.filter((a) => a.oneTime).length).toBe(10);
    expect(await victimStock()).toEqual({ x25519: 90, mlkem: 10 });
  });

  it('many addresses together take no more than the target’s limit, and nobody is refused a bundle', async () => {
    env = await startInProcess();
    await register(env.url, 'victim', VICTIM_STOCK);
    const attackers = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const client = from(10 + i);
        return { client, token: await throwaway(client, `far-${i}`) };
      }),
    );
    const answers = (await inBatches(attackers, 40, async ({ client, token }) => {
      const bundles = [];
      for (let i = 0; i < 5; i++) bundles.push(await client.get('/api/accounts/victim/bundle', token));
      return bundles;
    })).flat();
    expect(answers.map((a) => a.status)).toEqual(Array(200).fill(200));
    expect(answers.filter((a) => a.json.devices[0].oneTimePreKey).length).toBe(10);
    expect(await victimStock()).toEqual({ x25519: 90, mlkem: 10 });

    // Someone new still starts a conversation: the signed prekey and the last-resort ML-KEM key.
    const newcomer = from(100);
    const { status, json } = await newcomer.get('/api/accounts/victim/bundle', await throwaway(newcomer, 'newcomer'));
    expect(status).toBe(200);
    expect(json.devices[0].signedPreKey).toBeDefined();
    expect(json.devices[0].oneTimePreKey).toBeUndefined();
    expect(json.devices[0].kemPreKey.lastResort).toBe(true);
  });
});
