import { beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual, utf8Decode, utf8Encode, isCryptoError, cryptoReady } from '@envelope/crypto-public';
import { createInitiatorSession } from '@envelope/crypto';
import { makeDevice, takeBundle, type TestDevice } from '@envelope/testkit/crypto-fixtures.js';
import {
  decryptWithRecord,
  deserializeSessionRecord,
  encryptWithRecord,
  MAX_PREVIOUS_SESSIONS,
  serializeSessionRecord,
  withActiveSession,
  type SessionRecord,
} from './session-record.js';

beforeAll(async () => {
  await cryptoReady();
});

const responder = (device: TestDevice) => ({ identity: device.identity, preKeys: device.lookup });
const snapshot = (record: SessionRecord | null) => JSON.stringify(record && serializeSessionRecord(record));

/** A fresh initiator record from `from` to `to`, as after fetching `to`'s bundle. */
function initiate(from: TestDevice, to: TestDevice): SessionRecord {
  return withActiveSession(null, createInitiatorSession(from.identity, takeBundle(to, { oneTime: false, kem: 'last-resort' })));
}

function send(record: SessionRecord, text: string) {
  return encryptWithRecord(record, utf8Encode(text));
}

function receive(record: SessionRecord | null, ciphertext: Uint8Array, device: TestDevice) {
  const result = decryptWithRecord(record, ciphertext, responder(device));
  return { record: result.record, text: utf8Decode(result.plaintext), opened: result.acceptedHandshake !== null };
}

