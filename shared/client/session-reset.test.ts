/**
 * Automatic session reset (session-reset.ts), end to end against the real
 * server in process: after Bob resets his keys, Alice's next message (on her
 * old session) makes Bob's client start a new session to her, so Alice sees
 * the key change instead of writing into the void; and the loop guard holds
 * when two clients cannot read each other at all.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { FAST_BACKOFF, liveClients, online, type InProcessServer as Server } from '@envelope/testkit/live-clients.js';
import { fromBase64Url, toBase64Url, cryptoReady } from '@envelope/crypto-public';
import type { MessageId } from '@envelope/protocol';
import type { ClientEvents } from './client-events.js';
import type { EnvelopeClient } from './client.js';
import { clientErrorCode } from './testing.js';
import { loadSent } from './history.js';
import { SESSION_RESET_INTERVAL_MS } from './session-reset.js';
import { MemoryStore } from './store.js';
import { keys } from './store-keys.js';
import { wireTap, type Frame, type WireTap } from '@envelope/testkit/wire-tap.js';

beforeAll(async () => {
  await cryptoReady();
});

const live = liveClients();

interface TestClient {
  client: EnvelopeClient;
  store: MemoryStore;
  tap: WireTap;
  events: { [K in 'key-changed' | 'message' | 'undecryptable' | 'error']: ClientEvents[K][] };
  /** This client's clock runs `offset` ms ahead of the real one: tests move it forward by hand. */
  clock: { offset: number };
}

async function makeClient(server: Server, name: string): Promise<TestClient> {
  return start(server, new MemoryStore(), name);
}

/** A new client on the same store (a restart); `c` must be closed. */
async function reopen(server: Server, c: TestClient): Promise<TestClient> {
  return start(server, c.store);
}

async function start(server: Server, store: MemoryStore, name?: string): Promise<TestClient> {
  const tap = wireTap();
  const clock = { offset: 0 };
  const client = await live.open({ serverUrl: server.url, store, WebSocket: tap.WebSocket, now: () => Date.now() + clock.offset, backoff: FAST_BACKOFF }, name);
  const events = { 'key-changed': [], message: [], undecryptable: [], error: [] } as TestClient['events'];
  for (const event of Object.keys(events) as (keyof TestClient['events'])[]) {
    client.events.on(event, (payload) => (events[event] as unknown[]).push(payload));
  }
  await online(client);
  return { client, store, tap, events, clock };
}

/** Session-reset notices `c` put on the wire to `to`: envelopes it sent that are neither in its chat history nor receipts. */
async function noticesSent(c: TestClient, to: string): Promise<number> {
  const chat = new Set((await loadSent(c.store)).flatMap((record) => record.envelopes.map((e) => e.id)));
  const ids = c.tap.sockets
    .flatMap((socket) => socket.sentOfType('send'))
    .filter((frame) => frame.to === to && frame.receipt !== true && !chat.has(frame.id as MessageId));
  return new Set(ids.map((frame) => frame.id)).size;
}

/** Resolves once everything `c` queued so far (frames, notices) is done: markRead runs on the same queue. */
const settled = (c: TestClient) => c.client.markRead([]);

/** A network that flips one ciphertext byte in every message delivered to `c` (it still acks them). */
function corruptIncoming(c: TestClient): void {
  c.tap.faults.dropIncoming = (frame: Frame) => {
    if (frame.type !== 'message') return false;
    const body = fromBase64Url(frame.body as string, 'body');
    body[body.length - 5]! ^= 0x01; // inside the authenticated ciphertext
    const socket = c.tap.latest();
    queueMicrotask(() => socket.inject({ ...frame, body: toBase64Url(body) }));
    return true;
  };
}

