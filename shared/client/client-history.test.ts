/**
 * What the web app reads from EnvelopeClient, end to end against the real
 * server in process (real SQLite, HTTP, WebSockets, crypto): sent history and
 * its delivery states, conversations, the X-ray beside the server's own row,
 * and resetKeys ("I reinstalled the app") as the contact sees it.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { FAST_BACKOFF, liveClients, online as goOnline, type InProcessServer as Server } from '@envelope/testkit/live-clients.js';
import { fromBase64Url, toBase64Url, utf8Decode, cryptoReady } from '@envelope/crypto-public';
import { sodium } from '@envelope/crypto';
import type { MessageId } from '@envelope/protocol';
import type { ClientEvents } from './client-events.js';
import type { EnvelopeClient } from './client.js';
import { clientErrorCode } from './testing.js';
import type { FetchLike } from './server-api.js';
import { MemoryStore } from './store.js';
import { PendingResetKind, SelfKind } from './record-schemas.js';
import { keys } from './store-keys.js';
import { readRecord } from './store-records.js';
import { fetchTap, wireTap, type FetchTap, type WireTap } from '@envelope/testkit/wire-tap.js';

beforeAll(async () => {
  await cryptoReady();
});

const live = liveClients();

interface TestClient {
  client: EnvelopeClient;
  store: MemoryStore;
  tap: WireTap;
  http: FetchTap;
  events: Partial<{ [K in keyof ClientEvents]: ClientEvents[K][] }>;
  /** Every store.put, in order. */
  puts: Record<string, unknown>[];
}

async function makeClient(server: Server, name: string, inner?: FetchLike): Promise<TestClient> {
  const tap = wireTap();
  const http = fetchTap(inner);
  const store = new MemoryStore();
  const puts: Record<string, unknown>[] = [];
  const put = store.put.bind(store);
  store.put = (entries, options) => {
    puts.push({ ...entries });
    return put(entries, options);
  };
  const client = await live.open({ serverUrl: server.url, store, WebSocket: tap.WebSocket, fetch: http.fetch, backoff: FAST_BACKOFF }, name);
  const events: TestClient['events'] = {};
  for (const event of ['conversation', 'delivered', 'held', 'key-changed', 'message', 'keys-reset', 'error'] as const) {
    const list: unknown[] = [];
    (events as Record<string, unknown[]>)[event] = list;
    client.events.on(event, (payload) => list.push(payload));
  }
  return { client, store, tap, http, events, puts };
}

const online = (c: TestClient) => goOnline(c.client);

const states = async (c: TestClient, contact: string) => (await c.client.conversation(contact)).map((e) => [e.direction, e.text, e.state]);
const sha256 = (bytes: Uint8Array) => toBase64Url(sodium().crypto_hash_sha256(bytes));