describe('session record', () => {
  it('simultaneous initiation converges: after one round trip both sides use the same session, for good', () => {
    const aliceDevice = makeDevice();
    const bobDevice = makeDevice();
    // Both fetch the other's bundle and send before either hears from the other.
    const a1 = send(initiate(aliceDevice, bobDevice), 'alice first');
    const b1 = send(initiate(bobDevice, aliceDevice), 'bob first');
    let alice = a1.record;
    let bob = b1.record;

    const atBob = receive(bob, a1.ciphertext, bobDevice);
    const atAlice = receive(alice, b1.ciphertext, aliceDevice);
    expect([atBob.text, atBob.opened, atAlice.text, atAlice.opened]).toEqual(['alice first', true, 'bob first', true]);
    bob = atBob.record;
    alice = atAlice.record;
    // Each made the other's session active and kept its own as previous.
    expect(bob.previous).toHaveLength(1);
    expect(alice.previous).toHaveLength(1);
    expect(bytesEqual(alice.active.ratchet.associatedData, bob.active.ratchet.associatedData)).toBe(false);

    // Alice answers on her active session (Bob's); Bob reads it with his previous one, which becomes active again.
    const a2 = send(alice, 'alice second');
    alice = a2.record;
    const bobReads = receive(bob, a2.ciphertext, bobDevice);
    bob = bobReads.record;
    expect(bobReads.text).toBe('alice second');
    expect(bytesEqual(alice.active.ratchet.associatedData, bob.active.ratchet.associatedData)).toBe(true);

    // From now on both active sessions are one and the same, in either direction.
    for (let i = 0; i < 6; i++) {
      const fromBob = i % 3 !== 0;
      const out = send(fromBob ? bob : alice, `m${i}`);
      if (fromBob) bob = out.record;
      else alice = out.record;
      const read = receive(fromBob ? alice : bob, out.ciphertext, fromBob ? aliceDevice : bobDevice);
      expect(read.text).toBe(`m${i}`);
      expect(read.opened).toBe(false);
      if (fromBob) alice = read.record;
      else bob = read.record;
      expect(bytesEqual(alice.active.ratchet.associatedData, bob.active.ratchet.associatedData)).toBe(true);
    }
  });

  it('a previous session that decrypts becomes active; the others keep their order', () => {
    const bobDevice = makeDevice();
    const senders = [makeDevice(), makeDevice(), makeDevice()].map((device) => ({ device, record: initiate(device, bobDevice) }));
    // All three "Alices" share one identity in real life; here each opens its own session with Bob's record.
    let bob: SessionRecord | null = null;
    const firsts = senders.map((s) => send(s.record, 'hi'));
    for (const first of firsts) bob = receive(bob, first.ciphertext, bobDevice).record;
    const order = () => [bob!.active, ...bob!.previous].map((s) => s.handshakeBaseKey);
    const before = order();
    // The oldest session (now last) sends again: it moves to the front.
    const again = send(firsts[0]!.record, 'again');
    bob = receive(bob, again.ciphertext, bobDevice).record;
    expect(order()).toEqual([before[2], before[0], before[1]]);
  });

  it(`keeps at most ${MAX_PREVIOUS_SESSIONS} previous sessions; the oldest is forgotten`, () => {
    const aliceDevice = makeDevice();
    const bobDevice = makeDevice();
    let bob: SessionRecord | null = null;
    const alices: SessionRecord[] = [];
    for (let i = 0; i < MAX_PREVIOUS_SESSIONS + 2; i++) {
      const first = send(initiate(aliceDevice, bobDevice), `open ${i}`);
      alices.push(first.record);
      bob = receive(bob, first.ciphertext, bobDevice).record;
    }
    expect(bob!.previous).toHaveLength(MAX_PREVIOUS_SESSIONS);
    // The newest session and the ones kept still read; the oldest (dropped) does not.
    expect(receive(bob, send(alices.at(-1)!, 'newest').ciphertext, bobDevice).text).toBe('newest');
    expect(receive(bob, send(alices[1]!, 'kept').ciphertext, bobDevice).text).toBe('kept');
    // The oldest session's handshake is unknown again, so it would open a fresh session, not decrypt in an old one.
    expect(receive(bob, send(alices[0]!, 'oldest').ciphertext, bobDevice).opened).toBe(true);
  });

  it('flipping any byte of a message makes it unreadable and leaves the record byte-identical', () => {
    const aliceDevice = makeDevice();
    const bobDevice = makeDevice();
    const first = send(initiate(aliceDevice, bobDevice), 'hello');
    const atBob = receive(null, first.ciphertext, bobDevice);
    const reply = send(atBob.record, 'reply');
    const alice = receive(first.record, reply.ciphertext, aliceDevice).record;
    const bob = reply.record;
    const next = send(alice, 'second'); // a ratchet message: Alice has heard from Bob
    const before = snapshot(bob);
    for (let index = 0; index < next.ciphertext.length; index++) {
      const corrupt = next.ciphertext.slice();
      corrupt[index]! ^= 0x01;
      expect(() => decryptWithRecord(bob, corrupt, responder(bobDevice))).toThrow();
      expect(snapshot(bob)).toBe(before);
    }
    expect(receive(bob, next.ciphertext, bobDevice).text).toBe('second');
  });

  it('a repeated handshake decrypts in the session it made, and a replay is a duplicate, not a new session', () => {
    const aliceDevice = makeDevice();
    const bobDevice = makeDevice();
    const one = send(initiate(aliceDevice, bobDevice), 'one');
    const two = send(one.record, 'two'); // still a prekey message: Bob has not replied
    let bob = receive(null, one.ciphertext, bobDevice).record;
    const second = receive(bob, two.ciphertext, bobDevice);
    expect([second.text, second.opened]).toEqual(['two', false]);
    bob = second.record;
    expect(bob.previous).toHaveLength(0);
    let error: unknown;
    try {
      decryptWithRecord(bob, one.ciphertext, responder(bobDevice));
    } catch (caught) {
      error = caught;
    }
    expect(isCryptoError(error, 'DUPLICATE_MESSAGE')).toBe(true);
  });

  it('a ratchet message with no record is refused', () => {
    const aliceDevice = makeDevice();
    const bobDevice = makeDevice();
    const first = send(initiate(aliceDevice, bobDevice), 'hello');
    const bob = receive(null, first.ciphertext, bobDevice);
    const reply = send(bob.record, 'reply'); // a ratchet message
    expect(() => decryptWithRecord(null, reply.ciphertext, responder(aliceDevice))).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });

  it('survives storage (key material as bytes), previous sessions included, and refuses unknown versions', () => {
    const aliceDevice = makeDevice();
    const bobDevice = makeDevice();
    const a = send(initiate(aliceDevice, bobDevice), 'a');
    const b = send(initiate(bobDevice, aliceDevice), 'b');
    const bob = receive(b.record, a.ciphertext, bobDevice).record;
    const stored = serializeSessionRecord(bob);
    expect(stored.active.ratchet.rootKey).toBeInstanceOf(Uint8Array); // no base64 at this hop
    const restored = deserializeSessionRecord(structuredClone(stored));
    expect(snapshot(restored)).toBe(snapshot(bob));
    expect(restored.previous).toHaveLength(1);
    expect(receive(restored, send(a.record, 'after restore').ciphertext, bobDevice).text).toBe('after restore');
    expect(() => deserializeSessionRecord({ ...serializeSessionRecord(bob), v: 2 })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_VERSION' }));
    expect(() => deserializeSessionRecord({ ...serializeSessionRecord(bob), previous: 'x' })).toThrow();
  });
});
