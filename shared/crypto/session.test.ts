import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8Decode, utf8Encode, MAX_FORWARD_JUMP, MAX_OLD_RECEIVING_CHAINS, MAX_STORED_SKIPPED_KEYS, CryptoError, cryptoReady } from '@envelope/crypto-public';
import { ratchetDecrypt } from './ratchet.js';
import {
  decryptMessage,
  deserializeSession,
  encryptMessage,
  parseSessionMessage,
  serializeSession,
  type SessionState,
} from './session.js';
import { establishSessions } from '@envelope/testkit/crypto-fixtures.js';

beforeAll(async () => {
  await cryptoReady();
});

const snapshot = (session: SessionState) => JSON.stringify(serializeSession(session));
const restore = (json: string) => deserializeSession(JSON.parse(json));

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error; // anything but a CryptoError is a bug: fail loudly
  }
  return 'NO_ERROR';
}

/** Sends `text` from `from` and returns the ciphertext, updating the sender. */
function send(side: { s: SessionState }, text: string): Uint8Array {
  const out = encryptMessage(side.s, utf8Encode(text));
  side.s = out.session;
  return out.ciphertext;
}

function receive(side: { s: SessionState }, ciphertext: Uint8Array): string {
  const out = decryptMessage(side.s, ciphertext);
  side.s = out.session;
  return utf8Decode(out.plaintext);
}

