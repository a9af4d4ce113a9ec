/**
 * A server that adds a device to someone's account (the "ghost" proposal for
 * lawful access) must never do it silently. The server here is the real one,
 * in process; the ghost is added the way a malicious operator would add it:
 * a row in its own `devices` table and prekeys beside it, with an identity key
 * the operator holds, and a real client signed in as that device.
 *
 * Before anyone talks, the ghost is trusted on first use like every device of a
 * bundle, but the safety number covers every device, so the two people's
 * numbers no longer match. After a conversation exists, the ghost gets nothing
 * and whatever it sends is held as a key change until the user trusts it.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { addGhostDevice } from '@envelope/testkit/ghost-device.js';
import { liveClients, online as goOnline, type InProcessServer as Server } from '@envelope/testkit/live-clients.js';
import { cryptoReady } from '@envelope/crypto-public';
import type { DeviceId } from '@envelope/protocol';
import type { ClientEvents } from './client-events.js';
import type { EnvelopeClient } from './client.js';
import { clientErrorCode } from './testing.js';
import { MemoryStore } from './store.js';
import { keys } from './store-keys.js';
import { wireTap } from '@envelope/testkit/wire-tap.js';

beforeAll(async () => {
  await cryptoReady();
});

const live = liveClients();

interface Participant {
  readonly client: EnvelopeClient;
  readonly received: ClientEvents['message'][];
  readonly keyChanges: ClientEvents['key-changed'][];
}

function watch(client: EnvelopeClient): Participant {
  const received: ClientEvents['message'][] = [];
  const keyChanges: ClientEvents['key-changed'][] = [];
  client.events.on('message', (message) => received.push(message));
  client.events.on('key-changed', (change) => keyChanges.push(change));
  return { client, received, keyChanges };
}

async function participant(server: Server, name: string): Promise<Participant> {
  return watch(await live.open({ serverUrl: server.url, store: new MemoryStore(), WebSocket: wireTap().WebSocket }, name));
}

const online = ({ client }: Participant) => goOnline(client);

/** The operator adds device 2 to `username`'s account (shared/testkit/ghost-device.ts); returns a client signed in as that device. */
async function addGhost(server: Server, username: string): Promise<Participant> {
  const deviceId = 2;
  const generated = addGhostDevice(server.server.db, username, server.url, deviceId);
  const store = new MemoryStore();
  await store.put({ ...generated.entries, [keys.self]: { ...generated.self, deviceId: deviceId as DeviceId, registered: true } });
  return watch(await live.open({ store, WebSocket: wireTap().WebSocket }));
}

/** Envelopes the server holds for one device of `recipient`. */
function mailboxFor(server: Server, recipient: string, device: number): number {
  return server.server.db
    .prepare<[string, number], { n: number }>('SELECT count(*) AS n FROM mailbox WHERE recipient = ? AND recipient_device = ?')
    .get(recipient, device)!.n;
}

describe('a device the server adds to an account', () => {
  it('before the first message: the safety number covers it, so the two people see different numbers', async () => {
    const server = await live.server();
    const alice = await participant(server, 'alice');
    const bob = await participant(server, 'bob');
    const carol = await participant(server, 'carol');
    const ghost = await addGhost(server, 'bob');
    await Promise.all([online(alice), online(bob), online(carol), online(ghost)]);

    await alice.client.send('bob', 'meet at noon');
    await vi.waitFor(() => expect(bob.received.map((m) => m.text)).toEqual(['meet at noon']));
    // First contact is trust on first use for every device of the bundle: the ghost reads it...
    await vi.waitFor(() => expect(ghost.received.map((m) => m.text)).toEqual(['meet at noon']));

    // ...but not unseen: Alice's number covers both of "Bob's" devices, Bob's covers the one he has.
    const alicesView = await alice.client.safetyNumber('bob');
    expect(alicesView.deviceIds).toEqual([1, 2]);
    const bobsView = await bob.client.safetyNumber('alice');
    expect(bobsView.safetyNumber).toMatch(/^(\d{5} ){11}\d{5}$/);
    expect(alicesView.safetyNumber).not.toBe(bobsView.safetyNumber);

    // The control: with no ghost in between, the numbers match.
    await carol.client.send('alice', 'hi');
    expect((await carol.client.safetyNumber('alice')).safetyNumber).toBe((await alice.client.safetyNumber('carol')).safetyNumber);
  });

  it('after a conversation exists: it gets nothing, and what it sends is held as a key change until trusted', async () => {
    const server = await live.server();
    const alice = await participant(server, 'alice');
    const bob = await participant(server, 'bob');
    await Promise.all([online(alice), online(bob)]);
    await alice.client.send('bob', 'hello');
    await bob.client.send('alice', 'hello back');
    await vi.waitFor(() => expect(alice.received.map((m) => m.text)).toEqual(['hello back']));
    const matching = (await alice.client.safetyNumber('bob')).safetyNumber;
    expect((await bob.client.safetyNumber('alice')).safetyNumber).toBe(matching);

    const ghost = await addGhost(server, 'bob');
    await online(ghost);
    await alice.client.send('bob', 'still just us?');
    await vi.waitFor(() => expect(bob.received.map((m) => m.text)).toEqual(['hello', 'still just us?']));
    expect(mailboxFor(server, 'bob', 2)).toBe(0); // never encrypted to the ghost

    // The ghost writes to Alice as "bob": held unread, and the key-change warning raised.
    await ghost.client.send('alice', 'it is me, Bob, on my new laptop');
    await vi.waitFor(() => expect(alice.keyChanges).toEqual([{ contact: 'bob', deviceId: 2 }]));
    expect(alice.received.map((m) => m.text)).toEqual(['hello back']);
    expect(await alice.client.heldCount('bob')).toBe(1);
    expect(await clientErrorCode(alice.client.send('bob', 'anyone else here?'))).toBe('KEY_CHANGED');
    expect((await alice.client.safetyNumber('bob')).safetyNumber).toBe(matching); // still the trusted set's number

    // If Alice accepts it anyway, her number now covers it: it no longer matches Bob's.
    await alice.client.trustNewKey('bob');
    const after = await alice.client.safetyNumber('bob');
    expect(after.deviceIds).toEqual([1, 2]);
    expect(after.safetyNumber).not.toBe((await bob.client.safetyNumber('alice')).safetyNumber);
  });
});