describe('automatic session reset', () => {
  it('after Bob resets, Alice writing first gets the key-change warning; once she trusts the new key they talk again', async () => {
    const server = await live.server();
    const alice = await makeClient(server, 'alice');
    const bob = await makeClient(server, 'bob');
    await alice.client.send('bob', 'hi bob');
    await vi.waitFor(() => expect(bob.events.message).toHaveLength(1));
    await bob.client.send('alice', 'hi alice');
    await vi.waitFor(() => expect(alice.events.message).toHaveLength(1));
    // Alice's receipt reaches Bob before he resets (it would reach keys he no longer has).
    await vi.waitFor(async () => expect((await bob.client.conversation('alice')).find((e) => e.direction === 'sent')?.state).toBe('delivered'));
    await alice.client.markVerified('bob');

    await bob.client.resetKeys();
    // Alice knows nothing of it: her message goes out on the old session, which Bob no longer has.
    const unread = await alice.client.send('bob', 'can you read this?');
    await vi.waitFor(() => expect(bob.events.undecryptable.map((e) => [e.id, e.reason])).toEqual([[unread.id, 'NO_SESSION']]));
    expect((await bob.client.conversation('alice')).at(-1)).toMatchObject({ id: unread.id, state: 'undecryptable', reason: 'NO_SESSION' });

    // Bob's client started a new session to her: to Alice it is a prekey message under a new identity key.
    await vi.waitFor(() => expect(alice.events['key-changed']).toEqual([{ contact: 'bob', deviceId: 1 }]));
    expect((await alice.client.contacts()).find((c) => c.username === 'bob')).toMatchObject({ keyChanged: true, changedAfterVerification: true });
    expect(await clientErrorCode(alice.client.send('bob', 'is that you?'))).toBe('KEY_CHANGED');
    // Bob's device took 'can you read this?' but could not read it: no receipt, so not "delivered".
    expect((await alice.client.conversation('bob')).map((e) => [e.direction, e.text, e.state])).toEqual([
      ['sent', 'hi bob', 'delivered'],
      ['received', 'hi alice', 'received'],
      ['sent', 'can you read this?', 'stored'],
      ['received', null, 'held'],
    ]);

    // Trusting releases the notice: consumed silently, no text anywhere, and it names the message Bob could not read.
    expect(await alice.client.trustNewKey('bob')).toEqual([]);
    const conversation = await alice.client.conversation('bob');
    expect(conversation.map((e) => [e.direction, e.text, e.state, e.unreadableByPeer ?? false])).toEqual([
      ['sent', 'hi bob', 'delivered', false],
      ['received', 'hi alice', 'received', false],
      ['sent', 'can you read this?', 'stored', true],
    ]);
    expect(await alice.client.messages()).toHaveLength(1);
    expect(await alice.client.heldCount('bob')).toBe(0);

    await alice.client.send('bob', 'and now?');
    await vi.waitFor(() => expect(bob.events.message.map((m) => m.text)).toEqual(['hi bob', 'and now?']));
    await bob.client.send('alice', 'loud and clear');
    await vi.waitFor(() => expect(alice.events.message.map((m) => m.text)).toEqual(['hi alice', 'loud and clear']));
    expect(bob.events['key-changed']).toEqual([]); // Alice's key never changed
    await Promise.all([settled(alice), settled(bob)]);
    expect([await noticesSent(bob, 'alice'), await noticesSent(alice, 'bob')]).toEqual([1, 0]);
    expect(await bob.store.get(keys.resetNotice('alice' as never))).toBeDefined();
    expect([...alice.events.error, ...bob.events.error]).toEqual([]);
  });

  it('a lost session without a key change is replaced silently, and the sender sees which message was not read', async () => {
    const server = await live.server();
    const alice = await makeClient(server, 'alice');
    const bob = await makeClient(server, 'bob');
    await alice.client.send('bob', 'hi bob');
    await vi.waitFor(() => expect(bob.events.message).toHaveLength(1));
    await bob.client.send('alice', 'hi alice');
    await vi.waitFor(() => expect(alice.events.message).toHaveLength(1));
    await vi.waitFor(async () => expect((await bob.client.conversation('alice')).find((e) => e.direction === 'sent')?.state).toBe('delivered'));
    // Bob's device loses its session state (a restored backup, a bug): same keys, no sessions.
    await bob.client.close();
    const lost = Object.fromEntries((await bob.store.list(keys.allSessionsPrefix)).map((key) => [key, undefined]));
    await bob.store.put(lost);
    const unread = await alice.client.send('bob', 'lost in the gap');
    const bobAgain = await reopen(server, bob);

    await vi.waitFor(() => expect(bobAgain.events.undecryptable.map((e) => e.reason)).toEqual(['NO_SESSION']));
    await vi.waitFor(async () => expect((await alice.client.conversation('bob')).find((e) => e.id === unread.id)?.unreadableByPeer).toBe(true));
    expect(alice.events['key-changed']).toEqual([]);
    expect(await alice.client.heldCount()).toBe(0);
    expect((await alice.client.conversation('bob')).map((e) => e.text)).toEqual(['hi bob', 'hi alice', 'lost in the gap']);

    await alice.client.send('bob', 'again');
    await vi.waitFor(() => expect(bobAgain.events.message.map((m) => m.text)).toEqual(['again']));
    expect([...alice.events.error, ...bobAgain.events.error]).toEqual([]);
  });

  it('two clients that cannot read each other send one notice each per interval, not a loop', async () => {
    const server = await live.server();
    const alice = await makeClient(server, 'alice');
    const bob = await makeClient(server, 'bob');
    await alice.client.send('bob', 'hi bob');
    await vi.waitFor(() => expect(bob.events.message).toHaveLength(1));
    await bob.client.send('alice', 'hi alice');
    // Both receipts are in before the network starts corrupting.
    for (const [c, peer] of [[alice, 'bob'], [bob, 'alice']] as const) {
      await vi.waitFor(async () => expect((await c.client.conversation(peer)).find((e) => e.direction === 'sent')?.state).toBe('delivered'));
    }
    await vi.waitFor(() => expect(alice.events.message).toHaveLength(1));
    corruptIncoming(alice);
    corruptIncoming(bob);

    // m1 fails at Bob; his notice fails at Alice; hers fails at Bob, whose guard stops there.
    await alice.client.send('bob', 'm1');
    await vi.waitFor(() => expect(bob.events.undecryptable).toHaveLength(2));
    expect(alice.events.undecryptable).toHaveLength(1);
    await Promise.all([settled(alice), settled(bob)]);
    expect([await noticesSent(bob, 'alice'), await noticesSent(alice, 'bob')]).toEqual([1, 1]);

    // Within the interval, another unreadable message brings no notice.
    await alice.client.send('bob', 'm2');
    await vi.waitFor(() => expect(bob.events.undecryptable).toHaveLength(3));
    await Promise.all([settled(alice), settled(bob)]);
    expect([await noticesSent(bob, 'alice'), await noticesSent(alice, 'bob')]).toEqual([1, 1]);
    expect(alice.events.undecryptable).toHaveLength(1);

    // An interval later, one more round, and again it stops.
    alice.clock.offset += SESSION_RESET_INTERVAL_MS;
    bob.clock.offset += SESSION_RESET_INTERVAL_MS;
    await alice.client.send('bob', 'm3');
    await vi.waitFor(() => expect(bob.events.undecryptable).toHaveLength(5));
    await Promise.all([settled(alice), settled(bob)]);
    expect(alice.events.undecryptable).toHaveLength(2);
    expect([await noticesSent(bob, 'alice'), await noticesSent(alice, 'bob')]).toEqual([2, 2]);
    expect(bob.events.undecryptable.every((e) => e.reason === 'DECRYPT_FAILED')).toBe(true);
    // Nothing was ever shown as a message.
    expect(alice.events.message).toHaveLength(1);
    expect(bob.events.message).toHaveLength(1);
  });

  it('a receipt on its way when Bob resets is dropped unseen, so the message Alice sends after the reset is flagged unread', async () => {
    const server = await live.server();
    const alice = await makeClient(server, 'alice');
    const bob = await makeClient(server, 'bob');
    await alice.client.send('bob', 'hi bob');
    await vi.waitFor(() => expect(bob.events.message).toHaveLength(1));
    // Alice's receipt for Bob's next message is kept from his device (unacked, so it stays at the server) until he has reset.
    const kept: Frame[] = [];
    bob.tap.faults.dropIncoming = (frame) => frame.type === 'message' && frame.receipt === true && kept.push(frame) > 0;
    await bob.client.send('alice', 'hi alice');
    await vi.waitFor(() => expect(kept).toHaveLength(1));
    bob.tap.faults.dropIncoming = null;

    await bob.client.resetKeys();
    // It comes again from the mailbox, still marked, encrypted to the session Bob no longer has.
    const receiptId = kept[0]!.id;
    const again = () => bob.tap.sockets.flatMap((socket) => socket.receivedOfType('message')).filter((frame) => frame.id === receiptId);
    await vi.waitFor(() => expect(again().map((frame) => frame.receipt)).toEqual([true]));
    await settled(bob);
    await settled(bob); // a notice it started would have been queued behind the first
    expect(bob.events.undecryptable).toEqual([]);
    expect(await noticesSent(bob, 'alice')).toBe(0);
    expect((await bob.client.conversation('alice')).map((e) => e.state)).not.toContain('undecryptable');

    // So the notice is still there to spend on a real message Bob cannot read.
    const unread = await alice.client.send('bob', 'after the reset');
    await vi.waitFor(() => expect(bob.events.undecryptable.map((e) => [e.id, e.reason])).toEqual([[unread.id, 'NO_SESSION']]));
    await vi.waitFor(() => expect(alice.events['key-changed']).toEqual([{ contact: 'bob', deviceId: 1 }]));
    expect(await alice.client.trustNewKey('bob')).toEqual([]);
    expect((await alice.client.conversation('bob')).find((e) => e.id === unread.id)?.unreadableByPeer).toBe(true);
    expect([...alice.events.error, ...bob.events.error]).toEqual([]);
  });
});
