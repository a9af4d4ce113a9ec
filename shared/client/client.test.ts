/**
 * EnvelopeClient end to end against the real server, in process (real
 * SQLite in a temporary directory, real HTTP, real WebSockets): real crypto,
 * real stores, and the delivery guarantees the relay contract relies on.
 *
 * Faults the server cannot produce on demand come from wire-tap.ts, which
 * forwards to the real sockets and fetch and only loses, holds or cuts
 * traffic. An account the server has no way to delete is removed from its
 * database, as an operator would, and the server restarted on the same data.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RELAY_OPTIONS } from '@envelope/server/domain/relay-types.js';
import { getJson, PATIENCE_MS, randomMessageId, RawSocket, register as registerRaw, startInProcess, UNLIMITED_BUNDLE_FETCHES } from '@envelope/testkit/harness.js';
import { cryptoReady } from '@envelope/crypto-public';
import type { ClientEvents } from './client-events.js';
import { EnvelopeClient } from './client.js';
import { clientErrorCode } from './testing.js';
import { SelfKind } from './record-schemas.js';
import { MemoryStore } from './store.js';
import { readRecord } from './store-records.js';
import { fetchTap, wireTap, type FetchTap, type TappedSocket, type WireTap } from '@envelope/testkit/wire-tap.js';

beforeAll(async () => {
  await cryptoReady();
});

type Server = Awaited<ReturnType<typeof startInProcess>>;
type StartOverrides = Parameters<typeof startInProcess>[0];

const running = new Set<Server>();
const clients: EnvelopeClient[] = [];
const rawSockets: RawSocket[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const raw of rawSockets.splice(0)) raw.close();
  await Promise.all([...running].map((server) => server.close()));
  running.clear();
});

async function startServer(overrides: StartOverrides = {}, env: NodeJS.ProcessEnv = {}): Promise<Server> {
  const server = await startInProcess(overrides, env);
  running.add(server);
  return server;
}

async function stopServer(server: Server): Promise<void> {
  running.delete(server);
  await server.close();
}

/** Stops the server and starts a new one on the same port and data directory. */
async function restartServer(server: Server): Promise<Server> {
  await stopServer(server);
  return startServer({ ...server.config, port: Number(new URL(server.url).port) });
}

/** Removes an account from the server's database (the server has no API for it), as an operator would. */
function deleteAccount(server: Server, username: string): void {
  const db = server.server.db;
  db.transaction(() => {
    for (const table of ['kem_prekeys', 'one_time_prekeys', 'signed_prekeys', 'auth_tokens']) {
      db.prepare(`DELETE FROM ${table} WHERE username = ?`).run(username);
    }
    db.prepare('DELETE FROM mailbox WHERE recipient = ?').run(username);
    db.prepare('DELETE FROM devices WHERE username = ?').run(username);
    db.prepare('DELETE FROM accounts WHERE username = ?').run(username);
  })();
}

/** What the server holds for `recipient`, oldest first. */
function mailbox(server: Server, recipient: string): { id: string; body: string; storedAt: number }[] {
  return server.server.db
    .prepare<[string], { id: string; body: Buffer; storedAt: number }>(
      'SELECT message_id AS id, body, stored_at AS storedAt FROM mailbox WHERE recipient = ? ORDER BY seq',
    )
    .all(recipient)
    .map((row) => ({ ...row, body: row.body.toString('base64url') }));
}

interface TestClient {
  client: EnvelopeClient;
  store: MemoryStore;
  tap: WireTap;
  http: FetchTap;
  events: { [K in keyof ClientEvents]: ClientEvents[K][] };
}

async function makeClient(server: Server, name?: string, store = new MemoryStore()): Promise<TestClient> {
  const tap = wireTap();
  const http = fetchTap();
  const client = await EnvelopeClient.open({
    serverUrl: server.url,
    store,
    WebSocket: tap.WebSocket,
    fetch: http.fetch,
    backoff: { initialMs: 50, maxMs: 200, minMs: 10 },
  });
  clients.push(client);
  if (name) await client.register(name);
  const events = {} as TestClient['events'];
  for (const event of ['status', 'ready', 'message', 'undecryptable', 'held', 'key-changed', 'stored', 'send-failed', 'prekeys-refilled', 'error'] as const) {
    const list: unknown[] = [];
    (events as Record<string, unknown[]>)[event] = list;
    client.events.on(event, (payload) => list.push(payload));
  }
  return { client, store, tap, http, events };
}

