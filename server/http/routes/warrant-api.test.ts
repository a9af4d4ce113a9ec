/**
 * GET /api/operator/warrant/:username against the real server in process:
 * real accounts, real envelopes through the relay (raw protocol frames for
 * exact counts, and the real command-line client for a plaintext canary).
 * The answer is everything the server holds, checked against what was sent,
 * and no trace of any message text, in the JSON or in the exported document.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '@envelope/crypto-public';
import { WarrantAnswerSchema, type WarrantAnswer } from '@envelope/protocol';
import { warrantDocument } from '../../../client/web/src/operator/warrant/WarrantDocument.js';
import { cli } from '@envelope/testkit/cli.js';
import { acksCommitted, getJson, randomMessageId, RawSocket, register, startInProcess, tempDataDir, type RegisteredDevice } from '@envelope/testkit/harness.js';

const CANARY = 'canary: the parcel is under the third bench';
const REPLY_CANARY = 'canary reply: understood, bench three';

let env: Awaited<ReturnType<typeof startInProcess>>;
let alice: RegisteredDevice;
const sent: { from: string; to: string; body: string; id: string }[] = [];
const profiles = tempDataDir();

/** An opaque body as a client sends it: first byte 0x01 (a ratchet message), then filler. */
const body = (marker: number, length: number) => toBase64Url(new Uint8Array(length).fill(marker).map((v, i) => (i === 0 ? 0x01 : v)));

