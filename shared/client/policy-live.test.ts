/**
 * The policy modes with real clients against the real server (in process,
 * real SQLite): the operator switches with POST /api/operator/policy, every
 * client hears it, and what is sent from then on travels under the new mode;
 * what was encrypted before travels under its own. Two clients of one
 * profile (two tabs) and a mode change lose nothing and reuse no key. A mode
 * this build does not know stops every send.
 *
 * The unknown mode: the real server refuses to be switched to one (it knows
 * only the modes it implements), so the announcement the client meets is the
 * real server's own `policy` frame with its mode changed in transit
 * (wire-tap.ts inject), parsed and handled by the client's real connection
 * and frame handler, as a newer server's frame would be.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { cryptoReady } from '@envelope/crypto-public';
import { PolicyAnnouncementSchema, type PolicyAnnouncement } from '@envelope/protocol';
import { PATIENCE_MS, postJson } from '@envelope/testkit/harness.js';
import { liveClients, online, type InProcessServer } from '@envelope/testkit/live-clients.js';
import { wireTap } from '@envelope/testkit/wire-tap.js';
import { WebSocket } from 'ws';
import type { ClientEvents } from './client-events.js';
import type { EnvelopeClient } from './client.js';
import { isClientError } from './errors.js';
import { MemoryStore } from './store.js';

beforeAll(async () => {
  await cryptoReady();
});

const live = liveClients();

/** Resolves with the next `event` of `client` that `matches`. Register before causing it. */
function nextEvent<K extends keyof ClientEvents>(client: EnvelopeClient, event: K, matches: (payload: ClientEvents[K]) => boolean = () => true): Promise<ClientEvents[K]> {
  return new Promise((resolve) => {
    const off = client.events.on(event, (payload) => {
      if (!matches(payload)) return;
      off();
      resolve(payload);
    });
  });
}

/** The operator switches the mode; resolves once every client given has heard it. */
async function switchTo(server: InProcessServer, mode: string, ...listeners: EnvelopeClient[]): Promise<PolicyAnnouncement> {
  const heard = listeners.map((client) => nextEvent(client, 'policy', (a) => a.mode === mode));
  const { status, json } = await postJson(`${server.url}/api/operator/policy`, { mode }, server.server.operatorToken);
  expect(status).toBe(200);
  await Promise.all(heard);
  return PolicyAnnouncementSchema.parse(json);
}

async function pair(server: InProcessServer) {
  const alice = await live.open({ serverUrl: server.url, store: new MemoryStore(), WebSocket }, 'alice');
  const bob = await live.open({ serverUrl: server.url, store: new MemoryStore(), WebSocket }, 'bob');
  await Promise.all([online(alice), online(bob)]);
  return { alice, bob };
}

/** Sends and waits until the recipient has stored it. */
async function sendRead(from: EnvelopeClient, to: EnvelopeClient, text: string) {
  const received = nextEvent(to, 'message', (m) => m.text === text);
  await from.send(to.account!.username, text);
  return received;
}

/** The chat messages in the server's content log (server/lawful-access): the texts it read (receipts are logged too, without text). */
function contentLog(server: InProcessServer): { text: string | null; mode: string }[] {
  return server.server.db.prepare<[], { text: string | null; mode: string }>("SELECT text, mode FROM content_log WHERE kind = 'text' ORDER BY seq").all();
}

/** The conversation as "direction mode text" lines. */
async function lines(client: EnvelopeClient, contact: string): Promise<string[]> {
  return (await client.conversation(contact)).map((e) => `${e.direction} ${e.mode} ${e.text ?? e.state}`);
}

