/**
 * Sent history, conversations and the X-ray at the level of the messaging
 * steps (real crypto, MemoryStores, TestDirectory as the prekey directory):
 * what the real server cannot show with one device per account.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady } from '@envelope/crypto-public';
import type { DeviceId, MessageId, Username } from '@envelope/protocol';
import { loadConversation } from './conversation-view.js';
import { loadSentByEnvelope, messageState, sentStateUpdate, type SentRecord } from './history.js';
import { receiveEnvelope } from './incoming.js';
import { prepareTextMessage } from './outgoing.js';
import { keys } from './store-keys.js';
import { deliver, makeTestDevice, TestDirectory, type TestDevice } from './testing.js';
import { describeEnvelope, loadXRay } from './xray.js';

beforeAll(async () => {
  await cryptoReady();
});

const bob = 'bob' as Username;

async function apply(device: TestDevice, envelopeId: MessageId, change: Parameters<typeof sentStateUpdate>[2]): Promise<SentRecord> {
  const update = await sentStateUpdate(device.store, envelopeId, change);
  if (update) await device.store.put(update.entries);
  return (await loadSentByEnvelope(device.store, envelopeId))!;
}

describe('sent history', () => {
  it("is 'delivered' only once every device's envelope is, and never moves backwards", async () => {
    const directory = new TestDirectory();
    const alice = await makeTestDevice('alice', directory);
    await makeTestDevice('bob', directory, { deviceId: 1 });
    await makeTestDevice('bob', directory, { deviceId: 2 }); // Bob's second device, known from the start
    const { messageId, envelopes } = await prepareTextMessage(alice, bob, 'to both', directory.fetchBundle);
    const [first, second] = envelopes;
    expect(envelopes.map((e) => e.toDevice)).toEqual([1, 2]);
    expect(first!.id).toBe(messageId);
    // The second envelope's id finds the same record.
    expect(await alice.store.get(keys.sentEnvelope(second!.id))).toBe(messageId);
    expect((await loadSentByEnvelope(alice.store, second!.id))?.id).toBe(messageId);

    expect((await apply(alice, first!.id, { state: 'stored', at: 10 })).state).toBe('queued');
    expect((await apply(alice, second!.id, { state: 'stored', at: 11 })).state).toBe('stored');
    expect((await apply(alice, first!.id, { state: 'delivered', at: 20 })).state).toBe('stored');
    const delivered = await apply(alice, second!.id, { state: 'delivered', at: 21 });
    expect(delivered.state).toBe('delivered');
    expect(delivered.envelopes.map((e) => [e.state, e.storedAt, e.deliveredAt])).toEqual([
      ['delivered', 10, 20],
      ['delivered', 11, 21],
    ]);
    // A late 'stored' (a resend's answer) changes nothing.
    expect(await sentStateUpdate(alice.store, first!.id, { state: 'stored', at: 30 })).toBeNull();
  });

  it("a delivery seen before its 'stored' answer still counts, and 'failed' is final", async () => {
    const directory = new TestDirectory();
    const alice = await makeTestDevice('alice', directory);
    await makeTestDevice('bob', directory);
    const { messageId } = await prepareTextMessage(alice, bob, 'hi', directory.fetchBundle);
    const early = await apply(alice, messageId, { state: 'delivered', at: 5 });
    expect(early.envelopes[0]).toMatchObject({ state: 'delivered', storedAt: null, deliveredAt: 5 });
    expect((await apply(alice, messageId, { state: 'stored', at: 4 })).envelopes[0]).toMatchObject({ state: 'delivered', storedAt: 4 });

    const { messageId: refused } = await prepareTextMessage(alice, bob, 'refused', directory.fetchBundle);
    const failed = await apply(alice, refused, { state: 'failed', reason: 'UNKNOWN_RECIPIENT' });
    expect(failed).toMatchObject({ state: 'failed', reason: 'UNKNOWN_RECIPIENT' });
    expect((await apply(alice, refused, { state: 'stored', at: 9 })).state).toBe('failed');
    expect(messageState([])).toBe('delivered'); // vacuous: a record always has at least one envelope
  });
});

describe('conversation and X-ray from the messaging steps', () => {
  it('lists sent, received, held and unreadable messages in order, and x-rays what can be read', async () => {
    const directory = new TestDirectory();
    let clock = 1_000;
    const tick = () => (clock += 10);
    const alice = await makeTestDevice('alice', directory, { clock: tick });
    const bobDevice = await makeTestDevice('bob', directory, { clock: tick });
    const first = await prepareTextMessage(alice, bob, 'hello', directory.fetchBundle);
    await receiveEnvelope(bobDevice, deliver(first.envelopes[0]!, alice, tick()));
    const reply = await prepareTextMessage(bobDevice, 'alice', 'hi back', directory.fetchBundle);
    await receiveEnvelope(alice, deliver(reply.envelopes[0]!, bobDevice, tick()));
    // A forged message from Bob: kept as unreadable.
    const forged = { ...deliver(reply.envelopes[0]!, bobDevice, tick()), id: 'BBBBBBBBBBBBBBBBBBBBBB' as MessageId, body: 'AQIDBAUG' };
    await receiveEnvelope(alice, forged);

    const conversation = await loadConversation(alice.store, bob);
    expect(conversation.map((e) => [e.direction, e.text, e.state, e.reason])).toEqual([
      ['sent', 'hello', 'queued', undefined],
      ['received', 'hi back', 'received', undefined],
      ['received', null, 'undecryptable', 'INVALID_MESSAGE'],
    ]);

    const sent = (await loadXRay(alice.store, first.messageId))!;
    const received = (await loadXRay(bobDevice.store, first.messageId))!;
    expect(received.padded).toEqual(sent.padded);
    expect(received.envelopes[0]!.body).toBe(sent.envelopes[0]!.body);
    expect(sent.envelopes[0]!.step.handshake).toBe('pqxdh');
    expect(describeEnvelope(reply.envelopes[0]!.body)).toMatchObject({ handshake: null, messageIndex: 0, newRatchetKey: true });
    expect(await loadXRay(alice.store, forged.id)).toBeNull();
  });

  it('shows a held message as held, with no text and no X-ray', async () => {
    const directory = new TestDirectory();
    const alice = await makeTestDevice('alice', directory);
    const oldBob = await makeTestDevice('bob', directory);
    const hello = await prepareTextMessage(alice, bob, 'hello', directory.fetchBundle);
    await receiveEnvelope(oldBob, deliver(hello.envelopes[0]!, alice));
    const newBob = await makeTestDevice('bob', directory); // reinstalled: new keys, same device id
    const fromNew = await prepareTextMessage(newBob, 'alice', 'new phone', directory.fetchBundle);
    expect((await receiveEnvelope(alice, deliver(fromNew.envelopes[0]!, newBob))).kind).toBe('held');
    expect((await loadConversation(alice.store, bob)).map((e) => [e.direction, e.text, e.state])).toEqual([
      ['sent', 'hello', 'queued'],
      ['received', null, 'held'],
    ]);
    expect(await loadXRay(alice.store, fromNew.messageId)).toBeNull();
    expect(oldBob.keyChanges).toEqual([]);
    expect(alice.keyChanges).toEqual([{ contact: bob, deviceId: 1 as DeviceId }]);
  });
});
