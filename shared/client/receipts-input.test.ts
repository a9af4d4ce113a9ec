/**
 * Receipts (receipts.ts) through the messaging steps with real crypto and no
 * server: what a receipt may confirm, what happens to a malformed one, and how
 * a large backlog is split. TestDirectory plays the prekey directory, `deliver`
 * the mailbox.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8Encode, cryptoReady } from '@envelope/crypto-public';
import type { MessageId, Username } from '@envelope/protocol';
import { isClientError } from './errors.js';
import { loadSent } from './history.js';
import { loadInbox, receiveEnvelope, type ReceiveOutcome } from './incoming.js';
import { encodeReceipt, MAX_RECEIPT_IDS } from './message-codec.js';
import { newMessageId } from './message-id.js';
import { prepareControlMessage, prepareTextMessage, type OutboxEntry } from './outgoing.js';
import { prepareReceipts } from './receipts.js';
import { loadSessionRecord } from './session-store.js';
import { keys } from './store-keys.js';
import { deliver, makeTestDevice, TestDirectory, type TestDevice } from './testing.js';

beforeAll(async () => {
  await cryptoReady();
});

async function send(from: TestDevice, to: TestDevice, text: string, directory: TestDirectory): Promise<OutboxEntry> {
  const [envelope] = (await prepareTextMessage(from, to.self.username, text, directory.fetchBundle)).envelopes;
  return envelope!;
}

/** A control message of `from`'s with exactly these plaintext bytes, over its session with `to` (which must exist). */
async function rawControl(from: TestDevice, to: TestDevice, plaintext: Uint8Array): Promise<OutboxEntry> {
  const session = (await loadSessionRecord(from.store, to.self.username, to.self.deviceId))!;
  const [envelope] = await prepareControlMessage(from, to.self.username, plaintext, new Map([[to.self.deviceId, session]]), 'receipt');
  return envelope!;
}

async function setup() {
  const directory = new TestDirectory();
  const alice = await makeTestDevice('alice', directory);
  const bob = await makeTestDevice('bob', directory);
  const carol = await makeTestDevice('carol', directory);
  return { directory, alice, bob, carol };
}

const sentStates = async (device: TestDevice) => (await loadSent(device.store)).map((r) => [r.to, r.text, r.state]);

function controlOf(outcome: ReceiveOutcome) {
  if (outcome.kind !== 'control') throw new Error(`expected a control message, got ${outcome.kind}`);
  return outcome;
}

describe('receipts, received', () => {
  it('confirm only envelopes we sent to the very device that sends the receipt; unknown ids are ignored', async () => {
    const { directory, alice, bob, carol } = await setup();
    const toBob = await send(alice, bob, 'for bob', directory);
    const toCarol = await send(alice, carol, 'for carol', directory);
    await receiveEnvelope(bob, deliver(toBob, alice));
    // Bob's device claims Carol's message too, and an id nobody sent: only his own counts.
    const receipt = await rawControl(bob, alice, encodeReceipt([toBob.id, toCarol.id, newMessageId()], Date.now()));
    const outcome = controlOf(await receiveEnvelope(alice, deliver(receipt, bob, 1234)));
    expect(outcome.delivered).toEqual([{ id: toBob.id, messageId: toBob.id, toDevice: 1 }]);
    expect(await sentStates(alice)).toEqual([
      ['bob', 'for bob', 'delivered'],
      ['carol', 'for carol', 'queued'],
    ]);
    expect((await loadSent(alice.store))[0]!.envelopes[0]!.deliveredAt).toBe(1234); // the server's time for the receipt
    // Not chat, and never answered: no inbox entry, no receipt of a receipt.
    expect(await loadInbox(alice)).toEqual([]);
    expect(await alice.store.list(keys.pendingReceiptPrefix)).toEqual([]);
  });

  it('a malformed receipt is a typed PROTOCOL_ERROR, changes no delivery state, and the session goes on', async () => {
    const { directory, alice, bob } = await setup();
    const toBob = await send(alice, bob, 'hello', directory);
    await receiveEnvelope(bob, deliver(toBob, alice));
    const malformed = [
      { v: 1, kind: 'receipt', sentAt: 1, ids: [] },
      { v: 1, kind: 'receipt', sentAt: 1, ids: ['not an id!'] },
      { v: 1, kind: 'receipt', sentAt: 1, ids: [toBob.id], extra: true },
      { v: 1, kind: 'receipt', sentAt: 1, ids: Array.from({ length: MAX_RECEIPT_IDS + 1 }, () => toBob.id) },
    ];
    for (const body of malformed) {
      const envelope = await rawControl(bob, alice, utf8Encode(JSON.stringify(body)));
      const outcome = await receiveEnvelope(alice, deliver(envelope, bob));
      expect(outcome.kind === 'undecryptable' && outcome.entry.reason).toBe('PROTOCOL_ERROR');
    }
    expect(await sentStates(alice)).toEqual([['bob', 'hello', 'queued']]);
    // A well-formed one afterwards still works.
    const good = await rawControl(bob, alice, encodeReceipt([toBob.id as MessageId], Date.now()));
    expect(controlOf(await receiveEnvelope(alice, deliver(good, bob))).delivered).toHaveLength(1);
    expect(await sentStates(alice)).toEqual([['bob', 'hello', 'delivered']]);
  });

  it('cannot be made with no ids or too many', () => {
    for (const ids of [[], Array.from({ length: MAX_RECEIPT_IDS + 1 }, () => newMessageId())]) {
      let error: unknown;
      try {
        encodeReceipt(ids, 1);
      } catch (caught) {
        error = caught;
      }
      expect(isClientError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('receipts, sent', () => {
  it('a backlog larger than one receipt holds goes in several, and every message is confirmed', async () => {
    const { directory, alice, bob } = await setup();
    const count = MAX_RECEIPT_IDS + 3;
    for (let i = 0; i < count; i++) await receiveEnvelope(bob, deliver(await send(alice, bob, `m${i}`, directory), alice));
    expect(await bob.store.list(keys.pendingReceiptPrefix)).toHaveLength(count);
    const receipts = await prepareReceipts(bob, undefined);
    expect(receipts).toHaveLength(2);
    expect(receipts.every((r) => r.control === 'receipt' && r.to === ('alice' as Username) && !r.sealed)).toBe(true);
    expect(await bob.store.list(keys.pendingReceiptPrefix)).toEqual([]);
    for (const receipt of receipts) await receiveEnvelope(alice, deliver(receipt, bob));
    expect((await sentStates(alice)).every(([, , state]) => state === 'delivered')).toBe(true);
  });

  it('one that must go sealed waits for a sender certificate', async () => {
    const { directory, alice, bob } = await setup();
    await receiveEnvelope(bob, deliver(await send(alice, bob, 'hi', directory), alice));
    await bob.store.put({ [keys.settings]: { sealedSender: true } });
    expect(await prepareReceipts(bob, undefined)).toEqual([]);
    expect(await bob.store.list(keys.pendingReceiptPrefix)).toHaveLength(1);
  });
});