/** Connects and waits for the server's `ready` (the backlog is delivered and handled). */
async function online(c: TestClient): Promise<TappedSocket> {
  const ready = c.client.whenReady(PATIENCE_MS);
  c.client.connect();
  await ready;
  return c.tap.latest();
}

/** Cuts the connection and waits until the client is back (ready again). */
async function reconnect(c: TestClient): Promise<TappedSocket> {
  const ready = c.client.whenReady(PATIENCE_MS);
  c.tap.latest().cut();
  await ready;
  return c.tap.latest();
}

const texts = async (c: TestClient) => (await c.client.messages()).map((m) => (m.kind === 'text' ? m.text : m.reason));

describe('EnvelopeClient against the real server', () => {
  it('stores a message in the outbox before it is on the wire, and send resolves once the server has stored it', async () => {
    const server = await startServer();
    const alice = await makeClient(server, 'alice');
    await makeClient(server, 'bob');
    const socket = await online(alice);
    alice.tap.faults.holding = true; // the server's answers are on their way, slowly
    const pending = await alice.client.enqueue('bob', 'hello');
    const [queued] = await alice.client.outbox();
    expect(queued!.commitment).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(socket.sentOfType('send')).toEqual([{ type: 'send', id: pending.id, to: 'bob', toDevice: 1, body: queued!.body, commitment: queued!.commitment }]);
    // The server has committed it; until its answer arrives the envelope stays in the outbox.
    await vi.waitFor(() => expect(mailbox(server, 'bob').map((m) => [m.id, m.body])).toEqual([[pending.id, queued!.body]]));
    expect(await alice.client.outbox()).toHaveLength(1);
    alice.tap.release();
    expect(await pending.stored).toEqual({ id: pending.id, to: 'bob', storedAt: mailbox(server, 'bob')[0]!.storedAt });
    expect(await alice.client.outbox()).toEqual([]);
    expect(alice.events.stored.map((e) => e.id)).toEqual([pending.id]);
  });

  it('resends an unconfirmed envelope on every reconnect until it is stored, byte for byte', async () => {
    const server = await startServer();
    const alice = await makeClient(server, 'alice');
    await makeClient(server, 'bob');
    const first = await online(alice);
    alice.tap.faults.dropIncoming = (frame) => frame.type === 'stored'; // confirmations lost in transit
    const pending = await alice.client.enqueue('bob', 'are you there?');
    await vi.waitFor(() => expect(mailbox(server, 'bob')).toHaveLength(1));
    const second = await reconnect(alice);
    const third = await reconnect(alice);
    alice.tap.faults.dropIncoming = null;
    const fourth = await reconnect(alice);
    const bodies = [first, second, third, fourth].map((s) => s.sentOfType('send').map((f) => f.body));
    expect(bodies.every((b) => b.length === 1 && b[0] === bodies[0]![0])).toBe(true);
    // The server kept one copy, and confirms the resend with the time it stored the first.
    const [kept] = mailbox(server, 'bob');
    expect(mailbox(server, 'bob')).toHaveLength(1);
    expect(await pending.stored).toEqual({ id: pending.id, to: 'bob', storedAt: kept!.storedAt });
    expect(await alice.client.outbox()).toEqual([]);
    const fifth = await reconnect(alice);
    expect(fifth.sentOfType('send')).toEqual([]);
  });

  it('a message queued while the server is down goes out when it is back on the same data', async () => {
    let server = await startServer();
    const alice = await makeClient(server, 'alice');
    const bob = await makeClient(server, 'bob');
    await online(alice);
    await alice.client.send('bob', 'before');
    await stopServer(server);
    await vi.waitFor(() => expect(alice.client.status).not.toBe('online'));
    // The session exists: encrypting needs no server, and the envelope waits in the outbox.
    const pending = await alice.client.enqueue('bob', 'during');
    expect((await alice.client.outbox()).map((e) => e.id)).toEqual([pending.id]);
    server = await restartServer(server);
    await pending.stored;
    expect(await alice.client.outbox()).toEqual([]);
    await online(bob);
    expect(await texts(bob)).toEqual(['before', 'during']);
  });

  it('acks a received message only after it is stored, and shows a repeat once', async () => {
    const server = await startServer();
    const alice = await makeClient(server, 'alice');
    const bob = await makeClient(server, 'bob');
    await online(alice);
    const sent = await alice.client.send('bob', 'hi bob');

    // Hold Bob's store writes until we let them through.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const put = bob.store.put.bind(bob.store);
    bob.store.put = async (entries, options) => {
      await gate;
      return put(entries, options);
    };
    bob.tap.faults.dropOutgoing = (frame) => frame.type === 'ack'; // Bob's first ack is lost in transit
    const ready = bob.client.whenReady(PATIENCE_MS);
    bob.client.connect();
    await vi.waitFor(() => expect(bob.tap.latest().receivedOfType('message').map((f) => f.id)).toEqual([sent.id]));
    const first = bob.tap.latest();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(first.sentOfType('ack')).toEqual([]);
    expect(await bob.client.messages()).toEqual([]);
    release();
    await ready;
    expect(first.sentOfType('ack')).toEqual([{ type: 'ack', ids: [sent.id] }]);
    expect(await texts(bob)).toEqual(['hi bob']);

    // The server never heard the ack: it delivers again on the next connection; acked again, not shown again.
    expect(mailbox(server, 'bob')).toHaveLength(1);
    bob.tap.faults.dropOutgoing = null;
    const second = await reconnect(bob);
    expect(second.receivedOfType('message').map((f) => f.id)).toEqual([sent.id]);
    expect(second.sentOfType('ack')).toEqual([{ type: 'ack', ids: [sent.id] }]);
    await vi.waitFor(() => expect(mailbox(server, 'bob')).toEqual([]));
    expect(bob.events.message.map((m) => m.text)).toEqual(['hi bob']);

    // Shown once: marked read, it leaves the unread list and stays in the history.
    await bob.client.markRead([sent.id]);
    expect(await bob.client.messages({ unreadOnly: true })).toEqual([]);
    expect((await bob.client.messages()).map((m) => [m.id, m.read])).toEqual([[sent.id, true]]);
  });

  it('acks a message that cannot be decrypted, and reports it', async () => {
    const server = await startServer();
    const bob = await makeClient(server, 'bob');
    const mallory = await registerRaw(server.url, 'mallory');
    const raw = await RawSocket.authenticated(server.url, mallory);
    rawSockets.push(raw);
    const id = randomMessageId();
    raw.send({ type: 'send', id, to: 'bob', toDevice: 1, body: 'AQIDBAUG' });
    await raw.next((f) => f.type === 'stored');
    const socket = await online(bob);
    expect(socket.sentOfType('ack')).toEqual([{ type: 'ack', ids: [id] }]);
    expect(bob.events.undecryptable.map((e) => [e.id, e.from, e.reason])).toEqual([[id, 'mallory', 'NO_SESSION']]);
    await vi.waitFor(() => expect(mailbox(server, 'bob')).toEqual([]));
  });

  it('a recipient the server no longer knows fails the send and leaves the outbox', async () => {
    let server = await startServer();
    const alice = await makeClient(server, 'alice');
    await makeClient(server, 'bob');
    await online(alice);
    await alice.client.send('bob', 'one');
    deleteAccount(server, 'bob');
    server = await restartServer(server);
    await alice.client.whenReady(PATIENCE_MS);
    const refused = await alice.client.enqueue('bob', 'two');
    expect(await clientErrorCode(refused.stored)).toBe('UNKNOWN_USER');
    expect(alice.tap.latest().receivedOfType('error')).toMatchObject([{ id: refused.id, code: 'UNKNOWN_RECIPIENT' }]);
    expect(await alice.client.outbox()).toEqual([]);
    expect(alice.events['send-failed'].map((e) => e.id)).toEqual([refused.id]);
  });

  it('a send refused by the rate limit is sent again until it is stored', async () => {
    const server = await startServer({ relay: { ...DEFAULT_RELAY_OPTIONS, sendLimit: { perSecond: 2, burst: 1 } } });
    const alice = await makeClient(server, 'alice');
    await makeClient(server, 'bob');
    const socket = await online(alice);
    await alice.client.send('bob', 'one');
    const limited = await alice.client.enqueue('bob', 'two');
    await limited.stored;
    expect(socket.receivedOfType('error')).toContainEqual(expect.objectContaining({ id: limited.id, code: 'RATE_LIMITED' }));
    expect(socket.sentOfType('send').filter((f) => f.id === limited.id).length).toBeGreaterThanOrEqual(2);
    expect(await alice.client.outbox()).toEqual([]);
    expect(mailbox(server, 'bob').map((m) => m.id)).toContain(limited.id);
  });

  it('unknown users are UNKNOWN_USER before anything is queued', async () => {
    const server = await startServer();
    const alice = await makeClient(server, 'alice');
    await online(alice);
    expect(await clientErrorCode(alice.client.send('nobody', 'hi'))).toBe('UNKNOWN_USER');
    expect(await alice.client.outbox()).toEqual([]);
  });

  it('a key change: event, sending refused with KEY_CHANGED, held messages released as messages by trustNewKey', async () => {
    let server = await startServer();
    const alice = await makeClient(server, 'alice');
    const oldBob = await makeClient(server, 'bob');
    await online(alice);
    await alice.client.send('bob', 'hello');
    await oldBob.client.close();

    // Bob reinstalls: his account is gone and registered again with new keys.
    deleteAccount(server, 'bob');
    server = await restartServer(server);
    await alice.client.whenReady(PATIENCE_MS);
    const newBob = await makeClient(server, 'bob');
    await online(newBob);
    await newBob.client.send('alice', 'new phone');

    await vi.waitFor(() => expect(alice.events.held).toHaveLength(1), { timeout: PATIENCE_MS });
    expect(alice.events['key-changed']).toEqual([{ contact: 'bob', deviceId: 1 }]);
    expect(alice.events.message).toEqual([]);
    expect(await alice.client.heldCount()).toBe(1);
    expect(await clientErrorCode(alice.client.send('bob', 'still there?'))).toBe('KEY_CHANGED');
    expect((await alice.client.contacts()).find((c) => c.username === 'bob')?.keyChangePending).toBe(true);

    const outcomes = await alice.client.trustNewKey('bob');
    expect(outcomes.map((o) => o.kind)).toEqual(['message']);
    expect(alice.events.message.map((m) => m.text)).toEqual(['new phone']);
    expect(await alice.client.heldCount()).toBe(0);
    await alice.client.send('bob', 'welcome back');
    await vi.waitFor(() => expect(newBob.events.message.map((m) => m.text)).toEqual(['welcome back']));
  });

  it('refills one-time prekeys when the server says they run low', async () => {
    const server = await startServer({ bundleFetchLimits: UNLIMITED_BUNDLE_FETCHES });
    const alice = await makeClient(server, 'alice');
    const socket = await online(alice);
    const carol = await registerRaw(server.url, 'carol');
    // Each fetch takes one one-time key of each kind; KEM keys (20) run low first.
    for (let i = 0; i < 11; i++) {
      const { status } = await getJson(`${server.url}/api/accounts/alice/bundle`, carol.token);
      expect(status).toBe(200);
    }
    await vi.waitFor(() => expect(alice.events['prekeys-refilled']).toHaveLength(1));
    expect(socket.receivedOfType('prekeys-low').length).toBeGreaterThanOrEqual(1);
    expect(alice.http.requests.filter((r) => r === 'PUT /api/keys')).toHaveLength(1);
    expect(alice.events['prekeys-refilled'][0]).toEqual({ oneTimePreKeys: 100, kemPreKeys: 20, low: false });
    // The server's own count says nothing is missing now.
    expect(await alice.client.refillPreKeys()).toBeNull();
    expect(alice.http.requests).toContain('GET /api/keys');
  });

  it('logs in again when a token is refused, once: over HTTP (401) and over the socket (4401)', async () => {
    const server = await startServer();
    const alice = await makeClient(server, 'alice');
    await makeClient(server, 'bob');
    server.server.db.prepare('DELETE FROM auth_tokens WHERE username = ?').run('alice'); // the server forgot our token
    const pending = await alice.client.enqueue('bob', 'hi');
    expect(alice.http.requests.filter((r) => r === 'POST /api/auth/session')).toHaveLength(1);
    expect(alice.http.requests.filter((r) => r === 'GET /api/accounts/bob/bundle')).toHaveLength(2);

    server.server.db.prepare('DELETE FROM auth_tokens WHERE username = ?').run('alice');
    const socket = await online(alice);
    expect(alice.tap.sockets[0]!.closeCode).toBe(4401);
    expect(alice.http.requests.filter((r) => r === 'POST /api/auth/session')).toHaveLength(2);
    expect(socket.sent[0]).not.toEqual(alice.tap.sockets[0]!.sent[0]);
    await pending.stored;
  });

  it('profile errors have codes: NOT_REGISTERED, ALREADY_REGISTERED, USERNAME_TAKEN', async () => {
    const server = await startServer();
    const fresh = await makeClient(server);
    expect(await clientErrorCode(fresh.client.send('bob', 'hi'))).toBe('NOT_REGISTERED');
    const alice = await makeClient(server, 'alice');
    expect(await clientErrorCode(alice.client.register('alice2'))).toBe('ALREADY_REGISTERED');
    expect(await clientErrorCode(fresh.client.register('alice'))).toBe('USERNAME_TAKEN');
    // The profile survives a reopen from its store.
    const reopened = await EnvelopeClient.open({ store: alice.store, WebSocket: wireTap().WebSocket });
    clients.push(reopened);
    expect(reopened.account).toEqual({ username: 'alice', deviceId: 1 });
    expect(reopened.serverUrl).toBe(server.url);
  });

  it('a registration whose answer was lost is finished by registering again, with the same keys', async () => {
    const server = await startServer();
    const alice = await makeClient(server);
    alice.http.loseNextResponse('/api/accounts'); // the server registers us; we never hear
    expect(await clientErrorCode(alice.client.register('alice'))).toBe('SERVER_UNREACHABLE');
    expect(alice.client.account).toBeNull();
    const identity = (await readRecord(alice.store, SelfKind, 'self'))!.identity.publicKey;
    expect(await alice.client.register('alice')).toEqual({ username: 'alice', deviceId: 1 });
    expect((await readRecord(alice.store, SelfKind, 'self'))!).toMatchObject({ identity: { publicKey: identity }, registered: true });
    // Finished by logging in with the stored keys, not by a second registration.
    expect(alice.http.requests.filter((r) => r === 'POST /api/accounts')).toHaveLength(1);
    expect(alice.http.requests).toContain('POST /api/auth/session');
    await online(alice);
  });

  it('close() fails sends still waiting, and their envelopes stay in the outbox for next time', async () => {
    const server = await startServer();
    const alice = await makeClient(server, 'alice');
    await makeClient(server, 'bob');
    await online(alice);
    alice.tap.faults.dropIncoming = (frame) => frame.type === 'stored';
    const pending = await alice.client.enqueue('bob', 'unconfirmed');
    await alice.client.close();
    expect(await clientErrorCode(pending.stored)).toBe('CLOSED');
    expect((await alice.client.outbox()).map((e) => e.id)).toEqual([pending.id]);
  });

  it('whenReady gives up with SERVER_UNREACHABLE when the server never answers', async () => {
    const server = await startServer();
    const alice = await makeClient(server, 'alice');
    alice.tap.faults.dropIncoming = () => true; // the socket opens, and then goes silent
    alice.client.connect();
    expect(await clientErrorCode(alice.client.whenReady(300))).toBe('SERVER_UNREACHABLE');
    expect(alice.tap.latest().sent).toMatchObject([{ type: 'auth' }]);
  });
});
