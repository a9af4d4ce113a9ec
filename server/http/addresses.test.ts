/**
 * Network addresses (issue "Make what exists trustworthy", item 13), against
 * the real in-process server: the operator sees each live connection's
 * address; with STORE_ADDRESSES off (the default) no address is written
 * anywhere (not the database, not the log) and the warrant answer says "not
 * stored (setting off)"; with it on, sign-ups, sign-ins, relay connections and
 * sealed sends are kept with their address and time, handed over in the
 * warrant answer (with the sealed envelopes sent from the account's own
 * addresses), and purged after ADDRESS_RETENTION_DAYS.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url, cryptoReady } from '@envelope/crypto-public';
import { sign } from '@envelope/crypto';
import { makeDevice } from '@envelope/testkit/crypto-fixtures.js';
import { sessionProof, OperatorAccountsResponseSchema, UNIDENTIFIED_ACCESS_HEADER, WarrantAnswerSchema } from '@envelope/protocol';
import { AddressLog } from '../domain/address-log.js';
import { addressRepo } from '../storage/address-repo.js';
import { openDatabase } from '../storage/database.js';
import { getJson, randomMessageId, registrationBody, startInProcess, tempDataDir } from '@envelope/testkit/harness.js';
import { loopbackAddress, loopbackClient, type LoopbackClient } from '@envelope/testkit/loopback.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
const closers: (() => void)[] = [];

beforeAll(() => cryptoReady());
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await env.close();
});

/** Signs up from `client`, signs in again, and opens the relay connection from the same address. */
async function person(client: LoopbackClient, username: string) {
  const keys = makeDevice();
  const challenge = await client.post('/api/auth/challenge', {});
  // An access key, so that others may send to this person with sealed sender (sealed-access.ts).
  const accessKey = toBase64Url(randomBytes(16));
  const registered = await client.post('/api/accounts', registrationBody(keys, username, challenge.json.challenge, { accessKey }));
  expect(registered.status).toBe(201);
  const again = await client.post('/api/auth/challenge', {});
  const proof = sessionProof(new Uint8Array(Buffer.from(again.json.challenge, 'base64url')), username, registered.json.deviceId);
  const session = await client.post('/api/auth/session', {
    username,
    deviceId: registered.json.deviceId,
    challenge: again.json.challenge,
    signature: toBase64Url(sign(keys.identity, proof)),
  });
  expect(session.status).toBe(200);
  const socket = new WebSocket(`${env.url.replace(/^http/, 'ws')}/api/ws`, { localAddress: client.address });
  closers.push(() => socket.close());
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const ready = new Promise<void>((resolve) => socket.on('message', (data) => JSON.parse(data.toString()).type === 'ready' && resolve()));
  socket.send(JSON.stringify({ type: 'auth', token: session.json.token }));
  await ready;
  return { username, deviceId: registered.json.deviceId as number, sealedTo: { [UNIDENTIFIED_ACCESS_HEADER]: accessKey } };
}

function from(n: number): LoopbackClient {
  const client = loopbackClient(env.url, loopbackAddress(n));
  closers.push(() => client.close());
  return client;
}

async function operatorAccounts() {
  const { json } = await getJson(`${env.url}/api/operator/accounts`, env.server.operatorToken);
  return OperatorAccountsResponseSchema.parse(json);
}

async function warrantFor(username: string) {
  const { status, json } = await getJson(`${env.url}/api/operator/warrant/${username}`, env.server.operatorToken);
  expect(status).toBe(200);
  return WarrantAnswerSchema.parse(json);
}