describe('Double Ratchet sessions', () => {
  it('round-trips both ways', () => {
    const pair = establishSessions();
    const alice = { s: pair.alice };
    const bob = { s: pair.bob };
    expect(receive(bob, send(alice, 'a→b'))).toBe('a→b');
    expect(receive(alice, send(bob, 'b→a'))).toBe('b→a');
    expect(receive(bob, send(alice, ''))).toBe('');
    const long = 'x'.repeat(5000) + 'é✓';
    expect(receive(alice, send(bob, long))).toBe(long);
  });

  it('survives a long alternating run (a DH step every message), persisting state after each message', () => {
    const pair = establishSessions();
    let alice = snapshot(pair.alice);
    let bob = snapshot(pair.bob);
    for (let i = 0; i < 200; i++) {
      const [fromJson, toJson] = i % 2 === 0 ? [alice, bob] : [bob, alice];
      const from = { s: restore(fromJson) };
      const to = { s: restore(toJson) };
      expect(receive(to, send(from, `message ${i}`))).toBe(`message ${i}`);
      if (i % 2 === 0) [alice, bob] = [snapshot(from.s), snapshot(to.s)];
      else [bob, alice] = [snapshot(from.s), snapshot(to.s)];
    }
  });

  it('survives a long one-sided run (symmetric steps only)', () => {
    const pair = establishSessions();
    const alice = { s: pair.alice };
    const bob = { s: pair.bob };
    for (let i = 0; i < 1000; i++) expect(receive(bob, send(alice, `m${i}`))).toBe(`m${i}`);
    expect(bob.s.ratchet.receivingChain?.index).toBe(1000);
    expect(bob.s.ratchet.skippedKeys).toHaveLength(0);
  });

  it('restores mid-conversation from JSON and carries on both ways', () => {
    const pair = establishSessions();
    const alice = { s: pair.alice };
    const bob = { s: pair.bob };
    const early = send(alice, 'sent before the restore, delivered after');
    receive(bob, send(alice, 'in order'));
    const aliceRestored = { s: restore(snapshot(alice.s)) };
    const bobRestored = { s: restore(snapshot(bob.s)) };
    expect(receive(bobRestored, early)).toBe('sent before the restore, delivered after');
    expect(receive(aliceRestored, send(bobRestored, 'after restore'))).toBe('after restore');
    expect(receive(bobRestored, send(aliceRestored, 'and back'))).toBe('and back');
  });

  it('stores byte fields as bytes when asked (for a store that holds bytes), and loads either form', () => {
    const pair = establishSessions();
    const alice = { s: pair.alice };
    const bob = { s: pair.bob };
    const asBytes = serializeSession(alice.s, 'bytes');
    expect(asBytes.ratchet.rootKey).toBeInstanceOf(Uint8Array);
    expect(asBytes.ratchet.sendingRatchet?.priv).toBeInstanceOf(Uint8Array);
    // The two forms hold the same state.
    expect(snapshot(deserializeSession(structuredClone(asBytes)))).toBe(snapshot(alice.s));
    const restored = { s: deserializeSession(structuredClone(asBytes)) };
    expect(receive(bob, send(restored, 'from the bytes form'))).toBe('from the bytes form');
    const short = { ...asBytes, ratchet: { ...asBytes.ratchet, rootKey: new Uint8Array(31) } };
    expect(codeOf(() => deserializeSession(short))).toBe('INVALID_ARGUMENT');
  });

  it('refuses malformed or unknown-version stored state', () => {
    const json = JSON.parse(snapshot(establishSessions().alice));
    expect(codeOf(() => deserializeSession({ ...json, v: 99 }))).toBe('UNSUPPORTED_VERSION');
    expect(codeOf(() => deserializeSession({ ...json, ratchet: { ...json.ratchet, v: 2 } }))).toBe('UNSUPPORTED_VERSION');
    expect(codeOf(() => deserializeSession({ ...json, ratchet: { ...json.ratchet, rootKey: 'AAAA' } }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => deserializeSession({ ...json, ratchet: { ...json.ratchet, pn: -1 } }))).toBe('INVALID_STATE');
    expect(codeOf(() => deserializeSession({ ...json, ratchet: { ...json.ratchet, skipped: 'nope' } }))).toBe('INVALID_STATE');
    expect(codeOf(() => deserializeSession(null))).toBe('INVALID_STATE');
  });
});

describe('delivery order (property tests)', () => {
  it('every delivered message of one chain decrypts, in any order, with any dropped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }).chain((n) =>
          fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys()], { minLength: 0, maxLength: n })),
        ),
        ([n, delivered]) => {
          const pair = establishSessions();
          const alice = { s: pair.alice };
          const bob = { s: pair.bob };
          const sent = Array.from({ length: n }, (_, i) => send(alice, `message ${i}`));
          for (const i of delivered) expect(receive(bob, sent[i]!)).toBe(`message ${i}`);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a two-way conversation with several DH steps decrypts every delivered message in any order', () => {
    // A burst is one side sending 1..60 messages; before a burst the sender reads a
    // random part of its inbox (in random order), which is what makes the ratchet turn.
    const burst = fc.record({
      count: fc.integer({ min: 1, max: 60 }),
      readFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      dropFraction: fc.double({ min: 0, max: 0.3, noNaN: true }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(fc.array(burst, { minLength: 1, maxLength: 5 }), fc.boolean(), (bursts, aliceFirst) => {
        const pair = establishSessions();
        const sides = { alice: { s: pair.alice }, bob: { s: pair.bob } };
        const inbox: Record<'alice' | 'bob', { text: string; bytes: Uint8Array }[]> = { alice: [], bob: [] };
        let serial = 0;
        const rng = (seed: number) => () => ((seed = (Math.imul(seed, 1103515245) + 12345) | 0) >>> 0) / 2 ** 32;
        const readSome = (who: 'alice' | 'bob', fraction: number, random: () => number) => {
          const box = inbox[who];
          const count = Math.round(box.length * fraction);
          for (let k = 0; k < count; k++) {
            const [msg] = box.splice(Math.floor(random() * box.length), 1);
            expect(receive(sides[who], msg!.bytes)).toBe(msg!.text);
          }
        };
        bursts.forEach((b, i) => {
          const sender = (i % 2 === 0) === aliceFirst ? 'alice' : 'bob';
          const receiver = sender === 'alice' ? 'bob' : 'alice';
          const random = rng(b.seed);
          readSome(sender, b.readFraction, random);
          for (let k = 0; k < b.count; k++) {
            const text = `${sender} ${serial++}`;
            const bytes = send(sides[sender], text);
            if (random() >= b.dropFraction) inbox[receiver].push({ text, bytes });
          }
        });
        readSome('alice', 1, rng(1));
        readSome('bob', 1, rng(2));
      }),
      { numRuns: 30 },
    );
  });
});

