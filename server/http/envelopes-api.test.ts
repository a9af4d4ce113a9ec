/**
 * The X-ray's server row (GET /api/envelopes/:id) and the "delivered" notice:
 * what the server holds for one envelope, to whom it shows it, and what
 * changes when the recipient confirms it.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '@envelope/crypto-public';
import { StoredEnvelopeResponseSchema, DeliveredFrameSchema } from '@envelope/protocol';
import { getJson, randomMessageId, RawSocket, register, startInProcess, type RegisteredDevice } from '@envelope/testkit/harness.js';

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
    expect(envelope).toMatchObject({ id, sender: 'alice', senderDevice: 1, recipient: 'bob', recipientDevice: 1, size: 333, kind: 'message', deliveredAt: null });
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

  it('after the ack: the ciphertext is gone, the digest stays, deliveredAt is set, and the sender hears "delivered"', async () => {
    const a = await RawSocket.authenticated(env.url, alice);
    const b = await RawSocket.authenticated(env.url, bob);
    const id = randomMessageId();
    const sentBody = body();
    a.send({ type: 'send', id, to: 'bob', toDevice: 1, body: sentBody });
    await a.next((f) => f.type === 'stored' && f.id === id);
    await b.next((f) => f.type === 'message' && f.id === id);
    b.send({ type: 'ack', ids: [id] });
    const frame = DeliveredFrameSchema.parse(await a.next((f) => f.type === 'delivered'));
    expect(frame).toMatchObject({ type: 'delivered', envelopes: [{ id, to: 'bob', toDevice: 1 }] });

    const { envelope } = StoredEnvelopeResponseSchema.parse((await stored(id, alice)).json);
    expect(envelope.ciphertext).toBeNull();
    expect(envelope.deliveredAt).toBe(frame.at);
    expect(envelope.deliveredAt!).toBeGreaterThanOrEqual(envelope.receivedAt);
    expect(envelope.ciphertextSha256).toBe(createHash('sha256').update(Buffer.from(sentBody, 'base64url')).digest('base64url'));
    expect(StoredEnvelopeResponseSchema.parse((await stored(id, bob)).json).envelope.deliveredAt).toBe(frame.at);
    // The recipient is not told its own ack was delivered.
    b.send({ type: 'ack', ids: [id] }); // a repeated ack deletes nothing and tells nobody
    const c = randomMessageId();
    a.send({ type: 'send', id: c, to: 'carol', toDevice: 1, body: body() });
    await a.next((f) => f.type === 'stored' && f.id === c);
    expect(a.frames.filter((f) => f.type === 'delivered')).toEqual([]);
    expect(b.frames.filter((f) => f.type === 'delivered')).toEqual([]);
    a.close();
    b.close();
  });

  it('one acknowledgement of many envelopes: each sender hears one "delivered" naming just its own', async () => {
    const [a, c] = await Promise.all([RawSocket.authenticated(env.url, alice), RawSocket.authenticated(env.url, carol)]);
    const b = await RawSocket.authenticated(env.url, bob);
    const fromAlice = [randomMessageId(), randomMessageId(), randomMessageId()];
    const fromCarol = randomMessageId();
    for (const id of fromAlice) a.send({ type: 'send', id, to: 'bob', toDevice: 1, body: body() });
    c.send({ type: 'send', id: fromCarol, to: 'bob', toDevice: 1, body: body() });
    for (const id of [...fromAlice, fromCarol]) await b.next((f) => f.type === 'message' && f.id === id);
    b.send({ type: 'ack', ids: [fromAlice[0]!, fromCarol, fromAlice[1]!, fromAlice[2]!] });

    const toAlice = DeliveredFrameSchema.parse(await a.next((f) => f.type === 'delivered'));
    const toCarol = DeliveredFrameSchema.parse(await c.next((f) => f.type === 'delivered'));
    expect(toAlice.envelopes).toEqual(fromAlice.map((id) => ({ id, to: 'bob', toDevice: 1 })));
    expect(toCarol.envelopes).toEqual([{ id: fromCarol, to: 'bob', toDevice: 1 }]);
    expect(toAlice.at).toBe(toCarol.at); // one commit deleted them all
    expect(a.frames.filter((f) => f.type === 'delivered')).toEqual([]); // no second frame for the same commit
    for (const socket of [a, b, c]) socket.close();
  });

  it('an offline sender is not told later: delivered notices are live only', async () => {
    const a = await RawSocket.authenticated(env.url, alice);
    const id = randomMessageId();
    a.send({ type: 'send', id, to: 'carol', toDevice: 1, body: body() });
    await a.next((f) => f.type === 'stored' && f.id === id);
    a.close();
    await a.waitClosed();
    const c = await RawSocket.authenticated(env.url, carol);
    const pushed = c.frames.filter((f) => f.type === 'message').map((f) => (f as { id: string }).id);
    expect(pushed).toContain(id);
    c.send({ type: 'ack', ids: pushed });
    await expect.poll(async () => StoredEnvelopeResponseSchema.parse((await stored(id, carol)).json).envelope.deliveredAt).not.toBeNull();
    const again = await RawSocket.authenticated(env.url, alice);
    const probe = randomMessageId();
    again.send({ type: 'send', id: probe, to: 'bob', toDevice: 1, body: body() });
    await again.next((f) => f.type === 'stored' && f.id === probe);
    expect(again.frames.filter((f) => f.type === 'delivered')).toEqual([]);
    again.close();
    c.close();
  });
});
