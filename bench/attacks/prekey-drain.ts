/**
 * Draining a victim's one-time prekeys, measured (loopback only): a real
 * server in process on a temp SQLite file, default settings. The victim holds
 * what the client uploads (100 one-time X25519 prekeys, 20 one-time ML-KEM
 * prekeys). Two attacks, each on a fresh server:
 *
 * - one address: 5 throwaway accounts from 127.0.0.2 fetch the victim's
 *   bundle as fast as the server answers (at most 40 fetches each);
 * - many addresses: 50 addresses (127.0.0.10 to 127.0.0.59), one throwaway
 *   account each, 10 fetches each.
 *
 * Then a newcomer on another address fetches the bundle, as anyone starting a
 * conversation would. Prints one JSON object per attack: bundles served,
 * refusals, one-time keys taken, the victim's stock left (from the warrant
 * answer), the time, and whether the newcomer's bundle still came and with
 * which keys.
 *
 *   npx tsx bench/attacks/prekey-drain.ts
 */
import { cryptoReady } from '@envelope/crypto-public';
import { makeDevice } from '@envelope/testkit/crypto-fixtures.js';
import { getJson, register, registrationBody, startInProcess } from '@envelope/testkit/harness.js';
import { inBatches, loopbackAddress, loopbackClient, type LoopbackClient } from '@envelope/testkit/loopback.js';

const VICTIM_ONE_TIME = 100;
const VICTIM_ONE_TIME_KEM = 20;

async function registerFrom(client: LoopbackClient, username: string): Promise<string> {
  const challenge = await client.post('/api/auth/challenge', {});
  const response = await client.post('/api/accounts', registrationBody(makeDevice({ oneTimePreKeys: 1 }), username, challenge.json.challenge));
  if (response.status !== 201) throw new Error(`register ${username}: ${response.status} ${JSON.stringify(response.json)}`);
  return response.json.token as string;
}

async function attack(name: string, attackers: { address: number; accounts: number; fetches: number }[]) {
  const env = await startInProcess();
  try {
    await register(env.url, 'victim', { oneTimePreKeys: VICTIM_ONE_TIME, oneTimeKemPreKeys: VICTIM_ONE_TIME_KEM });
    const fetchers = await Promise.all(
      attackers.map(async ({ address, accounts, fetches }) => {
        const client = loopbackClient(env.url, loopbackAddress(address));
        const tokens: string[] = [];
        for (let i = 0; i < accounts; i++) tokens.push(await registerFrom(client, `throwaway-${address}-${i}`));
        return tokens.map((token) => ({ client, token, fetches }));
      }),
    );
    let served = 0;
    let withOneTime = 0;
    let withOneTimeKem = 0;
    const refusals = new Map<string, number>();
    const started = performance.now();
    await inBatches(fetchers.flat(), 64, async ({ client, token, fetches }) => {
      for (let i = 0; i < fetches; i++) {
        const { status, json } = await client.get('/api/accounts/victim/bundle', token);
        if (status !== 200) {
          refusals.set(`${status} ${json.detail}`, (refusals.get(`${status} ${json.detail}`) ?? 0) + 1);
          continue;
        }
        served++;
        const device = json.devices[0];
        if (device.oneTimePreKey) withOneTime++;
        if (device.kemPreKey && !device.kemPreKey.lastResort) withOneTimeKem++;
      }
    });
    const seconds = (performance.now() - started) / 1000;
    for (const list of fetchers) list[0]?.client.close();

    const newcomerClient = loopbackClient(env.url, loopbackAddress(200));
    const newcomer = await newcomerClient.get('/api/accounts/victim/bundle', await registerFrom(newcomerClient, 'newcomer'));
    newcomerClient.close();
    const { json: warrant } = await getJson(`${env.url}/api/operator/warrant/victim`, env.server.operatorToken);
    const device = warrant.devices[0];
    return {
      attack: name,
      attacker_addresses: attackers.length,
      attacker_accounts: attackers.reduce((n, a) => n + a.accounts, 0),
      bundles_served: served,
      refused: Object.fromEntries(refusals),
      one_time_x25519_taken: withOneTime,
      one_time_mlkem_taken: withOneTimeKem,
      seconds: Number(seconds.toFixed(2)),
      victim_left: { x25519: device.oneTimePreKeysLeft, mlkem: device.kemPreKeysLeft, of: [VICTIM_ONE_TIME, VICTIM_ONE_TIME_KEM] },
      newcomer_bundle:
        newcomer.status === 200
          ? { status: 200, one_time_x25519: Boolean(newcomer.json.devices[0].oneTimePreKey), mlkem_last_resort: newcomer.json.devices[0].kemPreKey?.lastResort ?? null }
          : { status: newcomer.status, detail: newcomer.json.detail },
    };
  } finally {
    await env.close();
  }
}

async function main(): Promise<void> {
  await cryptoReady();
  const oneAddress = await attack('5 accounts, 1 address', [{ address: 2, accounts: 5, fetches: 40 }]);
  const manyAddresses = await attack(
    '50 accounts, 50 addresses',
    Array.from({ length: 50 }, (_, i) => ({ address: 10 + i, accounts: 1, fetches: 10 })),
  );
  process.stdout.write(JSON.stringify([oneAddress, manyAddresses], null, 2) + '\n');
}

void main();
