/**
 * Delivery receipts (receipts.ts), end to end against the real server in
 * process: the recipient's device sends an encrypted receipt once it has
 * stored a message, and that receipt, sealed or not, is what makes the message
 * "delivered" in the sender's history. Receipts are never answered, never shown
 * as chat, and the server's log marks the unsealed ones (it cannot mark sealed ones).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { getJson } from '@envelope/testkit/harness.js';
import { FAST_BACKOFF, liveClients, online, type InProcessServer as Server } from '@envelope/testkit/live-clients.js';
import { cryptoReady } from '@envelope/crypto-public';
import { type MessageId, OperatorEnvelopesResponseSchema, type OperatorEnvelope } from '@envelope/protocol';
import type { ClientEvents } from './client-events.js';
import type { EnvelopeClient } from './client.js';
import { MemoryStore } from './store.js';
import { keys } from './store-keys.js';
import { fetchTap, wireTap, type WireTap } from '@envelope/testkit/wire-tap.js';

beforeAll(async () => {
  await cryptoReady();
});

const live = liveClients();

interface Opened {
  client: EnvelopeClient;
  store: MemoryStore;
  tap: WireTap;
  requests: string[];
  delivered: ClientEvents['delivered'][];
  errors: ClientEvents['error'][];
}

/** Opens (and connects) a client on `store`, registering `name` first if given. */
async function open(server: Server, store: MemoryStore, name?: string): Promise<Opened> {
  const tap = wireTap();
  const http = fetchTap();
  const client = await live.open({ serverUrl: server.url, store, WebSocket: tap.WebSocket, fetch: http.fetch, backoff: FAST_BACKOFF }, name);
  const opened: Opened = { client, store, tap, requests: http.requests, delivered: [], errors: [] };
  client.events.on('delivered', (event) => opened.delivered.push(event));
  client.events.on('error', (error) => opened.errors.push(error));
  await online(client);
  return opened;
}

const states = async (c: Opened, contact: string) => (await c.client.conversation(contact)).map((e) => [e.direction, e.text, e.state]);

/** The server's log, oldest first, as the operator sees it. */
async function logged(server: Server): Promise<OperatorEnvelope[]> {
  const { json } = await getJson(`${server.url}/api/operator/envelopes`, server.server.operatorToken);
  return OperatorEnvelopesResponseSchema.parse(json).envelopes.reverse();
}

const sendFrames = (c: Opened) => c.tap.sockets.flatMap((s) => s.sentOfType('send'));