async function run(name: string, ...args: string[]) {
  const result = await cli(env.url, join(profiles, name), ...args);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

beforeAll(async () => {
  env = await startInProcess();
  const devices = await Promise.all(['alice', 'bob', 'carol'].map((name) => register(env.url, name)));
  alice = devices[0]!;
  await register(env.url, 'dave');
  const sockets = new Map<string, RawSocket>();
  for (const device of devices) sockets.set(device.username, await RawSocket.authenticated(env.url, device));
  const script: [string, string, number][] = [
    ['alice', 'bob', 100],
    ['alice', 'bob', 200],
    ['bob', 'alice', 300],
    ['carol', 'bob', 400],
    ['alice', 'carol', 500],
  ];
  for (const [from, to, length] of script) {
    const item = { from, to, body: body(length % 251, length), id: randomMessageId() };
    sent.push(item);
    sockets.get(from)!.send({ type: 'send', id: item.id, to, toDevice: 1, body: item.body });
    await sockets.get(from)!.next((f) => f.type === 'stored' && f.id === item.id);
  }
  // Bob reads (and acknowledges) the first message only: its ciphertext is deleted.
  await sockets.get('bob')!.next((f) => f.type === 'message' && f.id === sent[0]!.id);
  const acked = acksCommitted(env.server, [sent[0]!.id]);
  sockets.get('bob')!.send({ type: 'ack', ids: [sent[0]!.id] });
  await acked;
  for (const socket of sockets.values()) socket.close();

  // Real clients, real encryption: frank writes to erin, who reads it and answers; frank does not come
  // back online (a client collects its mail whenever it connects), so the answer waits in his mailbox.
  await run('erin', 'register', 'erin');
  await run('frank', 'register', 'frank');
  await run('frank', 'send', 'erin', REPLY_CANARY);
  await run('erin', 'receive');
  await run('erin', 'send', 'frank', CANARY);
});
afterAll(() => env.close());

const warrant = (name: string, token: string | null = env.server.operatorToken) => getJson(`${env.url}/api/operator/warrant/${name}`, token ?? undefined);
const answerFor = async (name: string): Promise<WarrantAnswer> => {
  const { status, json } = await warrant(name);
  expect(status).toBe(200);
  return WarrantAnswerSchema.parse(json);
};

/** Every way the canary could sit in a text: plain, hex, base64 and base64url at any alignment (as server/integration/cli-chat.test.ts). */
function encodingsOf(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const forms = [secret, bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
  for (let shift = 0; shift < 3; shift++) {
    const shifted = Buffer.concat([Buffer.alloc(shift, 0x41), bytes]);
    for (const encoding of ['base64', 'base64url'] as const) {
      const text = shifted.toString(encoding).replace(/=+$/, '');
      forms.push(text.slice(Math.ceil((shift * 4) / 3) + 1, text.length - 2));
    }
  }
  return forms;
}

const leaks = (text: string) => [CANARY, REPLY_CANARY, 'canary', 'bench'].flatMap((secret) => encodingsOf(secret).filter((form) => form.length >= 6 && text.includes(form)));

describe('the warrant answer over HTTP', () => {
  it('refuses without the operator token, or with a device token', async () => {
    expect((await warrant('alice', null)).status).toBe(401);
    expect((await warrant('alice', alice.token)).status).toBe(401);
    const wrong = await warrant('alice', 'not-the-operator-token-at-all');
    expect([wrong.status, wrong.json.code]).toEqual([401, 'UNAUTHORIZED']);
  });

  it('answers 404 NOT_FOUND for an account it does not have', async () => {
    for (const name of ['nobody', 'NOT-A-NAME', '%3Cscript%3E']) {
      const { status, json } = await warrant(name);
      expect([status, json.code], name).toEqual([404, 'NOT_FOUND']);
    }
  });

  it('gives the account, its keys, contacts with counts, and the timeline newest first', async () => {
    const answer = await answerFor('alice');
    expect(answer.account).toBe('alice');
    expect(answer.metadataRetentionDays).toBe(env.config.metadataRetentionDays);
    expect(answer.devices).toHaveLength(1);
    expect(answer.devices[0]).toMatchObject({
      deviceId: 1,
      identityKey: toBase64Url(alice.keys.identity.publicKey),
      signedPreKey: { publicKey: toBase64Url(alice.keys.signedPreKey.keyPair.publicKey) },
      oneTimePreKeysLeft: 5,
      kemPreKeysLeft: 2,
      hasLastResortKemKey: true,
    });
    expect(answer.devices[0]!.activeSignIns).toBeGreaterThanOrEqual(1);
    expect(answer.contacts.total).toBe(2);
    expect(answer.contacts.list.map((c) => [c.username, c.sent, c.received, c.bytesSent, c.bytesReceived])).toEqual([
      ['bob', 2, 1, 300, 300],
      ['carol', 1, 0, 500, 0],
    ]);
    expect(answer.timeline.total).toBe(4);
    expect(answer.timeline.events.map((e) => [e.direction, e.peer, e.size])).toEqual([
      ['sent', 'carol', 500],
      ['received', 'bob', 300],
      ['sent', 'bob', 200],
      ['sent', 'bob', 100],
    ]);
    expect(answer.timeline.events.at(-1)!.deliveredAt).not.toBeNull();
    expect(answer.verifiedReports).toEqual({ total: 0, reports: [] });
    expect(answer.notProvided[0]!.what).toBe('The content of any message');
  });

  it('hands over the stored ciphertext exactly as sent, and nothing of what was delivered', async () => {
    const alice = await answerFor('alice');
    // Waiting for Alice: Bob's reply. Waiting elsewhere: her second to Bob and hers to Carol; the first was delivered and deleted.
    expect(alice.waitingForAccount.envelopes.map((e) => [e.messageId, e.ciphertext])).toEqual([[sent[2]!.id, sent[2]!.body]]);
    expect(alice.sentStillWaiting.envelopes.map((e) => [e.messageId, e.recipient, e.ciphertext])).toEqual([
      [sent[1]!.id, 'bob', sent[1]!.body],
      [sent[4]!.id, 'carol', sent[4]!.body],
    ]);
    expect(alice.sentStillWaiting.total).toBe(2);
    const bob = await answerFor('bob');
    expect(bob.waitingForAccount.envelopes.map((e) => e.messageId)).toEqual([sent[1]!.id, sent[3]!.id]);
    expect(JSON.stringify(bob)).not.toContain(sent[0]!.body);
    const dave = await answerFor('dave');
    expect([dave.contacts.total, dave.timeline.total, dave.waitingForAccount.total, dave.sentStillWaiting.total]).toEqual([0, 0, 0, 0]);
  });

  it('holds no trace of the text real clients exchanged, in the JSON or in the exported document', async () => {
    const erin = await answerFor('erin');
    const frank = await answerFor('frank');
    // The answer is not empty: the canary's envelope is there, as ciphertext, waiting for Frank, beside
    // the receipt Erin's app sent for Frank's message, which the answer says is a receipt.
    expect(erin.contacts.list.map((c) => [c.username, c.sent, c.received, c.receipts])).toEqual([['frank', 1, 1, 1]]);
    expect(erin.sentStillWaiting.envelopes).toHaveLength(2);
    expect(erin.timeline.events.map((e) => [e.direction, e.peer, e.receipt])).toEqual([
      ['sent', 'frank', false],
      ['sent', 'frank', true],
      ['received', 'frank', false],
    ]);
    expect(frank.waitingForAccount.envelopes.map((e) => e.ciphertext)).toEqual(erin.sentStillWaiting.envelopes.map((e) => e.ciphertext));
    expect(erin.waitingForAccount.total).toBe(0); // Erin read Frank's message: deleted on delivery
    // The detector itself finds a canary hidden in any of these forms (so an empty result means something).
    for (const form of [CANARY, Buffer.from(`x${CANARY}`).toString('base64url'), Buffer.from(CANARY).toString('hex')]) {
      expect(leaks(`{"ciphertext":"${form}"}`), form).not.toEqual([]);
    }
    for (const answer of [erin, frank]) {
      const raw = (await warrant(answer.account)).json;
      expect(leaks(JSON.stringify(raw)), `${answer.account} JSON`).toEqual([]);
      const html = warrantDocument(answer);
      expect(html).toContain('What the server could not provide');
      expect(leaks(html), `${answer.account} document`).toEqual([]);
    }
  });
});