describe('sent history and conversations', () => {
  it('a sent message goes queued → stored → delivered, written with its outbox entry in one put', async () => {
    const server = await live.server();
    const alice = await makeClient(server, 'alice');
    const bob = await makeClient(server, 'bob');
    await online(alice);
    alice.tap.faults.holding = true; // the server's 'stored' answer waits
    const pending = await alice.client.enqueue('bob', 'hello bob');
    const written = alice.puts.find((entries) => keys.outbox(pending.id) in entries);
    expect(written).toBeDefined();
    expect(written![keys.sent(pending.id)]).toMatchObject({ id: pending.id, to: 'bob', text: 'hello bob', state: 'queued' });
    expect(await states(alice, 'bob')).toEqual([['sent', 'hello bob', 'queued']]);

    alice.tap.release();
    await pending.stored;
    expect(await states(alice, 'bob')).toEqual([['sent', 'hello bob', 'stored']]);
    // Stored is recorded in the same put that empties the outbox.
    const storedPut = alice.puts.find((entries) => keys.outbox(pending.id) in entries && entries[keys.outbox(pending.id)] === undefined);
    expect(storedPut![keys.sent(pending.id)]).toMatchObject({ state: 'stored' });

    await online(bob); // Bob's device takes it and acks: the server tells Alice
    await vi.waitFor(() => expect(alice.events.delivered).toHaveLength(1));
    expect(alice.events.delivered![0]).toMatchObject({ id: pending.id, messageId: pending.id, to: 'bob', toDevice: 1 });
    expect(await states(alice, 'bob')).toEqual([['sent', 'hello bob', 'delivered']]);
    expect(alice.events.conversation!.map((e) => e.contact)).toEqual(['bob', 'bob', 'bob']); // queued, stored, delivered
    expect(await states(bob, 'alice')).toEqual([['received', 'hello bob', 'received']]);
  });

  it('conversation merges both directions oldest first, and every change emits a conversation event', async () => {
    const server = await live.server();
    const alice = await makeClient(server, 'alice');
    const bob = await makeClient(server, 'bob');
    const carol = await makeClient(server, 'carol');
    await Promise.all([online(alice), online(bob), online(carol)]);
    await alice.client.send('bob', 'one');
    await vi.waitFor(() => expect(bob.events.message).toHaveLength(1));
    await bob.client.send('alice', 'two');
    await vi.waitFor(() => expect(alice.events.message).toHaveLength(1));
    await carol.client.send('alice', 'not in this conversation');
    await vi.waitFor(() => expect(alice.events.message).toHaveLength(2));
    await alice.client.send('bob', 'three');
    await vi.waitFor(async () => expect((await alice.client.conversation('bob')).at(-1)?.state).toBe('delivered'));

    const conversation = await alice.client.conversation('bob');
    expect(conversation.map((e) => [e.direction, e.peer, e.text, e.state])).toEqual([
      ['sent', 'bob', 'one', 'delivered'],
      ['received', 'bob', 'two', 'received'],
      ['sent', 'bob', 'three', 'delivered'],
    ]);
    const times = conversation.map((e) => e.at);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(await states(bob, 'alice')).toEqual([
      ['received', 'one', 'received'],
      ['sent', 'two', 'delivered'],
      ['received', 'three', 'received'],
    ]);
    expect(await states(alice, 'carol')).toEqual([['received', 'not in this conversation', 'received']]);
    const contacts = alice.events.conversation!.map((e) => e.contact);
    expect(contacts.filter((c) => c === 'carol')).toHaveLength(1); // received
    expect(contacts.filter((c) => c === 'bob')).toHaveLength(7); // 2 × (queued, stored, delivered) + received

    // Removing a message from the history takes it out of the conversation.
    await alice.client.removeMessages([conversation[0]!.id, conversation[1]!.id]);
    expect(await states(alice, 'bob')).toEqual([['sent', 'three', 'delivered']]);
    expect(await alice.client.xray(conversation[1]!.id)).toBeNull();
    expect(await clientErrorCode(alice.client.conversation('Not A Name'))).toBe('INVALID_ARGUMENT');
  });
});