describe('delivery receipts', () => {
  it('an unsealed message becomes "delivered" from the recipient\'s receipt, which the log marks as a receipt', async () => {
    const server = await live.server();
    const alice = await open(server, new MemoryStore(), 'alice');
    const bob = await open(server, new MemoryStore(), 'bob');
    const sent = await alice.client.send('bob', 'hello bob');
    await vi.waitFor(async () => expect(await states(alice, 'bob')).toEqual([['sent', 'hello bob', 'delivered']]));
    expect(alice.delivered).toEqual([{ id: sent.id, messageId: sent.id, to: 'bob', toDevice: 1, at: expect.any(Number) }]);

    // Bob's device sent one receipt, marked on the wire; the server logged it as a receipt.
    const receipts = sendFrames(bob).filter((f) => f.receipt === true);
    expect(receipts).toHaveLength(1);
    expect(sendFrames(bob)).toEqual(receipts); // and nothing else
    const log = await logged(server);
    expect(log.map((e) => [e.sender, e.recipient, e.receipt])).toEqual([
      ['alice', 'bob', false],
      ['bob', 'alice', true],
    ]);
    // Not chat: nothing in Alice's inbox or conversation but her own message; Bob has nothing left to send.
    expect(await alice.client.messages()).toEqual([]);
    expect(await bob.store.list(keys.pendingReceiptPrefix)).toEqual([]);
    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
    // The receipt is the size of a short message: a short reply from Bob pads to the same bytes.
    await bob.client.send('alice', 'ok!');
    await vi.waitFor(async () => expect(await logged(server)).toHaveLength(4)); // the reply, and Alice's receipt for it
    const [, receiptRow, reply, aliceReceipt] = await logged(server);
    expect([reply!.receipt, aliceReceipt!.receipt]).toEqual([false, true]);
    expect(receiptRow!.size).toBe(reply!.size);
  });

  it('a sealed message becomes "delivered" too, from a sealed receipt the server cannot tell from a message', async () => {
    const server = await live.server();
    const alice = await open(server, new MemoryStore(), 'alice');
    const bob = await open(server, new MemoryStore(), 'bob');
    // Alice can seal to Bob once he has written to her: his message brings his profile key (profile-key.ts).
    await bob.client.send('alice', 'write to me');
    await vi.waitFor(async () => expect(await states(bob, 'alice')).toEqual([['sent', 'write to me', 'delivered']]));
    const logBefore = (await logged(server)).length; // his message and Alice's (unsealed) receipt
    const framesBefore = sendFrames(bob).length;
    await alice.client.setSealedSender(true);
    const sent = await alice.client.send('bob', 'sealed hello');
    await vi.waitFor(async () => expect((await states(alice, 'bob')).at(-1)).toEqual(['sent', 'sealed hello', 'delivered']));
    expect(alice.delivered.map((d) => d.id)).toEqual([sent.id]);

    // Bob (sealed sender off) answered the sealed message with a sealed receipt: over POST /api/sealed, not the socket.
    expect(sendFrames(bob).slice(framesBefore)).toEqual([]);
    expect(bob.requests.filter((r) => r === 'POST /api/sealed')).toHaveLength(1);
    const log = (await logged(server)).slice(logBefore);
    expect(log.map((e) => [e.sender, e.recipient, e.kind, e.receipt])).toEqual([
      [null, 'bob', 'sealed', null],
      [null, 'alice', 'sealed', null], // the receipt: no sender, no mark; "cannot tell"
    ]);
    // The receipt is not chat: Alice's inbox holds only Bob's message.
    expect((await alice.client.messages()).map((m) => (m.kind === 'text' ? m.text : m.kind))).toEqual(['write to me']);
  });

  it('a receipt is never answered by a receipt', async () => {
    const server = await live.server();
    const alice = await open(server, new MemoryStore(), 'alice');
    const bob = await open(server, new MemoryStore(), 'bob');
    await alice.client.send('bob', 'one');
    await vi.waitFor(async () => expect((await alice.client.conversation('bob'))[0]?.state).toBe('delivered'));
    // Anything Alice sent in answer to the receipt would be in her outbox before this message,
    // so it would reach the log before it.
    await alice.client.send('bob', 'two');
    await vi.waitFor(async () => expect((await alice.client.conversation('bob'))[1]?.state).toBe('delivered'));
    expect(await alice.store.list(keys.pendingReceiptPrefix)).toEqual([]);
    // A message from Bob makes Alice send what receipts she has: exactly one, for it.
    await bob.client.send('alice', 'three');
    await vi.waitFor(async () => expect((await bob.client.conversation('alice')).find((e) => e.text === 'three')?.state).toBe('delivered'));
    expect((await logged(server)).map((e) => [e.sender, e.receipt])).toEqual([
      ['alice', false],
      ['bob', true],
      ['alice', false],
      ['bob', true],
      ['bob', false],
      ['alice', true],
    ]);
    expect(sendFrames(alice).filter((f) => f.receipt === true)).toHaveLength(1);
  });

  it('a sender offline while the recipient reads gets the receipt when it comes back', async () => {
    const server = await live.server();
    const aliceStore = new MemoryStore();
    let alice = await open(server, aliceStore, 'alice');
    const bobStore = new MemoryStore();
    const bob = await open(server, bobStore, 'bob');
    await bob.client.close(); // Bob offline: the message waits at the server
    const sent = await alice.client.send('bob', 'while you were out');
    await alice.client.close();

    const bobAgain = await open(server, bobStore); // takes the message; its receipt waits for Alice
    await vi.waitFor(async () => expect(await bobAgain.store.list(keys.outboxPrefix)).toEqual([]));
    await vi.waitFor(async () => expect(await bobAgain.store.list(keys.pendingReceiptPrefix)).toEqual([]));
    expect(await states(bobAgain, 'alice')).toEqual([['received', 'while you were out', 'received']]);

    alice = await open(server, aliceStore);
    await vi.waitFor(async () => expect(await states(alice, 'bob')).toEqual([['sent', 'while you were out', 'delivered']]));
    expect(alice.delivered.map((d) => d.id)).toEqual([sent.id]);
    expect(alice.requests.filter((r) => r.startsWith('GET /api/envelopes/'))).toEqual([]); // nobody asked the server
    expect(alice.errors).toEqual([]);
  });

  it('a receipt that waited at the server while its recipient was offline arrives marked as a receipt', async () => {
    const server = await live.server();
    const aliceStore = new MemoryStore();
    const alice = await open(server, aliceStore, 'alice');
    await alice.client.close();
    const bobStore = new MemoryStore();
    const bob = await open(server, bobStore, 'bob');
    const sent = await bob.client.send('alice', 'are you there?');
    await bob.client.close(); // Bob offline: Alice's receipt will wait in his mailbox

    const aliceAgain = await open(server, aliceStore);
    await vi.waitFor(async () => expect(await aliceAgain.store.list(keys.pendingReceiptPrefix)).toEqual([]));
    await vi.waitFor(async () => expect(await aliceAgain.store.list(keys.outboxPrefix)).toEqual([]));
    const receipts = sendFrames(aliceAgain).filter((frame) => frame.to === 'bob');
    expect(receipts.map((frame) => frame.receipt)).toEqual([true]);

    const bobAgain = await open(server, bobStore);
    await vi.waitFor(async () => expect(await states(bobAgain, 'alice')).toEqual([['sent', 'are you there?', 'delivered']]));
    const arrived = bobAgain.tap.sockets.flatMap((socket) => socket.receivedOfType('message'));
    expect(arrived.map((frame) => [frame.id, frame.receipt])).toEqual([[receipts[0]!.id, true]]);
    expect(bobAgain.delivered.map((d) => d.id)).toEqual([sent.id]);
    expect([...aliceAgain.errors, ...bobAgain.errors]).toEqual([]);
  });

  it('a backlog is confirmed in one receipt per device of the sender', async () => {
    const server = await live.server();
    const alice = await open(server, new MemoryStore(), 'alice');
    const bobStore = new MemoryStore();
    const bob = await open(server, bobStore, 'bob');
    await bob.client.close();
    const ids: MessageId[] = [];
    for (const text of ['a', 'b', 'c']) ids.push((await alice.client.send('bob', text)).id);
    // Bob's backlog reaches his client in one go (the network holds it until all of it is there).
    const tap = wireTap();
    tap.faults.holding = true;
    const bobAgain = await live.open({ serverUrl: server.url, store: bobStore, WebSocket: tap.WebSocket });
    bobAgain.connect();
    await vi.waitFor(() => expect(tap.latest().heldCount).toBe(5)); // the policy announcement, three messages and 'ready'
    tap.release();
    await vi.waitFor(async () => expect((await states(alice, 'bob')).map((s) => s[2])).toEqual(['delivered', 'delivered', 'delivered']));
    expect(tap.sockets.flatMap((s) => s.sentOfType('send')).filter((f) => f.receipt === true)).toHaveLength(1);
    expect(alice.delivered.map((d) => d.id)).toEqual(ids);
  });
});
