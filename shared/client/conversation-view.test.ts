/**
 * The conversation view is kept in memory from the client's own writes: after
 * the first read, showing a conversation reads nothing from the store, and
 * what it shows is what a full reread of the store shows, after sends,
 * deliveries, receipts, held messages released, reports of unreadable ones and
 * deletions. Reads are counted by a wrapper around the real MemoryStore.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PATIENCE_MS, startInProcess } from '@envelope/testkit/harness.js';
import { cryptoReady } from '@envelope/crypto-public';
import type { Username } from '@envelope/protocol';
import { EnvelopeClient } from './client.js';
import { ConversationIndex, loadConversation, removeFromHistory } from './conversation-view.js';
import type { DeviceContext } from './device.js';
import { sentStateUpdate } from './history.js';
import { receiveEnvelope, type MessageFrame } from './incoming.js';
import { trustNewKey } from './key-change.js';
import { prepareTextMessage, type OutboxEntry } from './outgoing.js';
import { claimOwnership, OwnedStore } from './ownership.js';
import { prepareReceipts } from './receipts.js';
import { MemoryStore, type ClientStore, type PutOptions } from './store.js';
import { keys } from './store-keys.js';
import { deliver, makeTestDevice, TestDirectory } from './testing.js';
import { wireTap } from '@envelope/testkit/wire-tap.js';

beforeAll(async () => {
  await cryptoReady();
});

/** The real MemoryStore, counting every read (get and list) by the key or prefix's first segment. */
class CountingStore implements ClientStore {
  readonly reads = new Map<string, number>();
  constructor(readonly inner: MemoryStore = new MemoryStore()) {}

  get total(): number {
    return [...this.reads.values()].reduce((a, b) => a + b, 0);
  }

  #count(key: string): void {
    const kind = key.split('/')[0]!;
    this.reads.set(kind, (this.reads.get(kind) ?? 0) + 1);
  }

  get(key: string): Promise<unknown> {
    this.#count(key);
    return this.inner.get(key);
  }

  list(prefix: string): Promise<string[]> {
    this.#count(prefix);
    return this.inner.list(prefix);
  }

  put(entries: Readonly<Record<string, unknown>>, options?: PutOptions): Promise<void> {
    return this.inner.put(entries, options);
  }
}

const bob = 'bob' as Username;

