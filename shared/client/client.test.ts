/**
 * EnvelopeClient end to end over an in-memory HTTP server (fake-server.ts)
 * and scripted sockets (fake-websocket.ts): real crypto, real stores, and the
 * delivery guarantees the relay contract relies on.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { cryptoReady } from '../crypto/sodium.js';
import type { ClientEvents } from './client-events.js';
import { EnvelopeClient } from './client.js';
import { isClientError } from './errors.js';
import { fakeHttpServer, type FakeHttpServer } from './fake-server.js';
import { fakeWebSocketFactory, type FakeSocket } from './fake-websocket.js';
import { MemoryStore } from './store.js';

beforeAll(async () => {
  await cryptoReady();
});

const READY = (username: string) => ({ type: 'ready', username, deviceId: 1, prekeys: { oneTimePreKeys: 100, kemPreKeys: 20, low: false } });

interface TestClient {
  client: EnvelopeClient;
  store: MemoryStore;
  sockets: ReturnType<typeof fakeWebSocketFactory>;
  events: { [K in keyof ClientEvents]: ClientEvents[K][] };
  name: string;
}

async function makeClient(http: FakeHttpServer, name: string): Promise<TestClient> {
  const sockets = fakeWebSocketFactory();
  const store = new MemoryStore();
  const client = await EnvelopeClient.open({
    serverUrl: 'http://server.test',
    store,
    WebSocket: sockets.WebSocket,
    fetch: http.fetch,
    backoff: { initialMs: 10, maxMs: 40, minMs: 1 },
  });
  await client.register(name);
  const events = {} as TestClient['events'];
  for (const event of ['status', 'ready', 'message', 'undecryptable', 'held', 'key-changed', 'stored', 'send-failed', 'prekeys-refilled', 'error'] as const) {
    const list: unknown[] = [];
    (events as Record<string, unknown[]>)[event] = list;
    client.events.on(event, (payload) => list.push(payload));
  }
  return { client, store, sockets, events, name };
}

/** Waits for the client's next socket, opens it, pushes `backlog` then ready, and waits until all of it is handled. */
async function goOnline(c: TestClient, backlog: unknown[] = []): Promise<FakeSocket> {
  if (c.sockets.sockets.length === 0) c.client.connect();
  // The next attempt's socket: created, not opened yet.
  await vi.waitFor(() => expect(c.sockets.latest().readyState).toBe(0));
  const socket = c.sockets.latest();
  socket.open();
  const ready = c.client.whenReady(5_000);
  for (const frame of backlog) socket.push(frame);
  socket.push(READY(c.name));
  await ready;
  return socket;
}

/** What the relay would push to the recipient for a `send` frame. */
function relay(send: Record<string, unknown>, from: string): Record<string, unknown> {
  return { type: 'message', id: send.id, from, fromDevice: 1, sentAt: Date.now(), body: send.body };
}

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isClientError(error) ? error.code : String(error);
  }
  return 'resolved';
}