describe('security properties', () => {
  it('flipping any single byte of a message makes decrypt fail and leaves the state byte-identical', () => {
    const pair = establishSessions();
    const alice = { s: pair.alice };
    const message = send(alice, 'x'.repeat(100));
    const before = snapshot(pair.bob);
    for (let at = 0; at < message.length; at++) {
      for (const mask of [0x01, 0x80]) {
        const tampered = message.slice();
        tampered[at]! ^= mask;
        expect(codeOf(() => decryptMessage(pair.bob, tampered))).not.toBe('NO_ERROR');
      }
    }
    expect(snapshot(pair.bob)).toBe(before);
    expect(utf8Decode(decryptMessage(pair.bob, message).plaintext)).toBe('x'.repeat(100));
  });

  it('flipping any single byte of a message that starts a DH step fails without changing state', () => {
    const pair = establishSessions();
    const bob = { s: pair.bob };
    const message = send(bob, 'new ratchet key inside');
    const before = snapshot(pair.alice);
    for (let at = 0; at < message.length; at++) {
      const tampered = message.slice();
      tampered[at]! ^= 0x04;
      expect(codeOf(() => decryptMessage(pair.alice, tampered))).not.toBe('NO_ERROR');
    }
    expect(snapshot(pair.alice)).toBe(before);
  });

  it('a replayed message fails as a duplicate, in the current chain, from skipped keys and from old chains', () => {
    const pair = establishSessions();
    const alice = { s: pair.alice };
    const bob = { s: pair.bob };
    const m0 = send(alice, 'zero');
    const m1 = send(alice, 'one');
    receive(bob, m1); // m0 skipped
    expect(codeOf(() => receive(bob, m1))).toBe('DUPLICATE_MESSAGE');
    receive(bob, m0); // from the skipped-key store
    expect(codeOf(() => receive(bob, m0))).toBe('DUPLICATE_MESSAGE');
    receive(alice, send(bob, 'turn')); // Alice's next message starts a new chain
    receive(bob, send(alice, 'new chain'));
    expect(codeOf(() => receive(bob, m1))).toBe('DUPLICATE_MESSAGE');
  });

  it('refuses to jump more than MAX_FORWARD_JUMP keys ahead, cleanly, and accepts exactly that many', () => {
    const pair = establishSessions();
    const alice = { s: pair.alice };
    const messages: Uint8Array[] = [];
    for (let i = 0; i <= MAX_FORWARD_JUMP + 1; i++) messages.push(send(alice, `m${i}`));
    const before = snapshot(pair.bob);
    expect(codeOf(() => decryptMessage(pair.bob, messages[MAX_FORWARD_JUMP + 1]!))).toBe('TOO_MANY_SKIPPED');
    expect(snapshot(pair.bob)).toBe(before);
    const bob = { s: pair.bob };
    expect(receive(bob, messages[MAX_FORWARD_JUMP]!)).toBe(`m${MAX_FORWARD_JUMP}`);
    // Only the newest MAX_STORED_SKIPPED_KEYS skipped keys are kept.
    expect(bob.s.ratchet.skippedKeys).toHaveLength(MAX_STORED_SKIPPED_KEYS);
    expect(receive(bob, messages[MAX_FORWARD_JUMP - 1]!)).toBe(`m${MAX_FORWARD_JUMP - 1}`);
    expect(receive(bob, messages[MAX_FORWARD_JUMP - MAX_STORED_SKIPPED_KEYS]!)).toBe(`m${MAX_FORWARD_JUMP - MAX_STORED_SKIPPED_KEYS}`);
    expect(codeOf(() => receive(bob, messages[MAX_FORWARD_JUMP - MAX_STORED_SKIPPED_KEYS - 1]!))).toBe('DUPLICATE_MESSAGE');
    expect(codeOf(() => receive(bob, messages[0]!))).toBe('DUPLICATE_MESSAGE');
    expect(receive(bob, messages[MAX_FORWARD_JUMP + 1]!)).toBe(`m${MAX_FORWARD_JUMP + 1}`);
  });

  it('refuses a header whose previous-chain length would skip too far', () => {
    const pair = establishSessions();
    const alice = { s: pair.alice };
    const bob = { s: pair.bob };
    for (let i = 0; i < MAX_FORWARD_JUMP + 2; i++) send(alice, 'never delivered');
    receive(alice, send(bob, 'turn'));
    const nextChain = send(alice, 'new chain, PN beyond the jump limit');
    const before = snapshot(bob.s);
    expect(codeOf(() => receive(bob, nextChain))).toBe('TOO_MANY_SKIPPED');
    expect(snapshot(bob.s)).toBe(before);
  });

  it(`keeps skipped keys for at most ${MAX_OLD_RECEIVING_CHAINS} old receiving chains`, () => {
    const pair = establishSessions();
    const alice = { s: pair.alice };
    const bob = { s: pair.bob };
    const lateByChain: Uint8Array[] = [];
    for (let chain = 0; chain < MAX_OLD_RECEIVING_CHAINS + 2; chain++) {
      lateByChain.push(send(alice, `late from chain ${chain}`));
      receive(bob, send(alice, `on time ${chain}`));
      receive(alice, send(bob, `turn ${chain}`));
    }
    receive(bob, send(alice, 'newest chain'));
    // Stored keys belong to at most MAX_OLD_RECEIVING_CHAINS old chains plus the current one.
    const chains = new Set(bob.s.ratchet.skippedKeys.map((k) => k.ratchetKey));
    expect(chains.size).toBeLessThanOrEqual(MAX_OLD_RECEIVING_CHAINS + 1);
    // The late messages of the oldest chains have been discarded: they fail (a chain that old
    // is no longer recognised, so it cannot be told from a forgery) and change nothing.
    const before = snapshot(bob.s);
    expect(codeOf(() => receive(bob, lateByChain[0]!))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => receive(bob, lateByChain[1]!))).toBe('DECRYPT_FAILED');
    expect(snapshot(bob.s)).toBe(before);
    // The recent ones still open.
    for (let chain = 2; chain < lateByChain.length; chain++) {
      expect(receive(bob, lateByChain[chain]!)).toBe(`late from chain ${chain}`);
    }
  });

  it('forward secrecy: a state saved after a message was read cannot read it again', () => {
    const pair = establishSessions();
    const alice = { s: pair.alice };
    const bob = { s: pair.bob };
    const late = send(alice, 'read out of order');
    const current = send(alice, 'read in order');
    receive(bob, current);
    receive(bob, late);
    const stolen = restore(snapshot(bob.s));
    const stolenJson = snapshot(bob.s);
    for (const message of [current, late]) {
      const parsed = parseSessionMessage(message);
      expect(codeOf(() => ratchetDecrypt(stolen.ratchet, parsed.ratchetMessage))).toBe('DUPLICATE_MESSAGE');
    }
    // Nor does the stored form hold the message keys: rewinding the counters does not help.
    const rewound = JSON.parse(stolenJson);
    rewound.ratchet.receivingChain.index = 0;
    for (const message of [current, late]) {
      expect(codeOf(() => decryptMessage(deserializeSession(rewound), message))).toBe('DECRYPT_FAILED');
    }
  });

  it('post-compromise security: a stolen state stops working after the next round trip', () => {
    const pair = establishSessions();
    const alice = { s: pair.alice };
    const bob = { s: pair.bob };
    const attacker = { s: restore(snapshot(bob.s)) }; // a full copy of Bob's state
    // Before healing the thief reads along, which shows the stolen state was really useful.
    const m1 = send(alice, 'before healing');
    expect(receive(bob, m1)).toBe('before healing');
    expect(receive(attacker, m1)).toBe('before healing');
    // One round trip: Bob answers from a fresh ratchet key the thief does not have, Alice answers that.
    receive(alice, send(bob, 'reply with a new ratchet key'));
    receive(bob, send(alice, 'Alice moves to a new chain'));
    receive(alice, send(bob, 'Bob moves again'));
    for (let i = 0; i < 5; i++) {
      const m = send(alice, `after healing ${i}`);
      expect(receive(bob, m)).toBe(`after healing ${i}`);
      expect(codeOf(() => receive(attacker, m))).not.toBe('NO_ERROR');
    }
  });

  it('refuses to send from a state that has no peer ratchet key', () => {
    const pair = establishSessions();
    const broken = { ...pair.bob, ratchet: { ...pair.bob.ratchet, sendingChain: null, remoteRatchetKey: null } };
    expect(codeOf(() => encryptMessage(broken, utf8Encode('x')))).toBe('INVALID_STATE');
  });

  it('makes a fresh ratchet key for each turn of the conversation, and none while only receiving', () => {
    const pair = establishSessions();
    const alice = { s: pair.alice };
    const bob = { s: pair.bob };
    const keys = new Set<string>();
    for (let turn = 0; turn < 6; turn++) {
      const [from, to] = turn % 2 === 0 ? [alice, bob] : [bob, alice];
      const first = encryptMessage(from.s, utf8Encode('first of turn'));
      const second = encryptMessage(first.session, utf8Encode('second of turn'));
      from.s = second.session;
      expect(first.step.newRatchetKey).toBe(true);
      expect(second.step.newRatchetKey).toBe(false);
      expect(second.step.ratchetKey).toBe(first.step.ratchetKey);
      keys.add(first.step.ratchetKey);
      const received = decryptMessage(to.s, first.ciphertext);
      expect(received.step.newRatchetKey).toBe(true);
      to.s = decryptMessage(received.session, second.ciphertext).session;
      expect(to.s.ratchet.sendingChain).toBeNull(); // the next send will step the ratchet
    }
    expect(keys.size).toBe(6);
  });

  it('refuses truncated and garbage input with typed errors', () => {
    const pair = establishSessions();
    for (const bytes of [new Uint8Array(0), Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(9, 9, 9), new Uint8Array(200).fill(1)]) {
      expect(codeOf(() => decryptMessage(pair.bob, bytes))).not.toBe('NO_ERROR');
    }
  });
});