describe('policy modes with the real server', () => {
  it('e2ee, then transport-only (the server reads it, both sides say so), a message queued before the switch stays e2ee, and back to e2ee', async () => {
    const server = await live.server();
    const { alice, bob } = await pair(server);
    expect(alice.policy?.mode).toBe('e2ee');
    await sendRead(alice, bob, 'before the switch');

    // Carol writes while offline under e2ee: encrypted now, in her outbox, sent after the switch.
    const carol = await live.open({ serverUrl: server.url, store: new MemoryStore(), WebSocket }, 'carol');
    const queued = await carol.enqueue('bob', 'queued under e2ee');
    expect((await carol.outbox()).map((e) => e.mode ?? 'e2ee')).toEqual(['e2ee']);

    const announced = await switchTo(server, 'transport-only', alice, bob);
    expect(announced.transportKey).toHaveLength(32);
    expect(alice.policy).toEqual(announced);

    const fromCarol = nextEvent(bob, 'message', (m) => m.text === 'queued under e2ee');
    await online(carol);
    await queued.stored;
    expect((await fromCarol).mode).toBeUndefined(); // e2ee: the mode it was encrypted under

    const read = await sendRead(alice, bob, 'the server can read this');
    expect(read.mode).toBe('transport-only');
    // Bob's reply goes the same way, and his receipt makes alice's message delivered.
    const delivered = nextEvent(alice, 'delivered');
    await sendRead(bob, alice, 'so can it read this');
    await delivered;
    expect(contentLog(server).map((row) => row.text)).toEqual(['the server can read this', 'so can it read this']);

    // The X-ray on both sides: no ratchet step, the payload the server opened.
    const sentId = (await alice.conversation('bob')).find((e) => e.text === 'the server can read this')!.id;
    expect(await alice.xray(sentId)).toMatchObject({ mode: 'transport-only', envelopes: [], transport: { certificate: null } });
    expect(await bob.xray(read.id)).toMatchObject({ mode: 'transport-only', text: 'the server can read this' });

    await switchTo(server, 'e2ee', alice, bob);
    const after = await sendRead(alice, bob, 'private again');
    expect(after.mode).toBeUndefined();
    expect(contentLog(server)).toHaveLength(2); // nothing sent after the switch back reaches the content log

    expect(await lines(bob, 'alice')).toEqual([
      'received e2ee before the switch',
      'received transport-only the server can read this',
      'sent transport-only so can it read this',
      'received e2ee private again',
    ]);
    expect(await lines(bob, 'carol')).toEqual(['received e2ee queued under e2ee']);
    // Every receipt arrives, whichever mode it travelled in (bob's last one after the switch back: e2ee).
    await vi.waitFor(async () =>
      expect((await alice.conversation('bob')).filter((e) => e.direction === 'sent').map((e) => [e.mode, e.state])).toEqual([
        ['e2ee', 'delivered'],
        ['transport-only', 'delivered'],
        ['e2ee', 'delivered'],
      ]),
      { timeout: PATIENCE_MS, interval: 20 },
    );
  });

  it('a message encrypted under transport-only and sent after the switch back travels transport-only, as its history says', async () => {
    const server = await live.server();
    const { alice, bob } = await pair(server);
    await switchTo(server, 'transport-only', alice, bob);
    const dave = await live.open({ serverUrl: server.url, store: new MemoryStore(), WebSocket }, 'dave');
    const queued = await dave.enqueue('bob', 'written while the server could read');
    await switchTo(server, 'e2ee', alice, bob);
    const arrived = nextEvent(bob, 'message', (m) => m.text === 'written while the server could read');
    await online(dave);
    await queued.stored;
    expect((await arrived).mode).toBe('transport-only');
    expect(dave.policy?.mode).toBe('e2ee');
    expect((await dave.conversation('bob')).map((e) => e.mode)).toEqual(['transport-only']);
    expect(contentLog(server).map((row) => row.text)).toEqual(['written while the server could read']);
  });

  it('a text sent the moment the operator switches back, before the frame arrives, is already e2ee', async () => {
    const server = await live.server();
    const { alice, bob } = await pair(server);
    await switchTo(server, 'transport-only', alice, bob);
    await sendRead(alice, bob, 'read by the server');
    // No waiting for the frame: the send starts as soon as the operator's request is answered.
    expect((await postJson(`${server.url}/api/operator/policy`, { mode: 'e2ee' }, server.server.operatorToken)).status).toBe(200);
    const read = await sendRead(alice, bob, 'sent at the switch');
    expect(read.mode).toBeUndefined();
    expect(contentLog(server).map((row) => row.text)).toEqual(['read by the server']);
  });

  it('a sealed send in transport-only: the server reads the certificate inside, the recipient reads the message', async () => {
    const server = await live.server();
    const { alice, bob } = await pair(server);
    await sendRead(bob, alice, 'write to me'); // alice may now seal to bob (his access key came with it)
    await alice.setSealedSender(true);
    await switchTo(server, 'transport-only', alice, bob);
    const received = nextEvent(bob, 'message', (m) => m.text === 'sealed, and read');
    const delivered = nextEvent(alice, 'delivered');
    const pending = await alice.enqueue('bob', 'sealed, and read');
    expect(pending.sealed).toBe(true);
    await pending.stored;
    expect(await received).toMatchObject({ from: 'alice', sealedSender: true, mode: 'transport-only' });
    // Bob's receipt goes sealed too (the message came sealed), over POST /api/sealed in transport-only.
    expect((await delivered).id).toBe(pending.id);
    const row = server.server.db.prepare<[], { sender: string | null; sender_source: string }>("SELECT sender, sender_source FROM content_log WHERE kind = 'text'").get();
    expect(row).toEqual({ sender: 'alice', sender_source: 'certificate' });
  });

  it('two clients of one profile (two tabs) and a mode change: no message lost, no key used twice', async () => {
    const server = await live.server();
    const store = new MemoryStore();
    const first = await live.open({ serverUrl: server.url, store, WebSocket }, 'alice');
    const bob = await live.open({ serverUrl: server.url, store: new MemoryStore(), WebSocket }, 'bob');
    await Promise.all([online(first), online(bob)]);
    await sendRead(first, bob, 'one (first tab, e2ee)');
    await sendRead(bob, first, 'reply (e2ee)');
    await switchTo(server, 'transport-only', first, bob);

    // The second tab takes the profile over; the first can no longer send anything (its first write says so).
    const second = await live.open({ serverUrl: server.url, store, WebSocket });
    const lost = nextEvent(first, 'ownership-lost');
    const refused = await first.send('bob', 'from the old tab').catch((error: unknown) => error);
    expect(isClientError(refused, 'NOT_OWNER')).toBe(true);
    await lost;
    await online(second);
    expect(second.policy?.mode).toBe('transport-only');
    await sendRead(second, bob, 'two (second tab, transport-only)');

    // Back to e2ee: the session carries on where the first tab left it. A message key used
    // twice would not decrypt on bob's side (DUPLICATE_MESSAGE), one skipped would leave a gap.
    await switchTo(server, 'e2ee', second, bob);
    await sendRead(second, bob, 'three (second tab, e2ee)');
    await sendRead(bob, second, 'reply (e2ee again)');
    expect(await lines(bob, 'alice')).toEqual([
      'received e2ee one (first tab, e2ee)',
      'sent e2ee reply (e2ee)',
      'received transport-only two (second tab, transport-only)',
      'received e2ee three (second tab, e2ee)',
      'sent e2ee reply (e2ee again)',
    ]);
    expect((await second.conversation('bob')).filter((e) => e.direction === 'received').map((e) => e.state)).toEqual(['received', 'received']);
    expect(await second.outbox()).toEqual([]);
  });

  it('a mode this build does not know: the announcement is kept and said, and nothing is encrypted or stored', async () => {
    const server = await live.server();
    const tap = wireTap();
    const alice = await live.open({ serverUrl: server.url, store: new MemoryStore(), WebSocket: tap.WebSocket }, 'alice');
    const bob = await live.open({ serverUrl: server.url, store: new MemoryStore(), WebSocket }, 'bob');
    await Promise.all([online(alice), online(bob)]);
    await sendRead(alice, bob, 'known mode');

    // The real server's announcement, as a newer server would send it: the same frame, another mode.
    const real = tap.latest().receivedOfType('policy').at(-1)!;
    const heard = nextEvent(alice, 'policy', (a) => a.mode === 'client-scanning');
    tap.latest().inject({ ...real, mode: 'client-scanning', since: Date.now() });
    expect((await heard).mode).toBe('client-scanning');
    expect(alice.policy?.mode).toBe('client-scanning');

    const sendsBefore = tap.latest().sentOfType('send').length;
    const refused = await alice.send('bob', 'must not leave').catch((error: unknown) => error);
    expect(isClientError(refused, 'UNKNOWN_POLICY_MODE')).toBe(true);
    expect((refused as Error).message).toContain('"client-scanning"');
    expect(await alice.outbox()).toEqual([]);
    expect((await alice.conversation('bob')).map((e) => e.text)).toEqual(['known mode']);
    expect(tap.latest().sentOfType('send')).toHaveLength(sendsBefore);

    // Receiving still works; the receipt it owes waits (nothing is encrypted) until a known mode comes back.
    const errors: string[] = [];
    alice.events.on('error', (error) => errors.push(error.code));
    const failedReceipt = nextEvent(alice, 'error', (error) => error.code === 'UNKNOWN_POLICY_MODE');
    await sendRead(bob, alice, 'still readable');
    await failedReceipt;
    expect(tap.latest().sentOfType('send')).toHaveLength(sendsBefore);
    const delivered = nextEvent(bob, 'delivered');
    tap.latest().inject({ ...real, since: Date.now() });
    await delivered;
    expect(errors).toEqual(['UNKNOWN_POLICY_MODE']);
  });
});
