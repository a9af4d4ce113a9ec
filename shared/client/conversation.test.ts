/**
 * Two (or three) devices talking through the messaging steps with real crypto
 * and MemoryStores; TestDirectory plays the server's prekey directory and
 * `deliver` its mailbox.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady } from '@envelope/crypto-public';
import type { DeviceId, MessageId, Username } from '@envelope/protocol';
import { isClientError } from './errors.js';
import { loadInbox, receiveEnvelope, type MessageFrame, type ReceiveOutcome } from './incoming.js';
import { loadHeld, trustNewKey } from './key-change.js';
import { loadOutbox, prepareTextMessage, type OutboxEntry } from './outgoing.js';
import { computeSafetyNumber, markVerified } from './safety.js';
import { ContactKind } from './record-schemas.js';
import { keys } from './store-keys.js';
import { readRecord } from './store-records.js';
import { deliver, makeTestDevice, TestDirectory, type TestDevice } from './testing.js';

beforeAll(async () => {
  await cryptoReady();
});

const bob = 'bob' as Username;
const alice = 'alice' as Username;

async function prepare(from: TestDevice, to: TestDevice | Username, text: string, directory: TestDirectory): Promise<OutboxEntry[]> {
  const name = typeof to === 'string' ? to : to.self.username;
  return (await prepareTextMessage(from, name, text, directory.fetchBundle)).envelopes;
}

async function sendText(from: TestDevice, to: TestDevice, text: string, directory: TestDirectory): Promise<ReceiveOutcome> {
  const [envelope] = await prepare(from, to, text, directory);
  return receiveEnvelope(to, deliver(envelope!, from));
}

function textOf(outcome: ReceiveOutcome): string {
  if (outcome.kind !== 'message') throw new Error(`expected a message, got ${outcome.kind}`);
  return outcome.entry.text;
}

async function inboxTexts(device: TestDevice): Promise<string[]> {
  return (await loadInbox(device)).map((entry) => (entry.kind === 'text' ? entry.text : `!${entry.reason}`));
}

async function expectClientError(promise: Promise<unknown>, code: string): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  expect(isClientError(error) ? error.code : error).toBe(code);
}

/** Records each atomic put's keys, to check what is stored together. */
function recordPuts(device: TestDevice): string[][] {
  const puts: string[][] = [];
  const put = device.store.put.bind(device.store);
  device.store.put = async (entries, options) => {
    puts.push(Object.keys(entries).sort());
    return put(entries, options);
  };
  return puts;
}

async function pair(): Promise<{ directory: TestDirectory; a: TestDevice; b: TestDevice }> {
  const directory = new TestDirectory();
  return { directory, a: await makeTestDevice('alice', directory), b: await makeTestDevice('bob', directory) };
}

