import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '@envelope/crypto-public';
import { MAX_WS_FRAME_BYTES } from '@envelope/protocol';
import { getJson, randomMessageId, RawSocket, register, startInProcess, type RegisteredDevice } from '@envelope/testkit/harness.js';

let env: Awaited<ReturnType<typeof startInProcess>>;
let alice: RegisteredDevice;
let bob: RegisteredDevice;
let carol: RegisteredDevice;

beforeAll(async () => {
  env = await startInProcess();
  [alice, bob, carol] = await Promise.all([register(env.url, 'alice'), register(env.url, 'bob'), register(env.url, 'carol')]);
});
afterAll(() => env.close());

/** An opaque body as a client would send it (the relay never looks past the first byte). */
const body = (marker: number, length = 300) => toBase64Url(new Uint8Array(length).fill(marker).map((v, i) => (i === 0 ? 0x01 : v)));

describe('relay', () => {
  it('stores, confirms, delivers to a connected recipient, and deletes on ack', async () => {
    const a = await RawSocket.authenticated(env.url, alice);
    const b = await RawSocket.authenticated(env.url, bob);
    const id = randomMessageId();
    a.send({ type: 'send', id, to: 'bob', toDevice: 1, body: body(7) });
    const stored = await a.next((f) => f.type === 'stored');
    expect(stored).toMatchObject({ type: 'stored', id });
    const delivered = await b.next((f) => f.type === 'message');
    expect(delivered).toMatchObject({ id, from: 'alice', fromDevice: 1 });
    expect(env.server.db.prepare('SELECT count(*) AS n FROM mailbox WHERE message_id = ?').get(id)).toEqual({ n: 1 });
    b.send({ type: 'ack', ids: [id] });
    await expect.poll(() => env.server.db.prepare('SELECT count(*) AS n FROM mailbox WHERE message_id = ?').get(id)).toEqual({ n: 0 });
    const meta = env.server.db.prepare('SELECT sender, recipient, size, kind FROM metadata_log WHERE message_id = ?').get(id);
    expect(meta).toEqual({ sender: 'alice', recipient: 'bob', size: 300, kind: 'message' });
    a.close();
    b.close();
  });

  it('keeps messages for an offline recipient and delivers them, in order, before `ready`', async () => {
    const a = await RawSocket.authenticated(env.url, alice);
    const ids = Array.from({ length: 5 }, () => randomMessageId());
    for (const id of ids) a.send({ type: 'send', id, to: 'carol', toDevice: 1, body: body(1) });
    for (const id of ids) expect(await a.next((f) => f.type === 'stored' && f.id === id)).toBeTruthy();
    const c = await RawSocket.open(env.url);
    c.send({ type: 'auth', token: carol.token });
    const ready = await c.next((f) => f.type === 'ready');
    expect(ready).toMatchObject({ username: 'carol', deviceId: 1 });
    const pushed = c.frames.filter((f) => f.type === 'message').map((f) => (f as { id: string }).id);
    expect(pushed).toEqual(ids);
    // Not acknowledged: pushed again on the next connection.
    c.close();
    await c.waitClosed();
    const again = await RawSocket.open(env.url);
    again.send({ type: 'auth', token: carol.token });
    await again.next((f) => f.type === 'ready');
    expect(again.frames.filter((f) => f.type === 'message').map((f) => (f as { id: string }).id)).toEqual(ids);
    again.send({ type: 'ack', ids });
    a.close();
    again.close();
  });

  it('stores a resent message once', async () => {
    const a = await RawSocket.authenticated(env.url, alice);
    const id = randomMessageId();
    a.send({ type: 'send', id, to: 'carol', toDevice: 1, body: body(2) });
    a.send({ type: 'send', id, to: 'carol', toDevice: 1, body: body(2) });
    await a.next((f) => f.type === 'stored' && f.id === id);
    await a.next((f) => f.type === 'stored' && f.id === id);
    a.send({ type: 'send', id, to: 'carol', toDevice: 1, body: body(2) });
    await a.next((f) => f.type === 'stored' && f.id === id);
    expect(env.server.db.prepare('SELECT count(*) AS n FROM mailbox WHERE message_id = ?').get(id)).toEqual({ n: 1 });
    a.close();
  });

  it("a device receives only its own mail and cannot delete someone else's by acking it", async () => {
    const a = await RawSocket.authenticated(env.url, alice);
    const id = randomMessageId();
    a.send({ type: 'send', id, to: 'bob', toDevice: 1, body: body(3) });
    await a.next((f) => f.type === 'stored');
    a.send({ type: 'ack', ids: [id] }); // Alice tries to delete Bob's mail
    const c = await RawSocket.authenticated(env.url, carol);
    c.send({ type: 'ack', ids: [id] });
    await new Promise((r) => setTimeout(r, 50));
    expect(env.server.db.prepare('SELECT recipient FROM mailbox WHERE message_id = ?').get(id)).toEqual({ recipient: 'bob' });
    expect(c.frames.some((f) => f.type === 'message' && f.id === id)).toBe(false);
    const b = await RawSocket.authenticated(env.url, bob);
    expect(b.frames.length === 0 || b.frames.every((f) => f.type !== 'error')).toBe(true);
    b.send({ type: 'ack', ids: [id] });
    a.close();
    b.close();
    c.close();
  });

  it('answers every kind of malformed frame with an error naming the request, and the connection goes on', async () => {
    const a = await RawSocket.open(env.url);
    a.send({ type: 'send', id: 'aaaaaaaa1', to: 'bob', toDevice: 1, body: body(1) });
    expect(await a.next((f) => f.type === 'error')).toMatchObject({ code: 'UNAUTHORIZED', id: 'aaaaaaaa1' });
    a.send({ type: 'auth', token: alice.token });
    await a.next((f) => f.type === 'ready');
    const bad: [string | Record<string, unknown>, string | undefined][] = [
      ['not json', undefined],
      ['[1,2,3]', undefined],
      ['null', undefined],
      [{ type: 'nonsense' }, undefined],
      [{ type: 'send', id: 'bbbbbbbb1' }, 'bbbbbbbb1'],
      [{ type: 'send', id: 'bbbbbbbb2', to: 'Not A Name!', toDevice: 1, body: body(1) }, 'bbbbbbbb2'],
      [{ type: 'send', id: 'bbbbbbbb3', to: 'bob', toDevice: 0, body: body(1) }, 'bbbbbbbb3'],
      [{ type: 'send', id: 'bbbbbbbb4', to: 'bob', toDevice: 1, body: '!!not base64!!' }, 'bbbbbbbb4'],
      [{ type: 'send', id: 'bbbbbbbb5', to: 'bob', toDevice: 1, body: body(1), extra: true }, 'bbbbbbbb5'],
      [{ type: 'send', id: 'x', to: 'bob', toDevice: 1, body: body(1) }, 'x'],
      [{ type: 'ack', ids: [] }, undefined],
      [{ type: 'ack', ids: Array.from({ length: 300 }, (_, i) => `id-${i}-xxxxx`) }, undefined],
      [{ type: 'auth', token: alice.token }, undefined],
    ];
    for (const [frame, id] of bad) {
      if (typeof frame === 'string') a.sendRaw(frame);
      else a.send(frame);
      const error = await a.next((f) => f.type === 'error');
      expect(error.type === 'error' && ['BAD_REQUEST'].includes(error.code)).toBe(true);
      if (id) expect(error).toMatchObject({ id });
    }
    a.sendRaw(Buffer.from([1, 2, 3]));
    expect(await a.next((f) => f.type === 'error')).toMatchObject({ code: 'BAD_REQUEST' });
    // Text frames that are not valid UTF-8 (ws's own check is off: the schema does it).
    a.sendRaw(Buffer.from([0xff, 0xfe, 0x7b]), { binary: false });
    expect(await a.next((f) => f.type === 'error')).toMatchObject({ code: 'BAD_REQUEST' });
    const badInside = Buffer.concat([Buffer.from('{"type":"ack","ids":["abcdefgh'), Buffer.from([0xc3, 0x28]), Buffer.from('"]}')]);
    a.sendRaw(badInside, { binary: false });
    expect(await a.next((f) => f.type === 'error')).toMatchObject({ code: 'BAD_REQUEST' });
    a.send({ type: 'send', id: 'cccccccc1', to: 'nobody-at-all', toDevice: 1, body: body(1) });
    expect(await a.next((f) => f.type === 'error')).toMatchObject({ code: 'UNKNOWN_RECIPIENT', id: 'cccccccc1' });
    // Still serving on the same connection.
    const id = randomMessageId();
    a.send({ type: 'send', id, to: 'bob', toDevice: 1, body: body(4) });
    expect(await a.next((f) => f.type === 'stored')).toMatchObject({ id });
    a.close();
  });

  it('refuses an oversized frame before buffering it, and keeps serving others', async () => {
    const a = await RawSocket.authenticated(env.url, alice);
    a.sendRaw('x'.repeat(MAX_WS_FRAME_BYTES + 1));
    expect((await a.waitClosed()).code).toBe(1009);
    const again = await RawSocket.authenticated(env.url, alice);
    const id = randomMessageId();
    again.send({ type: 'send', id, to: 'bob', toDevice: 1, body: body(5) });
    expect(await again.next((f) => f.type === 'stored')).toMatchObject({ id });
    again.close();
    expect((await getJson(`${env.url}/healthz`)).status).toBe(200);
  });

  it('closes a socket with an invalid token, and refuses floods with RATE_LIMITED', async () => {
    const bad = await RawSocket.open(env.url);
    bad.send({ type: 'auth', token: 'x'.repeat(40) });
    expect((await bad.waitClosed()).code).toBe(4401);
    const limited = await startInProcess({}, { SEND_RATE_PER_SECOND: '5' });
    try {
      const [x, y] = await Promise.all([register(limited.url, 'xavier'), register(limited.url, 'yvonne')]);
      const s = await RawSocket.authenticated(limited.url, x);
      for (let i = 0; i < 40; i++) s.send({ type: 'send', id: `flood-${i}-xxxx`, to: 'yvonne', toDevice: 1, body: body(6) });
      const answers = [];
      for (let i = 0; i < 40; i++) answers.push(await s.next((f) => f.type === 'stored' || f.type === 'error'));
      const limitedCount = answers.filter((f) => f.type === 'error' && f.code === 'RATE_LIMITED').length;
      expect(limitedCount).toBeGreaterThan(20);
      expect(answers.filter((f) => f.type === 'stored').length).toBe(40 - limitedCount);
      const stored = limited.server.db.prepare("SELECT count(*) AS n FROM mailbox WHERE recipient = 'yvonne'").get() as { n: number };
      expect(stored.n).toBe(40 - limitedCount);
      s.close();
      void y;
    } finally {
      await limited.close();
    }
  });

  it('replaces an older connection of the same device', async () => {
    const first = await RawSocket.authenticated(env.url, bob);
    const second = await RawSocket.authenticated(env.url, bob);
    expect((await first.waitClosed()).code).toBe(4409);
    second.close();
  });
});
