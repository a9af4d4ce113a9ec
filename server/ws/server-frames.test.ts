/**
 * The wire contract, watched on a real server: every frame type in
 * ServerFrameSchema is made to happen (in process, real SQLite, raw sockets),
 * every frame received is parsed against the schema (whose frames are strict),
 * and every field of every frame type must have been seen. Frames the relay
 * builds by hand for speed (frame-json.ts) are covered live and from the
 * mailbox, signed-in and sealed, with and without their optional fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, toBase64Url } from '@envelope/crypto-public';
import { FRANKING_TAG_BYTES, ServerFrameSchema, UNIDENTIFIED_ACCESS_HEADER } from '@envelope/protocol';
import { getJson, randomMessageId, RawSocket, register, startInProcess, type RegisteredDevice } from '@envelope/testkit/harness.js';
import { setPolicyMode, shapedAccessField, textMessageBytes, transportBody } from '../integration/testing.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
let alice: RegisteredDevice;
let bob: RegisteredDevice;
const bobAccessKey = randomBytes(16);

beforeAll(async () => {
  env = await startInProcess();
  // Five one-time prekeys: below the watermark, so fetching a bundle makes the server say "prekeys low".
  [alice, bob] = await Promise.all([register(env.url, 'alice'), register(env.url, 'bob', { oneTimePreKeys: 5, accessKey: bobAccessKey })]);
});
afterAll(() => env.close());

/** Every text frame a socket receives, recorded before anything parses it. */
function record(socket: RawSocket, into: string[]): RawSocket {
  socket.socket.prependListener('message', (data) => into.push(data.toString()));
  return socket;
}

const body = () => toBase64Url(Uint8Array.of(0x01, ...randomBytes(120)));
const tag = () => toBase64Url(randomBytes(FRANKING_TAG_BYTES));

describe('the frames a real server sends', () => {
  it('cover every frame type and every field of ServerFrameSchema, and each one parses', async () => {
    const received: string[] = [];
    const a = record(await RawSocket.open(env.url), received);
    a.send({ type: 'auth', token: alice.token });
    await a.next((f) => f.type === 'ready');
    const b = record(await RawSocket.open(env.url), received);
    b.send({ type: 'auth', token: bob.token });
    await b.next((f) => f.type === 'ready');

    // Live `message` frames, with and without the franking commitment and the receipt mark; each sender hears `stored`.
    const sent = [
      { id: randomMessageId(), extra: {} },
      { id: randomMessageId(), extra: { commitment: tag() } },
      { id: randomMessageId(), extra: { receipt: true } },
    ];
    for (const { id, extra } of sent) {
      a.send({ type: 'send', id, to: 'bob', toDevice: 1, body: body(), ...extra });
      await a.next((f) => f.type === 'stored' && f.id === id);
    }
    // A sealed one: nobody named.
    const sealedId = randomMessageId();
    const response = await fetch(`${env.url}/api/sealed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [UNIDENTIFIED_ACCESS_HEADER]: toBase64Url(bobAccessKey) },
      body: JSON.stringify({ id: sealedId, to: 'bob', toDevice: 1, body: toBase64Url(Uint8Array.of(0x03, ...randomBytes(120))) }),
    });
    expect(response.status).toBe(201);
    // `policy` with the transport key (both sockets hear the switch), and a transport-only send: its `message` has `mode`.
    const { transportKey } = await setPolicyMode(env.url, env.server.operatorToken, 'transport-only');
    for (const socket of [a, b]) await socket.next((f) => f.type === 'policy' && f.mode === 'transport-only');
    const transportId = randomMessageId();
    a.send({ type: 'send', id: transportId, to: 'bob', toDevice: 1, body: transportBody(transportKey!, textMessageBytes('hello')), mode: 'transport-only' });
    await a.next((f) => f.type === 'stored' && f.id === transportId);
    // `policy` with the escrow key, and a key-escrow send: its `message` carries `access` (live and from the mailbox).
    await setPolicyMode(env.url, env.server.operatorToken, 'key-escrow');
    for (const socket of [a, b]) await socket.next((f) => f.type === 'policy' && f.mode === 'key-escrow');
    const escrowId = randomMessageId();
    a.send({ type: 'send', id: escrowId, to: 'bob', toDevice: 1, body: body(), mode: 'key-escrow', access: shapedAccessField() });
    await a.next((f) => f.type === 'stored' && f.id === escrowId);
    const ids = [...sent.map((s) => s.id), sealedId, transportId, escrowId];
    for (const id of ids) await b.next((f) => f.type === 'message' && f.id === id);

    // The same envelopes again from the mailbox (not acknowledged): bob connects again.
    b.close();
    await b.waitClosed();
    const again = record(await RawSocket.open(env.url), received);
    again.send({ type: 'auth', token: bob.token });
    await again.next((f) => f.type === 'ready');
    expect(again.frames.filter((f) => f.type === 'message').map((f) => (f as { id: string }).id)).toEqual(ids);

    // `prekeys-low`: alice takes one of bob's few one-time prekeys.
    expect((await getJson(`${env.url}/api/accounts/bob/bundle`, alice.token)).status).toBe(200);
    await again.next((f) => f.type === 'prekeys-low');

    // `error`, naming the request it answers (a refused send), and naming none (not JSON).
    const refused = randomMessageId();
    a.send({ type: 'send', id: refused, to: 'nobody-here', toDevice: 1, body: body() });
    await a.next((f) => f.type === 'error' && f.id === refused);
    a.sendRaw('not json');
    await a.next((f) => f.type === 'error' && f.id === undefined);
    again.send({ type: 'ack', ids });

    const failures: string[] = [];
    const fieldsSeen = new Map<string, Set<string>>();
    for (const text of received) {
      const raw = JSON.parse(text) as Record<string, unknown>;
      const parsed = ServerFrameSchema.safeParse(raw);
      if (!parsed.success) failures.push(`${text.slice(0, 200)}: ${parsed.error.message}`);
      // Strict: the same frame with one field too many is refused.
      if (ServerFrameSchema.safeParse({ ...raw, unexpected: 1 }).success) failures.push(`accepted with an unknown field: ${text.slice(0, 200)}`);
      const type = String(raw.type);
      if (!fieldsSeen.has(type)) fieldsSeen.set(type, new Set());
      for (const key of Object.keys(raw)) fieldsSeen.get(type)!.add(key);
    }
    expect(failures).toEqual([]);
    const contract = new Map(ServerFrameSchema.options.map((schema) => [schema.shape.type.value as string, Object.keys(schema.shape).sort()]));
    // Every frame type the schema has was sent, with every one of its fields, and nothing else was.
    expect(new Map([...fieldsSeen].map(([type, keys]) => [type, [...keys].sort()]))).toEqual(contract);
    for (const socket of [a, again]) socket.close();
  });
});