describe('sending and receiving', () => {
  it('delivers every message of a long back-and-forth with runs in each direction', async () => {
    const { directory, a, b } = await pair();
    const script = ['a', 'a', 'b', 'a', 'a', 'a', 'b', 'b', 'a', 'b', 'a'];
    for (const [i, who] of script.entries()) {
      const [from, to] = who === 'a' ? [a, b] : [b, a];
      expect(textOf(await sendText(from, to, `message ${i}`, directory))).toBe(`message ${i}`);
    }
    expect(await inboxTexts(b)).toEqual(script.flatMap((who, i) => (who === 'a' ? [`message ${i}`] : [])));
  });

  it("a send stores the new session state, the ciphertext and the sent history in one atomic put, before it returns", async () => {
    const { directory, a, b } = await pair();
    await sendText(a, b, 'open', directory);
    const puts = recordPuts(a);
    const [envelope] = await prepare(a, b, 'second', directory);
    expect(puts).toEqual([[keys.outbox(envelope!.id), keys.sent(envelope!.id), keys.session(bob, 1 as DeviceId)].sort()]);
    expect((await loadOutbox(a)).map((entry) => entry.id)).toContain(envelope!.id);
  });

  it('a receive stores session, inbox entry, raw envelope, the receipt to send, seen id and the used one-time prekeys in one atomic put', async () => {
    const { directory, a, b } = await pair();
    const [envelope] = await prepare(a, b, 'first', directory);
    const oneTimeBefore = await b.store.list('otk/');
    const kemBefore = await b.store.list('kem/');
    const puts = recordPuts(b);
    expect(textOf(await receiveEnvelope(b, deliver(envelope!, a)))).toBe('first');
    expect(puts).toHaveLength(1);
    const [put] = puts;
    const deletedOneTime = oneTimeBefore.filter((key) => put!.includes(key));
    const deletedKem = kemBefore.filter((key) => put!.includes(key));
    expect(deletedOneTime).toHaveLength(1);
    expect(deletedKem).toHaveLength(1);
    expect(put).toEqual(
      [keys.session(alice, 1 as DeviceId), keys.contact(alice), keys.inbox(envelope!.id), keys.received(envelope!.id), keys.pendingReceipt(alice, 1 as DeviceId, envelope!.id), keys.seen(envelope!.id), ...deletedOneTime, ...deletedKem].sort(),
    );
    // Deleted for real, and the last-resort KEM prekey (id 1) is kept.
    expect(await b.store.get(deletedOneTime[0]!)).toBeUndefined();
    expect(await b.store.get(deletedKem[0]!)).toBeUndefined();
    expect(await b.store.get(keys.kemPreKey(1))).toBeDefined();
  });

  it('a forged first message burns no one-time prekey and changes no session', async () => {
    const { directory, a, b } = await pair();
    const [envelope] = await prepare(a, b, 'first', directory);
    const before = b.store.entries();
    const frame = deliver(envelope!, a);
    const forged: MessageFrame = { ...frame, id: 'forged-message-1' as MessageId, body: frame.body.slice(0, -4) + (frame.body.endsWith('AAAA') ? 'BBBB' : 'AAAA') };
    const outcome = await receiveEnvelope(b, forged);
    expect(outcome.kind).toBe('undecryptable');
    const after = b.store.entries();
    for (const key of Object.keys(before)) expect(after[key]).toEqual(before[key]);
    // The genuine message still opens the session.
    expect(textOf(await receiveEnvelope(b, frame))).toBe('first');
  });

  it('a repeated envelope id is dropped: each message shows once', async () => {
    const { directory, a, b } = await pair();
    const [envelope] = await prepare(a, b, 'once', directory);
    const frame = deliver(envelope!, a);
    expect((await receiveEnvelope(b, frame)).kind).toBe('message');
    expect((await receiveEnvelope(b, frame)).kind).toBe('duplicate');
    expect(await inboxTexts(b)).toEqual(['once']);
  });

  it('a message that cannot be read is kept in the inbox with its reason, and later messages still read', async () => {
    const { directory, a, b } = await pair();
    await sendText(a, b, 'open', directory);
    await sendText(b, a, 'reply', directory); // from now on Alice sends ratchet messages
    const [good] = await prepare(a, b, 'after', directory);
    const frame = deliver(good!, a);
    const corrupt = (id: string, body: string): MessageFrame => ({ ...frame, id: id as MessageId, body });
    const at = frame.body.length - 3;
    const flipped = frame.body.slice(0, at) + (frame.body[at] === 'A' ? 'B' : 'A') + frame.body.slice(at + 1);
    const outcomes = [
      await receiveEnvelope(b, corrupt('corrupted-1', flipped)),
      await receiveEnvelope(b, corrupt('not-base64-1', '!!not base64!!')),
      await receiveEnvelope(b, { ...frame, id: 'sealed-sender-1' as MessageId, from: null, fromDevice: null }),
      await receiveEnvelope(b, { ...frame, id: 'no-session-1' as MessageId, from: 'carol' as Username }),
    ];
    expect(outcomes.map((o) => (o.kind === 'undecryptable' ? o.entry.reason : o.kind))).toEqual([
      'DECRYPT_FAILED',
      'INVALID_MESSAGE',
      'INVALID_MESSAGE',
      'NO_SESSION',
    ]);
    expect(textOf(await receiveEnvelope(b, frame))).toBe('after');
    expect(await inboxTexts(b)).toEqual(['open', '!DECRYPT_FAILED', '!INVALID_MESSAGE', '!INVALID_MESSAGE', '!NO_SESSION', 'after']);
    // Each is in the seen-set, so a redelivery is not reported twice.
    expect((await receiveEnvelope(b, corrupt('corrupted-1', flipped))).kind).toBe('duplicate');
  });

  it('both sides writing first at the same moment converge, and every message is read', async () => {
    const { directory, a, b } = await pair();
    const [fromA] = await prepare(a, b, 'hi from alice', directory);
    const [fromB] = await prepare(b, a, 'hi from bob', directory);
    expect(textOf(await receiveEnvelope(b, deliver(fromA!, a)))).toBe('hi from alice');
    expect(textOf(await receiveEnvelope(a, deliver(fromB!, b)))).toBe('hi from bob');
    for (let i = 0; i < 8; i++) {
      const [from, to] = i % 3 === 0 ? [b, a] : [a, b];
      expect(textOf(await sendText(from, to, `round ${i}`, directory))).toBe(`round ${i}`);
    }
  });

  it('refuses a bundle without its post-quantum prekey (a downgrade to X3DH) or with a bad signature', async () => {
    const { directory, a } = await pair();
    const stripped = async (name: Username) => {
      const bundle = await directory.fetchBundle(name);
      return { ...bundle, devices: bundle.devices.map(({ kemPreKey: _dropped, ...device }) => device) };
    };
    await expectClientError(prepareTextMessage(a, bob, 'hi', stripped), 'PROTOCOL_ERROR');
    const forged = async (name: Username) => {
      const bundle = await directory.fetchBundle(name);
      return { ...bundle, devices: bundle.devices.map((d) => ({ ...d, signedPreKey: { ...d.signedPreKey, signature: d.signedPreKey.signature.map((x, i) => (i === 0 ? x ^ 1 : x)) } })) };
    };
    await expectClientError(prepareTextMessage(a, bob, 'hi', forged), 'PROTOCOL_ERROR');
    expect(await a.store.list('session/')).toEqual([]);
    expect(await loadOutbox(a)).toEqual([]);
  });

  it('refuses to send to an invalid name or to oneself, before anything is stored', async () => {
    const { directory, a } = await pair();
    await expectClientError(prepare(a, 'Not A Name' as Username, 'x', directory), 'INVALID_ARGUMENT');
    await expectClientError(prepare(a, alice, 'x', directory), 'INVALID_ARGUMENT');
    await expectClientError(prepare(a, bob, 'x'.repeat(4001), directory), 'INVALID_ARGUMENT');
    expect(await a.store.list('session/')).toEqual([]);
  });
});