describe('EnvelopeClient', () => {
  it('stores a message in the outbox before it is on the wire, and send resolves once the server has stored it', async () => {
    const http = fakeHttpServer();
    const alice = await makeClient(http, 'alice');
    await makeClient(http, 'bob');
    const socket = await goOnline(alice);
    const pending = await alice.client.enqueue('bob', 'hello');
    const [queued] = await alice.client.outbox();
    const [sent] = socket.sentOfType('send');
    expect(sent).toEqual({ type: 'send', id: pending.id, to: 'bob', toDevice: 1, body: queued!.body });
    socket.push({ type: 'stored', id: pending.id, storedAt: 1234 });
    expect(await pending.stored).toEqual({ id: pending.id, to: 'bob', storedAt: 1234 });
    expect(await alice.client.outbox()).toEqual([]);
    expect(alice.events.stored.map((e) => e.id)).toEqual([pending.id]);
  });

  it('resends an unconfirmed envelope on every reconnect until it is stored, byte for byte', async () => {
    const http = fakeHttpServer();
    const alice = await makeClient(http, 'alice');
    await makeClient(http, 'bob');
    alice.client.connect();
    // Queued while the socket is not up yet: nothing can be sent.
    const pending = await alice.client.enqueue('bob', 'are you there?');
    const first = await goOnline(alice);
    first.close(1006);
    const second = await goOnline(alice);
    second.close(1006);
    const third = await goOnline(alice);
    const bodies = [first, second, third].map((s) => s.sentOfType('send').map((f) => f.body));
    expect(bodies.every((b) => b.length === 1 && b[0] === bodies[0]![0])).toBe(true);
    third.push({ type: 'stored', id: pending.id, storedAt: 99 });
    expect((await pending.stored).storedAt).toBe(99);
    third.close(1006);
    const fourth = await goOnline(alice);
    expect(fourth.sentOfType('send')).toEqual([]);
  });

  it('acks a received message only after it is stored, and shows a repeat once', async () => {
    const http = fakeHttpServer();
    const alice = await makeClient(http, 'alice');
    const bob = await makeClient(http, 'bob');
    const aliceSocket = await goOnline(alice);
    await alice.client.enqueue('bob', 'hi bob');
    const message = relay(aliceSocket.sentOfType('send')[0]!, 'alice');

    // Hold Bob's store writes until we let them through.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const put = bob.store.put.bind(bob.store);
    bob.store.put = async (entries) => {
      await gate;
      return put(entries);
    };
    bob.client.connect();
    await vi.waitFor(() => expect(bob.sockets.sockets).toHaveLength(1));
    const bobSocket = bob.sockets.latest();
    bobSocket.open();
    bobSocket.push(message);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bobSocket.sentOfType('ack')).toEqual([]);
    expect(await bob.client.messages()).toEqual([]);
    release();
    await vi.waitFor(() => expect(bobSocket.sentOfType('ack')).toEqual([{ type: 'ack', ids: [message.id] }]));
    expect((await bob.client.messages()).map((m) => (m.kind === 'text' ? m.text : m.reason))).toEqual(['hi bob']);

    // Delivered again (our ack was lost): acked again, not shown again.
    const ready = bob.client.whenReady(5_000);
    bobSocket.push(message);
    bobSocket.push(READY('bob'));
    await ready;
    expect(bobSocket.sentOfType('ack')).toHaveLength(2);
    expect(bob.events.message.map((m) => m.text)).toEqual(['hi bob']);

    // Shown once: marked read, it leaves the unread list and stays in the history.
    await bob.client.markRead([message.id as never]);
    expect(await bob.client.messages({ unreadOnly: true })).toEqual([]);
    expect((await bob.client.messages()).map((m) => [m.id, m.read])).toEqual([[message.id, true]]);
  });

  it('acks a message that cannot be decrypted, and reports it', async () => {
    const http = fakeHttpServer();
    const bob = await makeClient(http, 'bob');
    const junk = { type: 'message', id: 'junk-message-1', from: 'mallory', fromDevice: 1, sentAt: 1, body: 'AQIDBAUG' };
    const socket = await goOnline(bob, [junk]);
    expect(socket.sentOfType('ack')).toEqual([{ type: 'ack', ids: ['junk-message-1'] }]);
    expect(bob.events.undecryptable.map((e) => [e.id, e.from, e.reason])).toEqual([['junk-message-1', 'mallory', 'NO_SESSION']]);
  });

  it('a recipient the server does not know fails the send and leaves the outbox; a rate limit is retried', async () => {
    const http = fakeHttpServer();
    const alice = await makeClient(http, 'alice');
    await makeClient(http, 'bob');
    const socket = await goOnline(alice);
    const refused = await alice.client.enqueue('bob', 'one');
    socket.push({ type: 'error', id: refused.id, code: 'UNKNOWN_RECIPIENT', message: 'gone' });
    expect(await errorCode(refused.stored)).toBe('UNKNOWN_USER');
    expect(await alice.client.outbox()).toEqual([]);
    expect(alice.events['send-failed'].map((e) => e.id)).toEqual([refused.id]);

    const limited = await alice.client.enqueue('bob', 'two');
    socket.push({ type: 'error', id: limited.id, code: 'RATE_LIMITED', message: 'slow down' });
    await vi.waitFor(() => expect(socket.sentOfType('send').filter((f) => f.id === limited.id)).toHaveLength(2), { timeout: 3_000 });
    socket.push({ type: 'stored', id: limited.id, storedAt: 7 });
    expect((await limited.stored).storedAt).toBe(7);
  });

  it('unknown users are UNKNOWN_USER before anything is queued', async () => {
    const http = fakeHttpServer();
    const alice = await makeClient(http, 'alice');
    await goOnline(alice);
    expect(await errorCode(alice.client.send('nobody', 'hi'))).toBe('UNKNOWN_USER');
    expect(await alice.client.outbox()).toEqual([]);
  });

  it('a key change: event, sending refused with KEY_CHANGED, held messages released as messages by trustNewKey', async () => {
    const http = fakeHttpServer();
    const alice = await makeClient(http, 'alice');
    const bob = await makeClient(http, 'bob');
    const aliceSocket = await goOnline(alice);
    await alice.client.enqueue('bob', 'hello');
    await goOnline(bob, [relay(aliceSocket.sentOfType('send')[0]!, 'alice')]);

    http.forget('bob');
    const newBob = await makeClient(http, 'bob');
    const newBobSocket = await goOnline(newBob);
    await newBob.client.enqueue('alice', 'new phone');
    const ready = alice.client.whenReady(5_000);
    aliceSocket.push(relay(newBobSocket.sentOfType('send')[0]!, 'bob'));
    aliceSocket.push(READY('alice'));
    await ready;
    expect(alice.events['key-changed']).toEqual([{ contact: 'bob', deviceId: 1 }]);
    expect(alice.events.held).toHaveLength(1);
    expect(alice.events.message).toEqual([]);
    expect(await alice.client.heldCount()).toBe(1);
    expect(await errorCode(alice.client.send('bob', 'still there?'))).toBe('KEY_CHANGED');
    expect((await alice.client.contacts()).find((c) => c.username === 'bob')?.keyChangePending).toBe(true);

    const outcomes = await alice.client.trustNewKey('bob');
    expect(outcomes.map((o) => o.kind)).toEqual(['message']);
    expect(alice.events.message.map((m) => m.text)).toEqual(['new phone']);
    expect(await alice.client.heldCount()).toBe(0);
    const reply = await alice.client.enqueue('bob', 'welcome back');
    expect(reply.id).toBeTruthy();
  });

  it('refills one-time prekeys when the server says they run low', async () => {
    const http = fakeHttpServer();
    const alice = await makeClient(http, 'alice');
    const socket = await goOnline(alice);
    socket.push({ type: 'prekeys-low', oneTimePreKeys: 4, kemPreKeys: 15 });
    await vi.waitFor(() => expect(http.uploads).toHaveLength(1));
    const upload = http.uploads[0] as { oneTimePreKeys: unknown[]; kemPreKeys: unknown[] };
    expect([upload.oneTimePreKeys.length, upload.kemPreKeys.length]).toEqual([96, 5]);
    await vi.waitFor(() => expect(alice.events['prekeys-refilled']).toHaveLength(1));
  });

  it('logs in again when a token is refused, once', async () => {
    const http = fakeHttpServer();
    const alice = await makeClient(http, 'alice');
    await makeClient(http, 'bob');
    http.failNext('/api/accounts/bob/bundle', 401, 'UNAUTHORIZED');
    await alice.client.enqueue('bob', 'hi');
    expect(http.requests.filter((r) => r === 'POST /api/auth/session')).toHaveLength(1);
    expect(http.requests.filter((r) => r === 'GET /api/accounts/bob/bundle')).toHaveLength(2);
  });

  it('profile errors have codes: NOT_REGISTERED, ALREADY_REGISTERED, USERNAME_TAKEN', async () => {
    const http = fakeHttpServer();
    const fresh = await EnvelopeClient.open({ serverUrl: 'http://server.test', store: new MemoryStore(), WebSocket: fakeWebSocketFactory().WebSocket, fetch: http.fetch });
    expect(await errorCode(fresh.send('bob', 'hi'))).toBe('NOT_REGISTERED');
    const alice = await makeClient(http, 'alice');
    expect(await errorCode(alice.client.register('alice2'))).toBe('ALREADY_REGISTERED');
    expect(await errorCode(fresh.register('alice'))).toBe('USERNAME_TAKEN');
    // The profile survives a reopen from its store.
    const reopened = await EnvelopeClient.open({ store: alice.store, WebSocket: fakeWebSocketFactory().WebSocket, fetch: http.fetch });
    expect(reopened.account).toEqual({ username: 'alice', deviceId: 1 });
    expect(reopened.serverUrl).toBe('http://server.test');
  });

  it('a registration whose answer was lost is finished by registering again, with the same keys', async () => {
    const http = fakeHttpServer();
    let loseAnswer = true;
    const lossy: typeof http.fetch = async (input, init) => {
      const response = await http.fetch(input, init);
      if (loseAnswer && input.endsWith('/api/accounts')) {
        loseAnswer = false;
        throw new TypeError('connection reset'); // the server registered us; we never heard
      }
      return response;
    };
    const store = new MemoryStore();
    const client = await EnvelopeClient.open({ serverUrl: 'http://server.test', store, WebSocket: fakeWebSocketFactory().WebSocket, fetch: lossy });
    expect(await errorCode(client.register('alice'))).toBe('SERVER_UNREACHABLE');
    expect(client.account).toBeNull();
    const identity = (await store.get<{ identity: { publicKey: string } }>('self'))!.identity.publicKey;
    expect(await client.register('alice')).toEqual({ username: 'alice', deviceId: 1 });
    expect((await store.get<{ identity: { publicKey: string }; registered: boolean }>('self'))!).toMatchObject({ identity: { publicKey: identity }, registered: true });
  });

  it('close() fails sends still waiting, and their envelopes stay in the outbox for next time', async () => {
    const http = fakeHttpServer();
    const alice = await makeClient(http, 'alice');
    await makeClient(http, 'bob');
    await goOnline(alice);
    const pending = await alice.client.enqueue('bob', 'unconfirmed');
    await alice.client.close();
    expect(await errorCode(pending.stored)).toBe('CLOSED');
    expect((await alice.client.outbox()).map((e) => e.id)).toEqual([pending.id]);
  });

  it('whenReady gives up with SERVER_UNREACHABLE when the server never answers', async () => {
    const http = fakeHttpServer();
    const alice = await makeClient(http, 'alice');
    alice.client.connect();
    expect(await errorCode(alice.client.whenReady(100))).toBe('SERVER_UNREACHABLE');
    await alice.client.close();
  });
});