describe('with STORE_ADDRESSES off (the default)', () => {
  it('the operator sees each live connection’s address, and nothing anywhere keeps one', async () => {
    env = await startInProcess();
    const alice = from(5);
    await person(alice, 'alice');
    const bob = await person(from(6), 'bob');
    const sealed = await alice.post('/api/sealed', { id: randomMessageId(), to: 'bob', toDevice: 1, body: toBase64Url(new Uint8Array([0x03, 1, 2, 3])) }, undefined, bob.sealedTo);
    expect(sealed.status).toBe(201);

    const accounts = await operatorAccounts();
    expect(accounts.addresses).toEqual({ stored: false, retentionDays: 7 });
    const live = Object.fromEntries(accounts.accounts.map((a) => [a.username, a.devices[0]!.connectedFrom?.address]));
    expect(live).toEqual({ alice: '127.0.0.5', bob: '127.0.0.6' });

    const answer = await warrantFor('alice');
    expect(answer.networkAddresses).toEqual({ stored: false });
    expect(answer.notProvided.map((n) => n.what)).toContain('Network addresses: not stored (setting off)');

    // Nowhere on disk, nowhere in the log.
    expect(env.server.db.prepare('SELECT count(*) AS n FROM address_log').get()).toEqual({ n: 0 });
    env.server.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of readdirSync(env.config.dataDir)) {
      const bytes = readFileSync(join(env.config.dataDir, file));
      expect(bytes.includes('127.0.0.5'), file).toBe(false);
      expect(bytes.includes('127.0.0.6'), file).toBe(false);
    }
    expect(env.logs.join('\n')).not.toMatch(/127\.0\.0\.[56]/);
  });

  it('a device that goes offline shows no address', async () => {
    env = await startInProcess();
    await person(from(7), 'carol');
    expect((await operatorAccounts()).accounts[0]!.devices[0]!.connectedFrom?.address).toBe('127.0.0.7');
    for (const close of closers.splice(0)) close();
    // Wait for the server to see the close (an event, not a timer): poll the view until it says offline.
    for (;;) {
      if ((await operatorAccounts()).accounts[0]!.devices[0]!.connectedFrom === null) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
});

describe('with STORE_ADDRESSES=on', () => {
  it('keeps who signed up, signed in, connected and sent sealed from where, and hands it over in the warrant answer', async () => {
    env = await startInProcess({}, { STORE_ADDRESSES: 'on', ADDRESS_RETENTION_DAYS: '3' });
    const aliceClient = from(8);
    await person(aliceClient, 'alice');
    const bobPerson = await person(from(9), 'bob');
    const sealedId = randomMessageId();
    expect((await aliceClient.post('/api/sealed', { id: sealedId, to: 'bob', toDevice: 1, body: toBase64Url(new Uint8Array([0x03, 9])) }, undefined, bobPerson.sealedTo)).status).toBe(201);
    // A sealed envelope from elsewhere is not pinned on Alice.
    expect((await from(10).post('/api/sealed', { id: randomMessageId(), to: 'bob', toDevice: 1, body: toBase64Url(new Uint8Array([0x03, 8])) }, undefined, bobPerson.sealedTo)).status).toBe(201);

    expect((await operatorAccounts()).addresses).toEqual({ stored: true, retentionDays: 3 });
    const answer = await warrantFor('alice');
    expect(answer.notProvided.map((n) => n.what)).not.toContain('Network addresses: not stored (setting off)');
    const addresses = answer.networkAddresses;
    if (!addresses.stored) throw new Error('addresses should be stored');
    expect(addresses.retentionDays).toBe(3);
    expect(addresses.account.events.map((e) => [e.event, e.address, e.deviceId]).reverse()).toEqual([
      ['registered', '127.0.0.8', 1],
      ['signed-in', '127.0.0.8', 1],
      ['connected', '127.0.0.8', 1],
    ]);
    expect(addresses.sealedFromSameAddresses.events.map((e) => [e.messageId, e.address])).toEqual([[sealedId, '127.0.0.8']]);
    // Bob's answer names only Bob's own address.
    const bob = (await warrantFor('bob')).networkAddresses;
    expect(bob.stored && bob.account.events.every((e) => e.address === '127.0.0.9')).toBe(true);
  });
});

describe('retention', () => {
  it('purges stored addresses older than ADDRESS_RETENTION_DAYS, and keeps the rest', () => {
    const db = openDatabase(tempDataDir());
    const repo = addressRepo(db);
    const DAY = 24 * 60 * 60 * 1000;
    let now = 100 * DAY;
    const log = new AddressLog(repo, { stored: true, retentionDays: 7 }, () => now);
    log.record('signed-in', '127.0.0.1', { username: 'old', deviceId: 1 });
    now += 6 * DAY;
    log.record('signed-in', '::ffff:127.0.0.2', { username: 'recent', deviceId: 1 });
    now += 2 * DAY;
    log.purge();
    expect(repo.ofAccount('old', 10).total).toBe(0);
    expect(repo.ofAccount('recent', 10).records.map((r) => r.address)).toEqual(['127.0.0.2']);
    db.close();
  });
});
