/**
 * Delivered catch-up (delivered.ts), end to end against the real server in
 * process: a sender that was offline when the recipient acked learns of it on
 * its next 'ready', from the server's row for the envelope.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PATIENCE_MS, startInProcess } from '../../server/testing/harness.js';
import { cryptoReady } from '../crypto/sodium.js';
import type { DeviceId, MessageId, Username } from '../protocol/ids.js';
import type { ClientEvents } from './client-events.js';
import { EnvelopeClient } from './client.js';
import { envelopesAwaitingDelivery } from './delivered.js';
import type { SentRecord } from './history.js';
import { newMessageId } from './message-id.js';
import { MemoryStore } from './store.js';
import { keys } from './store-keys.js';
import { fetchTap, wireTap, type WireTap } from './wire-tap.js';

beforeAll(async () => {
  await cryptoReady();
});

type Server = Awaited<ReturnType<typeof startInProcess>>;
const running: Server[] = [];
const clients: EnvelopeClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(running.splice(0).map((server) => server.close()));
});

interface Opened {
  client: EnvelopeClient;
  tap: WireTap;
  requests: string[];
  delivered: ClientEvents['delivered'][];
  errors: ClientEvents['error'][];
}

/** Opens (and connects) a client on `store`, registering `name` first if the store is new. */
async function open(server: Server, store: MemoryStore, name?: string): Promise<Opened> {
  const tap = wireTap();
  const http = fetchTap();
  const client = await EnvelopeClient.open({ serverUrl: server.url, store, WebSocket: tap.WebSocket, fetch: http.fetch, backoff: { initialMs: 50, maxMs: 200, minMs: 10 } });
  clients.push(client);
  if (name) await client.register(name);
  const opened: Opened = { client, tap, requests: http.requests, delivered: [], errors: [] };
  client.events.on('delivered', (event) => opened.delivered.push(event));
  client.events.on('error', (error) => opened.errors.push(error));
  const ready = client.whenReady(PATIENCE_MS);
  client.connect();
  await ready;
  return opened;
}

const states = async (c: Opened, contact: string) => (await c.client.conversation(contact)).map((e) => [e.text, e.state]);

describe('delivered catch-up', () => {
  it('a sender offline while the recipient acks sees "delivered" after it reconnects', async () => {
    const server = await startInProcess();
    running.push(server);
    const aliceStore = new MemoryStore();
    let alice = await open(server, aliceStore, 'alice');
    const bobStore = new MemoryStore();
    const bob = await open(server, bobStore, 'bob');
    await bob.client.close(); // Bob offline: the message waits at the server
    const sent = await alice.client.send('bob', 'while you were out');
    await alice.client.close();
    expect(await envelopesAwaitingDelivery(aliceStore)).toEqual([sent.id]);

    const bobAgain = await open(server, bobStore); // takes the message and acks it; nobody tells Alice
    await vi.waitFor(async () => expect((await bobAgain.client.storedEnvelope(sent.id)).deliveredAt).not.toBeNull());
    const deliveredAt = (await bobAgain.client.storedEnvelope(sent.id)).deliveredAt;

    alice = await open(server, aliceStore);
    await vi.waitFor(async () => expect(await states(alice, 'bob')).toEqual([['while you were out', 'delivered']]));
    expect(alice.delivered).toEqual([{ id: sent.id, messageId: sent.id, to: 'bob', toDevice: 1, at: deliveredAt }]);
    expect(alice.tap.sockets.flatMap((s) => s.receivedOfType('delivered'))).toEqual([]); // learned by asking, not live
    expect(alice.requests).toContain(`GET /api/envelopes/${sent.id}`);
    expect(await envelopesAwaitingDelivery(aliceStore)).toEqual([]);
    expect(alice.errors).toEqual([]);
  });

  it('an envelope the server no longer knows stays "stored", and one not yet delivered is asked about again next time', async () => {
    const server = await startInProcess();
    running.push(server);
    const aliceStore = new MemoryStore();
    let alice = await open(server, aliceStore, 'alice');
    await (await open(server, new MemoryStore(), 'bob')).client.close();
    const waiting = await alice.client.send('bob', 'not yet read');
    // A message whose row the server has dropped (metadata retention): GET answers 404.
    const forgotten = newMessageId();
    const record: SentRecord = {
      v: 1,
      id: forgotten,
      to: 'bob' as Username,
      text: 'long ago',
      createdAt: 1,
      order: 1,
      padded: '',
      envelopes: [{ id: forgotten, toDevice: 1 as DeviceId, body: '', state: 'stored', storedAt: 1, deliveredAt: null }],
      state: 'stored',
    };
    await aliceStore.put({ [keys.sent(forgotten)]: record });
    await alice.client.close();

    alice = await open(server, aliceStore);
    // Both were asked about, newest first; neither answer changes anything.
    await vi.waitFor(() => expect(alice.requests.filter((r) => r.startsWith('GET /api/envelopes/'))).toHaveLength(2));
    expect(alice.requests.filter((r) => r.startsWith('GET /api/envelopes/'))).toEqual([`GET /api/envelopes/${waiting.id}`, `GET /api/envelopes/${forgotten}`]);
    expect(await states(alice, 'bob')).toEqual([
      ['long ago', 'stored'],
      ['not yet read', 'stored'],
    ]);
    expect(alice.delivered).toEqual([]);
    expect(alice.errors).toEqual([]);
    expect(await envelopesAwaitingDelivery(aliceStore)).toEqual([waiting.id, forgotten] as MessageId[]);
  });
});