describe('key changes', () => {
  it('a new key in an incoming first message: held unread, sending refused, released in order by trustNewKey', async () => {
    const { directory, a, b } = await pair();
    await sendText(a, b, 'before', directory);
    await sendText(b, a, 'reply', directory);
    await markVerified(a, bob);

    // Bob reinstalls: same name, new identity key. He writes twice before hearing back.
    const newBob = await makeTestDevice('bob', directory);
    const [m1] = await prepare(newBob, a, 'new phone, who dis', directory);
    const [m2] = await prepare(newBob, a, 'it is really me', directory);
    const held1 = await receiveEnvelope(a, deliver(m1!, newBob));
    const held2 = await receiveEnvelope(a, deliver(m2!, newBob));
    expect([held1.kind, held2.kind]).toEqual(['held', 'held']);
    expect(a.keyChanges).toEqual([{ contact: bob, deviceId: 1 }]); // reported once
    expect(await inboxTexts(a)).toEqual(['reply']);
    expect((await loadHeld(a, bob)).map((h) => h.id)).toEqual([m1!.id, m2!.id]);

    // Nothing goes out while the change is pending, not even on the old session.
    await expectClientError(prepare(a, bob, 'are you there?', directory), 'KEY_CHANGED');
    expect(await loadOutbox(a)).toHaveLength(1); // only the earlier send

    const released = await trustNewKey(a, bob);
    expect(released.map(textOf)).toEqual(['new phone, who dis', 'it is really me']);
    expect(await loadHeld(a, bob)).toEqual([]);
    expect(await inboxTexts(a)).toEqual(['reply', 'new phone, who dis', 'it is really me']);
    expect((await computeSafetyNumber(a, bob)).verified).toBe(false);

    // Alice now writes to the new Bob (the old Bob's session is gone).
    expect(textOf(await sendText(a, newBob, 'welcome back', directory))).toBe('welcome back');
  });

  it('a new key in a fetched bundle: KEY_CHANGED, nothing encrypted, until trustNewKey', async () => {
    const { directory, a, b } = await pair();
    await sendText(a, b, 'hello', directory);
    await a.store.put({ [keys.session(bob, 1 as DeviceId)]: undefined }); // session lost: the next send fetches a bundle
    const newBob = await makeTestDevice('bob', directory);
    const outboxBefore = await loadOutbox(a);

    await expectClientError(prepare(a, bob, 'hello again', directory), 'KEY_CHANGED');
    expect(a.keyChanges).toEqual([{ contact: bob, deviceId: 1 }]);
    expect(await loadOutbox(a)).toEqual(outboxBefore);
    expect(await a.store.get(keys.session(bob, 1 as DeviceId))).toBeUndefined();
    // Still refused on a second try (without a second event), until the user decides.
    await expectClientError(prepare(a, bob, 'hello again', directory), 'KEY_CHANGED');
    expect(a.keyChanges).toHaveLength(1);

    expect(await trustNewKey(a, bob)).toEqual([]);
    expect(textOf(await sendText(a, newBob, 'hello again', directory))).toBe('hello again');
  });

  it('a device a contact did not have before is a key change (a ghost device cannot join silently)', async () => {
    const directory = new TestDirectory();
    const a = await makeTestDevice('alice', directory);
    const b = await makeTestDevice('bob', directory);
    await sendText(a, b, 'hello', directory);
    await a.store.put({ [keys.session(bob, 1 as DeviceId)]: undefined });
    const ghost = await makeTestDevice('bob', directory, { deviceId: 2 }); // published next to Bob's device 1
    await expectClientError(prepare(a, bob, 'secret', directory), 'KEY_CHANGED');
    expect(a.keyChanges).toEqual([{ contact: bob, deviceId: 2 }]);
    // A message from the new device is held too.
    const [fromGhost] = await prepare(ghost, a, 'trust me', directory);
    expect((await receiveEnvelope(a, deliver(fromGhost!, ghost))).kind).toBe('held');
  });

  it('a tampered identity key in a repeated handshake is not mistaken for a key change', async () => {
    const { directory, a, b } = await pair();
    const [first] = await prepare(a, b, 'one', directory);
    const [second] = await prepare(a, b, 'two', directory); // the same handshake, repeated until Bob replies
    expect(textOf(await receiveEnvelope(b, deliver(first!, a)))).toBe('one');
    // Byte 2 onward of a prekey message is IK_A: change it in the repeat.
    const frame = deliver(second!, a);
    const bytes = Buffer.from(frame.body, 'base64url');
    bytes[2]! ^= 0x01;
    const tampered = { ...frame, body: bytes.toString('base64url') };
    // The session refuses a repeat that names another identity (shared/crypto/session.ts):
    // the message is reported unreadable, and it is not taken for a key change either.
    const outcome = await receiveEnvelope(b, tampered);
    expect(outcome.kind).toBe('undecryptable');
    expect(b.keyChanges).toEqual([]);
  });

  it('verified is refused while a change is pending, and cleared once a new key is trusted', async () => {
    const { directory, a, b } = await pair();
    await sendText(a, b, 'hello', directory);
    await markVerified(a, bob);
    expect((await computeSafetyNumber(a, bob)).verified).toBe(true);
    const newBob = await makeTestDevice('bob', directory);
    const [m] = await prepare(newBob, a, 'hi', directory);
    await receiveEnvelope(a, deliver(m!, newBob));
    expect((await computeSafetyNumber(a, bob)).keyChangePending).toBe(true);
    await expectClientError(markVerified(a, bob), 'KEY_CHANGED');
    await trustNewKey(a, bob);
    const after = await computeSafetyNumber(a, bob);
    expect([after.verified, after.keyChangePending]).toEqual([false, false]);
    await markVerified(a, bob);
    expect(((await readRecord(a.store, ContactKind, keys.contact(bob)))!).verified).toBe(true);
  });
});