describe('the X-ray', () => {
  it('shows a first (PQXDH) message and the ratchet steps of a reply, with the same bytes the recipient and the server hold', async () => {
    const server = await live.server();
    const alice = await makeClient(server, 'alice');
    const bob = await makeClient(server, 'bob');
    await online(alice);
    const first = await alice.client.send('bob', 'the first message');

    const sent = (await alice.client.xray(first.id))!;
    expect(sent).toMatchObject({ messageId: first.id, direction: 'sent', peer: 'bob', text: 'the first message' });
    expect(JSON.parse(utf8Decode(sent.encoded))).toMatchObject({ kind: 'text', text: 'the first message' });
    expect(sent.padded.length).toBe(64 << Math.ceil(Math.log2((sent.encoded.length + 1) / 64)));
    expect(sent.padded.subarray(0, sent.encoded.length)).toEqual(sent.encoded);
    expect(sent.padded[sent.encoded.length]).toBe(0x80);
    expect(sent.envelopes).toHaveLength(1);
    const [envelope] = sent.envelopes;
    expect(envelope).toMatchObject({ envelopeId: first.id, deviceId: 1, step: { handshake: 'pqxdh', messageIndex: 0, previousChainLength: 0, newRatchetKey: true } });
    expect(envelope!.step.ratchetKey).toHaveLength(32);

    // The server's row while the envelope waits: the very bytes sent, and their digest.
    const waiting = await alice.client.storedEnvelope(first.id);
    expect(waiting).toMatchObject({ id: first.id, sender: 'alice', recipient: 'bob', recipientDevice: 1, kind: 'session-start', deliveredAt: null });
    expect(waiting.ciphertext).toBe(envelope!.body);
    expect(waiting.ciphertextSha256).toBe(sha256(fromBase64Url(envelope!.body, 'body')));
    expect(waiting.size).toBe(fromBase64Url(envelope!.body, 'body').length);

    await online(bob);
    await vi.waitFor(() => expect(alice.events.delivered).toHaveLength(1));
    const received = (await bob.client.xray(first.id))!;
    expect(received).toMatchObject({ messageId: first.id, direction: 'received', peer: 'alice', text: 'the first message' });
    expect(received.envelopes.map((e) => e.body)).toEqual([envelope!.body]);
    expect(received.envelopes[0]!.step).toEqual(envelope!.step);
    expect(received.padded).toEqual(sent.padded);
    expect(received.encoded).toEqual(sent.encoded);
    // Delivered: the ciphertext is gone from the server, its digest still matches what both sides hold.
    const delivered = await bob.client.storedEnvelope(first.id);
    expect(delivered.ciphertext).toBeNull();
    expect(delivered.deliveredAt).not.toBeNull();
    expect(delivered.ciphertextSha256).toBe(sha256(fromBase64Url(received.envelopes[0]!.body, 'body')));

    // Bob's receipt (which made Alice's message delivered) started a new chain, a DH ratchet
    // step; his reply and his next message continue it.
    const reply = await bob.client.send('alice', 'a reply');
    const next = await bob.client.send('alice', 'and another');
    const replyStep = (await bob.client.xray(reply.id))!.envelopes[0]!.step;
    const nextStep = (await bob.client.xray(next.id))!.envelopes[0]!.step;
    expect(replyStep).toMatchObject({ handshake: null, messageIndex: 1, newRatchetKey: false });
    expect(nextStep).toMatchObject({ handshake: null, messageIndex: 2, newRatchetKey: false });
    expect(nextStep.ratchetKey).toEqual(replyStep.ratchetKey);
    expect(replyStep.ratchetKey).not.toEqual(envelope!.step.ratchetKey);
    await vi.waitFor(() => expect(alice.events.message).toHaveLength(2));
    expect((await alice.client.xray(next.id))!.envelopes[0]!.body).toBe((await bob.client.xray(next.id))!.envelopes[0]!.body);

    expect(await bob.client.xray('AAAAAAAAAAAAAAAAAAAAAA' as MessageId)).toBeNull();
    expect(await clientErrorCode(alice.client.storedEnvelope('AAAAAAAAAAAAAAAAAAAAAA' as MessageId))).toBe('NOT_FOUND');
  });
});

