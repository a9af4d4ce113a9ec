/**
 * The X-ray's server row (GET /api/envelopes/:id):
 * what the server holds for one envelope, to whom it shows it, and what
 * changes when the recipient confirms it.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '@envelope/crypto-public';
import { StoredEnvelopeResponseSchema } from '@envelope/protocol';
import { acksCommitted, getJson, randomMessageId, RawSocket, register, startInProcess, type RegisteredDevice } from '@envelope/testkit/harness.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
let alice: RegisteredDevice;
let bob: RegisteredDevice;
let carol: RegisteredDevice;

const body = () => toBase64Url(crypto.getRandomValues(new Uint8Array(333)).map((v, i) => (i === 0 ? 0x01 : v)));

beforeAll(async () => {
  env = await startInProcess();
  [alice, bob, carol] = await Promise.all([register(env.url, 'alice'), register(env.url, 'bob'), register(env.url, 'carol')]);
});
afterAll(() => env.close());

const stored = (id: string, device: RegisteredDevice) => getJson(`${env.url}/api/envelopes/${id}`, device.token);

describe('GET /api/envelopes/:id', () => {
  it("shows sender and recipient the server's row; to anyone else it does not exist", async () => {
    const a = await RawSocket.authenticated(env.url, alice);
    const id = randomMessageId();
    const sentBody = body();
    a.send({ type: 'send', id, to: 'bob', toDevice: 1, body: sentBody });
    await a.next((f) => f.type === 'stored' && f.id === id);

    const forSender = await stored(id, alice);
    expect(forSender.status).toBe(200);
    const { envelope } = StoredEnvelopeResponseSchema.parse(forSender.json);
    expect(envelope).toMatchObject({ id, sender: 'alice', senderDevice: 1, recipient: 'bob', recipientDevice: 1, size: 333, kind: 'message', deliveredAt: null, mode: 'e2ee' });
    expect(envelope.ciphertext).toBe(sentBody);
    expect(envelope.ciphertextSha256).toBe(createHash('sha256').update(Buffer.from(sentBody, 'base64url')).digest('base64url'));
    expect((await stored(id, bob)).json).toEqual(forSender.json);

    const stranger = await stored(id, carol);
    const missing = await stored(randomMessageId(), carol);
    expect([stranger.status, stranger.json.code]).toEqual([404, 'NOT_FOUND']);
    // No oracle: a stranger's answer for a real id is the answer for an id that never existed.
    expect(stranger.json).toEqual(missing.json);
    expect((await getJson(`${env.url}/api/envelopes/${id}`)).status).toBe(401);
    expect((await stored('not an id!', alice)).status).toBe(404);
    a.close();
  });

  it('after the ack: the ciphertext is gone, the digest stays, deliveredAt is set', async () => {
    const a = await RawSocket.authenticated(env.url, alice);
    const b = await RawSocket.authenticated(env.url, bob);
    const id = randomMessageId();
    const sentBody = body();
    a.send({ type: 'send', id, to: 'bob', toDevice: 1, body: sentBody });
    await a.next((f) => f.type === 'stored' && f.id === id);
    await b.next((f) => f.type === 'message' && f.id === id);
    const acked = acksCommitted(env.server, [id]);
    b.send({ type: 'ack', ids: [id] });
    const [deleted] = await acked;

    const { envelope } = StoredEnvelopeResponseSchema.parse((await stored(id, alice)).json);
    expect(envelope.ciphertext).toBeNull();
    expect(envelope.deliveredAt).toBe(deleted!.deliveredAt);
    expect(envelope.deliveredAt!).toBeGreaterThanOrEqual(envelope.receivedAt);
    expect(envelope.ciphertextSha256).toBe(createHash('sha256').update(Buffer.from(sentBody, 'base64url')).digest('base64url'));
    expect(StoredEnvelopeResponseSchema.parse((await stored(id, bob)).json).envelope.deliveredAt).toBe(deleted!.deliveredAt);
    a.close();
    b.close();
  });

  it('one acknowledgement of many envelopes deletes them in one commit, and tells the senders nothing', async () => {
    const [a, c] = await Promise.all([RawSocket.authenticated(env.url, alice), RawSocket.authenticated(env.url, carol)]);
    const b = await RawSocket.authenticated(env.url, bob);
    const fromAlice = [randomMessageId(), randomMessageId(), randomMessageId()];
    const fromCarol = randomMessageId();
    for (const id of fromAlice) a.send({ type: 'send', id, to: 'bob', toDevice: 1, body: body() });
    c.send({ type: 'send', id: fromCarol, to: 'bob', toDevice: 1, body: body() });
    for (const id of fromAlice) await a.next((f) => f.type === 'stored' && f.id === id);
    await c.next((f) => f.type === 'stored' && f.id === fromCarol);
    for (const id of [...fromAlice, fromCarol]) await b.next((f) => f.type === 'message' && f.id === id);
    const ids = [fromAlice[0]!, fromCarol, fromAlice[1]!, fromAlice[2]!];
    const acked = acksCommitted(env.server, ids);
    b.send({ type: 'ack', ids });
    await acked;

    const deliveredAt = await Promise.all(ids.map(async (id) => StoredEnvelopeResponseSchema.parse((await stored(id, bob)).json).envelope.deliveredAt));
    expect(new Set(deliveredAt).size).toBe(1); // one commit deleted them all
    expect(deliveredAt[0]).not.toBeNull();
    // "Delivered" is the recipient's receipt, not the server's word: the senders' sockets hear nothing
    // (a probe each, answered after the commit, marks the point by which anything would have come).
    for (const socket of [a, c]) {
      const probe = randomMessageId();
      socket.send({ type: 'send', id: probe, to: 'bob', toDevice: 1, body: body() });
      await socket.next((f) => f.type === 'stored' && f.id === probe);
      expect(socket.frames.filter((f) => f.type !== 'policy')).toEqual([]);
    }
    for (const socket of [a, b, c]) socket.close();
  });
});