describe('ConversationIndex', () => {
  it('reads the store once; after that sends, deliveries, receipts, unreadable and held messages and deletions are applied from the writes, and it equals a full reread', async () => {
    const directory = new TestDirectory();
    const testAlice = await makeTestDevice('alice', directory);
    const b = await makeTestDevice('bob', directory);
    const counting = new CountingStore(testAlice.store);
    const index = new ConversationIndex(counting);
    const owned = new OwnedStore(counting, await claimOwnership(counting, Date.now()), () => undefined, (entries) => index.committed(entries));
    const a: DeviceContext = { ...testAlice, store: owned };

    const send = async (from: DeviceContext, to: DeviceContext, text: string): Promise<OutboxEntry> =>
      (await prepareTextMessage(from, to.self.username, text, directory.fetchBundle)).envelopes[0]!;
    const receive = async (to: DeviceContext, frame: MessageFrame) => receiveEnvelope(to, frame);

    /** The view, with the reads it took; and the same conversation read in full from the store. */
    const check = async () => {
      const before = counting.total;
      const view = await index.conversation(bob);
      const reads = counting.total - before;
      expect(view).toEqual(await loadConversation(testAlice.store, bob));
      return { reads, view: view.map((e) => `${e.direction} ${e.text ?? '-'} ${e.state}`) };
    };

    expect((await check()).view).toEqual([]);

    const first = await send(a, b, 'hello');
    expect(await check()).toEqual({ reads: 0, view: ['sent hello queued'] });

    const stored = await sentStateUpdate(owned, first.id, { state: 'stored', at: Date.now() });
    await owned.put({ [keys.outbox(first.id)]: undefined, ...stored!.entries });
    await receive(b, deliver(first, a));
    expect(await check()).toEqual({ reads: 0, view: ['sent hello stored'] });

    // Bob's device sends its receipt: Alice's message is delivered.
    for (const receipt of await prepareReceipts(b, undefined)) await receive(a, deliver(receipt, b));
    const reply = await send(b, a, 'hi!');
    await receive(a, deliver(reply, b));
    expect(await check()).toEqual({ reads: 0, view: ['sent hello delivered', 'received hi! received'] });

    // A message that cannot be read is shown as such.
    await receive(a, { ...deliver(await send(b, a, 'garbled'), b), body: 'AAAA' });
    expect((await check()).view.at(-1)).toBe('received - undecryptable');

    // Bob reinstalls: his messages are held, then released by trusting the new key.
    const newBob = await makeTestDevice('bob', directory);
    await receive(a, deliver(await send(newBob, a, 'new phone'), newBob));
    expect(await check()).toMatchObject({ reads: 0, view: expect.arrayContaining(['received - held']) });
    await trustNewKey(a, bob);
    expect(await check()).toMatchObject({ reads: 0, view: expect.arrayContaining(['received new phone received']) });

    // Deleting a sent and a received message.
    await removeFromHistory(owned, [first.id, reply.id]);
    const after = await check();
    expect(after.reads).toBe(0);
    expect(after.view).not.toContain('sent hello delivered');
    expect(after.view).not.toContain('received hi! received');
    expect(after.view).toHaveLength(2);
  });

  it('puts that commit while the first read is running are applied after it, in order, not lost', async () => {
    const directory = new TestDirectory();
    const testAlice = await makeTestDevice('alice', directory);
    await makeTestDevice('bob', directory);
    const store = testAlice.store;
    let index = new ConversationIndex(store);
    const owned = new OwnedStore(store, await claimOwnership(store, Date.now()), () => undefined, (entries) => index.committed(entries));
    const a: DeviceContext = { ...testAlice, store: owned };
    const one = (await prepareTextMessage(a, bob, 'one', directory.fetchBundle)).envelopes[0]!;
    await prepareTextMessage(a, bob, 'two', directory.fetchBundle);

    // A fresh index (a client just opened) whose first read is held at its first get.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const gated: ClientStore = { get: async (key) => (await gate, store.get(key)), list: (prefix) => store.list(prefix), put: (e, o) => store.put(e, o) };
    index = new ConversationIndex(gated);
    const reading = index.conversation(bob);
    await prepareTextMessage(a, bob, 'three', directory.fetchBundle); // committed while the read waits
    await removeFromHistory(owned, [one.id]); // and a deletion
    release();
    expect((await reading).map((e) => e.text)).toEqual(['two', 'three']);
    expect(await index.conversation(bob)).toEqual(await loadConversation(store, bob));
  });
});

describe('the client conversation view', () => {
  const running: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const item of running.splice(0).reverse()) await item.close();
  });

  it('after a mix of sends, receipts and deletes, conversation() reads nothing and equals a full reread of the store', async () => {
    const server = await startInProcess();
    running.push(server);
    const aliceStore = new CountingStore();
    const open = async (store: ClientStore, name: string) => {
      const client = await EnvelopeClient.open({ serverUrl: server.url, store, WebSocket: wireTap().WebSocket });
      running.push(client);
      await client.register(name);
      const ready = client.whenReady(PATIENCE_MS);
      client.connect();
      await ready;
      return client;
    };
    const alice = await open(aliceStore, 'alice');
    const bobClient = await open(new MemoryStore(), 'bob');
    expect(await alice.conversation('bob')).toEqual([]);

    const delivered: string[] = [];
    alice.events.on('delivered', (event) => delivered.push(event.messageId));
    const received: string[] = [];
    alice.events.on('message', (entry) => received.push(entry.text));
    const first = await alice.send('bob', 'one');
    const second = await alice.send('bob', 'two');
    await vi.waitFor(() => expect(delivered).toEqual([first.id, second.id]), { timeout: PATIENCE_MS });
    await bobClient.send('alice', 'three');
    await bobClient.send('alice', 'four');
    await vi.waitFor(() => expect(received).toEqual(['three', 'four']), { timeout: PATIENCE_MS });
    const inboxIds = (await alice.messages()).map((m) => m.id);
    await alice.removeMessages([first.id, inboxIds[0]!]);
    await alice.send('bob', 'five');
    await vi.waitFor(() => expect(delivered).toHaveLength(3), { timeout: PATIENCE_MS });
    await alice.close(); // nothing runs in the background any more

    const before = new Map(aliceStore.reads);
    const view = await alice.conversation('bob');
    expect(aliceStore.reads).toEqual(before);
    expect(view.map((e) => [e.direction, e.text, e.state])).toEqual([
      ['sent', 'two', 'delivered'],
      ['received', 'four', 'received'],
      ['sent', 'five', 'delivered'],
    ]);
    expect(view).toEqual(await loadConversation(aliceStore.inner, 'bob' as Username));
  });
});