describe('resetKeys', () => {
  it('the contact sees a key change, holds the message, and the safety number and warnings follow', async () => {
    const server = await live.server();
    const alice = await makeClient(server, 'alice');
    const bob = await makeClient(server, 'bob');
    await Promise.all([online(alice), online(bob)]);
    await alice.client.send('bob', 'before');
    await vi.waitFor(() => expect(bob.events.message).toHaveLength(1));
    await bob.client.send('alice', 'hi');
    await vi.waitFor(() => expect(alice.events.message).toHaveLength(1));
    await bob.client.markVerified('alice');
    const bobsNumber = (await bob.client.safetyNumber('alice')).safetyNumber;
    const alicesNumber = (await alice.client.safetyNumber('bob')).safetyNumber;
    expect(bobsNumber).toBe(alicesNumber);
    const oldKey = (await readRecord(alice.store, SelfKind, keys.self))!.identity.publicKey;

    await alice.client.resetKeys();
    expect(alice.events['keys-reset']).toEqual([{ username: 'alice', deviceId: 1 }]);
    const self = (await readRecord(alice.store, SelfKind, keys.self))!;
    expect(self.identity.publicKey).not.toEqual(oldKey);
    expect(await alice.store.list(keys.allSessionsPrefix)).toEqual([]);
    expect(await alice.store.get(keys.pendingReset)).toBeUndefined();
    expect((await alice.client.safetyNumber('bob')).safetyNumber).not.toBe(alicesNumber);

    // The server closed Alice's socket when it replaced her key: this waits in the outbox until she is back with the new one.
    await alice.client.send('bob', 'after the reinstall');
    await vi.waitFor(() => expect(bob.events.held).toHaveLength(1));
    expect(bob.events['key-changed']).toEqual([{ contact: 'alice', deviceId: 1 }]);
    expect((await bob.client.contacts()).find((c) => c.username === 'alice')).toMatchObject({
      verified: true,
      keyChanged: true,
      keyChangePending: true,
      changedAfterVerification: true,
    });
    expect((await bob.client.safetyNumber('alice')).safetyNumber).toBe(bobsNumber); // still the trusted key's
    expect(await states(bob, 'alice')).toEqual([
      ['received', 'before', 'received'],
      ['sent', 'hi', 'delivered'],
      ['received', null, 'held'],
    ]);
    expect(await clientErrorCode(bob.client.send('alice', 'are you you?'))).toBe('KEY_CHANGED');

    const conversationEvents = bob.events.conversation!.length;
    await bob.client.trustNewKey('alice');
    expect(bob.events.conversation!.length).toBeGreaterThan(conversationEvents);
    expect((await states(bob, 'alice')).at(-1)).toEqual(['received', 'after the reinstall', 'received']);
    expect((await bob.client.contacts()).find((c) => c.username === 'alice')).toMatchObject({ verified: false, keyChanged: false, changedAfterVerification: false });
    const newNumber = (await bob.client.safetyNumber('alice')).safetyNumber;
    expect(newNumber).not.toBe(bobsNumber);
    expect(newNumber).toBe((await alice.client.safetyNumber('bob')).safetyNumber);
    await bob.client.send('alice', 'welcome back');
    await vi.waitFor(() => expect(alice.events.message!.map((m) => m.text)).toEqual(['hi', 'welcome back']));
  });

  it('a refused reset leaves the old identity in use, and nothing pending', async () => {
    const server = await live.server();
    // Tampering in transit: the reset's signature no longer verifies, and the real server refuses it.
    const tamper: FetchLike = (input, init) => {
      if (new URL(input).pathname === '/api/devices/self/identity' && typeof init?.body === 'string') {
        const body = JSON.parse(init.body) as { signature: string };
        body.signature = (body.signature[0] === 'A' ? 'B' : 'A') + body.signature.slice(1);
        return globalThis.fetch(input, { ...init, body: JSON.stringify(body) });
      }
      return globalThis.fetch(input, init);
    };
    const alice = await makeClient(server, 'alice', tamper);
    const bob = await makeClient(server, 'bob');
    await Promise.all([online(alice), online(bob)]);
    await alice.client.send('bob', 'before');
    const before = await alice.store.get(keys.self);

    expect(await clientErrorCode(alice.client.resetKeys())).toBe('AUTH_FAILED');
    expect(alice.http.requests).toContain('PUT /api/devices/self/identity');
    expect(await alice.store.get(keys.self)).toEqual(before);
    expect(await alice.store.get(keys.pendingReset)).toBeUndefined();
    expect(alice.events['keys-reset']).toEqual([]);

    // Still the same Alice to Bob, both ways, with no key change.
    await alice.client.send('bob', 'still me');
    await vi.waitFor(() => expect(bob.events.message!.map((m) => m.text)).toEqual(['before', 'still me']));
    await bob.client.send('alice', 'I know');
    await vi.waitFor(() => expect(alice.events.message!.map((m) => m.text)).toEqual(['I know']));
    expect(bob.events['key-changed']).toEqual([]);
    expect(alice.events.error!.filter((e) => e.code === 'AUTH_FAILED')).toEqual([]);
  });

  it('a reset whose answer was lost is finished by the next resetKeys, with the keys the server took', async () => {
    const server = await live.server();
    const alice = await makeClient(server, 'alice');
    const bob = await makeClient(server, 'bob');
    await Promise.all([online(alice), online(bob)]);
    await alice.client.send('bob', 'before');
    await vi.waitFor(() => expect(bob.events.message).toHaveLength(1));
    alice.http.loseNextResponse('/api/devices/self/identity'); // the server replaces the key; we never hear
    expect(await clientErrorCode(alice.client.resetKeys())).toBe('SERVER_UNREACHABLE');
    const pending = (await readRecord(alice.store, PendingResetKind, keys.pendingReset))!;
    expect(pending).toBeDefined();

    await alice.client.resetKeys();
    expect(alice.http.requests.filter((r) => r === 'PUT /api/devices/self/identity')).toHaveLength(1);
    const self = (await readRecord(alice.store, SelfKind, keys.self))!;
    expect(self.identity.publicKey).toEqual(pending.self.identity.publicKey);
    await alice.client.send('bob', 'new keys');
    await vi.waitFor(() => expect(bob.events.held).toHaveLength(1));
    expect(bob.events['key-changed']).toEqual([{ contact: 'alice', deviceId: 1 }]);
  });
});