describe('safety numbers', () => {
  it('both sides compute the same 60 digits, and a new key changes them', async () => {
    const { directory, a, b } = await pair();
    await sendText(a, b, 'hello', directory);
    const atAlice = await computeSafetyNumber(a, bob);
    const atBob = await computeSafetyNumber(b, alice);
    expect(atAlice.safetyNumber).toMatch(/^\d{5}( \d{5}){11}$/);
    expect(atAlice.safetyNumber).toBe(atBob.safetyNumber);

    const newBob = await makeTestDevice('bob', directory);
    const [m] = await prepare(newBob, a, 'hi', directory);
    await receiveEnvelope(a, deliver(m!, newBob));
    await trustNewKey(a, bob);
    const changed = await computeSafetyNumber(a, bob);
    expect(changed.safetyNumber).not.toBe(atAlice.safetyNumber);
    expect(changed.safetyNumber).toBe((await computeSafetyNumber(newBob, alice)).safetyNumber);
  });

  it('is UNKNOWN_USER for a contact whose key we have never seen', async () => {
    const { a } = await pair();
    await expectClientError(computeSafetyNumber(a, 'zed' as Username), 'UNKNOWN_USER');
  });
});

describe('franking (reportable messages)', () => {
  it('a received text keeps what a report needs: the key from inside, the commitment and stamp from beside it', async () => {
    const { directory, a, b } = await pair();
    const [envelope] = await prepare(a, b, 'keep me provable', directory);
    const frame = deliver(envelope!, a);
    const outcome = await receiveEnvelope(b, frame);
    if (outcome.kind !== 'message') throw new Error(outcome.kind);
    expect(outcome.entry.franking).toEqual({ key: expect.stringMatching(/^[\w-]{43}$/), commitment: envelope!.commitment, stamp: frame.stamp });
  });

  it('a text whose commitment is missing or does not open is refused as unreadable, so abuse cannot be made unreportable', async () => {
    const { directory, a, b } = await pair();
    const [first, second] = [await prepare(a, b, 'one', directory), await prepare(a, b, 'two', directory)].map((e) => e[0]!);
    const { commitment: _dropped, stamp: _alsoDropped, ...bare } = deliver(first!, a);
    const wrong = { ...deliver(second!, a), commitment: Buffer.alloc(32, 1).toString('base64url') };
    for (const frame of [bare as MessageFrame, wrong]) {
      const outcome = await receiveEnvelope(b, frame);
      expect(outcome.kind === 'undecryptable' && outcome.entry.reason).toBe('FRANKING_INVALID');
    }
    // The sessions moved on regardless: the next honest message reads.
    expect(textOf(await sendText(a, b, 'three', directory))).toBe('three');
  });
});
