/**
 * The sign-in lock-out attack, measured (loopback only): a real server in
 * process on a temp SQLite file, default settings. 199 other addresses
 * (127.0.0.2 to 127.0.0.200) each ask for challenges until the server refuses
 * them (at most FLOOD_PER_ADDRESS each, a bounded loop), then a registered
 * victim on 127.0.0.1 signs in. Prints one JSON object: challenges the flood
 * obtained, how it was refused, and whether the victim got in.
 *
 *   npx tsx bench/attacks/sign-in-flood.ts
 */
import { toBase64Url } from '@envelope/crypto-public';
import { sign } from '@envelope/crypto';
import { sessionProof } from '@envelope/protocol';
import { register, startInProcess } from '@envelope/testkit/harness.js';
import { inBatches, loopbackAddress, loopbackClient } from '@envelope/testkit/loopback.js';

const ATTACKER_ADDRESSES = 199;
/** More than the per-address limit lets through, so each address meets its limit. */
const FLOOD_PER_ADDRESS = 80;
const CONCURRENCY = 64;

async function main(): Promise<void> {
  const env = await startInProcess();
  try {
    const victim = await register(env.url, 'victim');
    const attackers = Array.from({ length: ATTACKER_ADDRESSES }, (_, i) => loopbackClient(env.url, loopbackAddress(i + 2)));
    const started = performance.now();
    const statuses = new Map<string, number>();
    let obtained = 0;
    await inBatches(attackers, CONCURRENCY, async (client) => {
      for (let i = 0; i < FLOOD_PER_ADDRESS; i++) {
        const { status, json } = await client.post('/api/auth/challenge', {});
        if (status === 200) obtained++;
        const key = status === 200 ? '200' : `${status} ${json.detail}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      }
    });
    const floodSeconds = (performance.now() - started) / 1000;
    for (const client of attackers) client.close();

    const victimClient = loopbackClient(env.url, loopbackAddress(1));
    const challenge = await victimClient.post('/api/auth/challenge', {});
    let session: { status: number; json: any } | undefined;
    if (challenge.status === 200) {
      const bytes = new Uint8Array(Buffer.from(challenge.json.challenge, 'base64url'));
      session = await victimClient.post('/api/auth/session', {
        username: victim.username,
        deviceId: victim.deviceId,
        challenge: challenge.json.challenge,
        signature: toBase64Url(sign(victim.keys.identity, sessionProof(bytes, victim.username, victim.deviceId))),
      });
    }
    victimClient.close();
    const result = {
      attacker_addresses: ATTACKER_ADDRESSES,
      requests_per_address: FLOOD_PER_ADDRESS,
      challenges_obtained: obtained,
      answers: Object.fromEntries(statuses),
      flood_seconds: Number(floodSeconds.toFixed(2)),
      victim_challenge: challenge.status === 200 ? 200 : `${challenge.status} ${challenge.json.detail}`,
      victim_sign_in: session ? (session.status === 200 ? 200 : `${session.status} ${session.json.detail}`) : 'no challenge',
    };
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    await env.close();
  }
}

void main();
