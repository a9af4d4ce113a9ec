import { beforeAll, describe, expect, it } from 'vitest';
import { utf8Decode, utf8Encode, CryptoError, cryptoReady } from '@envelope/crypto-public';
import { generateIdentityKeyPair, sign } from './identity.js';
import { encodeKemPublicKey, generateSignedPreKey, type PreKeyBundle } from './prekeys.js';
import { acceptInitialMessage, createInitiatorSession, decryptMessage, encryptMessage, parseSessionMessage, sessionHandshakeKind } from './session.js';
import { makeDevice, takeBundle, type BundleShape } from '@envelope/testkit/crypto-fixtures.js';

beforeAll(async () => {
  await cryptoReady();
});

function expectCode(fn: () => unknown, code: CryptoError['code']): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected CryptoError ${code}`).toBeInstanceOf(CryptoError);
  expect((caught as CryptoError).code).toBe(code);
}

const shapes: [string, BundleShape, 'pqxdh' | 'x3dh'][] = [
  ['PQXDH with one-time prekey and one-time KEM prekey', { oneTime: true, kem: 'one-time' }, 'pqxdh'],
  ['PQXDH without one-time prekey, last-resort KEM prekey', { oneTime: false, kem: 'last-resort' }, 'pqxdh'],
  ['PQXDH with one-time prekey and last-resort KEM prekey', { oneTime: true, kem: 'last-resort' }, 'pqxdh'],
  ['X3DH with one-time prekey', { oneTime: true, kem: 'none' }, 'x3dh'],
  ['X3DH without one-time prekey', { oneTime: false, kem: 'none' }, 'x3dh'],
];

describe('X3DH / PQXDH handshake', () => {
  for (const [name, shape, kind] of shapes) {
    it(`${name}: both sides agree and the session records ${kind}`, () => {
      const alice = makeDevice();
      const bob = makeDevice();
      const bundle = takeBundle(bob, shape);
      const session = createInitiatorSession(alice.identity, bundle);
      expect(sessionHandshakeKind(session)).toBe(kind);
      const first = encryptMessage(session, utf8Encode('first'));
      const parsed = parseSessionMessage(first.ciphertext);
      expect(parsed.kind).toBe('prekey');
      if (parsed.kind === 'prekey') {
        expect(parsed.handshake.kind).toBe(kind);
        expect(parsed.handshake.oneTimePreKeyId).toBe(bundle.oneTimePreKey?.id);
        expect(parsed.handshake.kemPreKeyId).toBe(bundle.kemPreKey?.id);
      }
      const accepted = acceptInitialMessage(bob.identity, first.ciphertext, bob.lookup);
      expect(utf8Decode(accepted.plaintext)).toBe('first');
      expect(sessionHandshakeKind(accepted.session)).toBe(kind);
      const reply = encryptMessage(accepted.session, utf8Encode('reply'));
      expect(utf8Decode(decryptMessage(first.session, reply.ciphertext).plaintext)).toBe('reply');
    });
  }

  it('rejects a forged signed-prekey signature before computing anything', () => {
    const alice = makeDevice();
    const bob = makeDevice();
    const bundle = takeBundle(bob);
    const signature = bundle.signedPreKey.signature.slice();
    signature[10]! ^= 0x01;
    expectCode(() => createInitiatorSession(alice.identity, { ...bundle, signedPreKey: { ...bundle.signedPreKey, signature } }), 'INVALID_SIGNATURE');
  });

  it('rejects a signed prekey substituted by someone else (signed by a different identity)', () => {
    const alice = makeDevice();
    const bob = makeDevice();
    const mallory = generateIdentityKeyPair();
    const malloryPreKey = generateSignedPreKey(mallory, 1);
    const bundle: PreKeyBundle = {
      ...takeBundle(bob),
      signedPreKey: { id: 1, publicKey: malloryPreKey.keyPair.publicKey, signature: malloryPreKey.signature },
    };
    expectCode(() => createInitiatorSession(alice.identity, bundle), 'INVALID_SIGNATURE');
  });

  it('rejects a tampered KEM prekey signature and a substituted KEM public key', () => {
    const alice = makeDevice();
    const bob = makeDevice();
    const bundle = takeBundle(bob);
    const kem = bundle.kemPreKey!;
    const badSignature = kem.signature.slice();
    badSignature[0]! ^= 0x80;
    expectCode(() => createInitiatorSession(alice.identity, { ...bundle, kemPreKey: { ...kem, signature: badSignature } }), 'INVALID_SIGNATURE');
    const otherKem = makeDevice().lastResortKemPreKey.publicKey;
    expectCode(() => createInitiatorSession(alice.identity, { ...bundle, kemPreKey: { ...kem, publicKey: otherKem } }), 'INVALID_SIGNATURE');
    // The signature covers the type byte too: a signature over the raw key does not verify.
    const rawSignature = sign(bob.identity, kem.publicKey);
    expect(encodeKemPublicKey(kem.publicKey)[0]).toBe(0x0a);
    expectCode(() => createInitiatorSession(alice.identity, { ...bundle, kemPreKey: { ...kem, signature: rawSignature } }), 'INVALID_SIGNATURE');
  });

  it('fails the first message when the KEM ciphertext is tampered with, and consumes nothing', () => {
    const alice = makeDevice();
    const bob = makeDevice();
    const first = encryptMessage(createInitiatorSession(alice.identity, takeBundle(bob)), utf8Encode('secret'));
    const parsed = parseSessionMessage(first.ciphertext);
    if (parsed.kind !== 'prekey') throw new Error('expected a prekey message');
    // Flip one byte inside the KEM ciphertext (it follows flags, IK, EK and three 4-byte ids).
    const kemOffset = 2 + 32 + 32 + 4 + 4 + 4;
    for (const at of [kemOffset, kemOffset + 500, kemOffset + 1087]) {
      const tampered = first.ciphertext.slice();
      tampered[at]! ^= 0x01;
      expectCode(() => acceptInitialMessage(bob.identity, tampered, bob.lookup), 'DECRYPT_FAILED');
    }
    expect(bob.oneTimePreKeys.size).toBe(2);
    expect(utf8Decode(acceptInitialMessage(bob.identity, first.ciphertext, bob.lookup).plaintext)).toBe('secret');
  });

  it('flipping any single byte of a PQXDH prekey message fails with a typed error and uses up no prekey', () => {
    const alice = makeDevice();
    const bob = makeDevice();
    const first = encryptMessage(createInitiatorSession(alice.identity, takeBundle(bob)), utf8Encode('x'.repeat(100)));
    const codes = new Set<string>();
    for (let at = 0; at < first.ciphertext.length; at++) {
      const tampered = first.ciphertext.slice();
      tampered[at]! ^= 0x10;
      let caught: unknown;
      try {
        acceptInitialMessage(bob.identity, tampered, bob.lookup);
      } catch (error) {
        caught = error;
      }
      expect(caught, `byte ${at}`).toBeInstanceOf(CryptoError);
      codes.add((caught as CryptoError).code);
    }
    // Each kind of damage is caught where it should be, not only by the final AEAD check.
    expect(codes).toEqual(new Set(['INVALID_MESSAGE', 'UNKNOWN_PREKEY', 'DECRYPT_FAILED', 'UNSUPPORTED_VERSION', 'TOO_MANY_SKIPPED']));
    expect(bob.oneTimePreKeys.size).toBe(2);
    expect(bob.kemPreKeys.size).toBe(3);
    expect(utf8Decode(acceptInitialMessage(bob.identity, first.ciphertext, bob.lookup).plaintext)).toBe('x'.repeat(100));
  });

  it('a repeat of the handshake with another identity key is refused, not decrypted by the existing session', () => {
    const alice = makeDevice();
    const bob = makeDevice();
    const session = createInitiatorSession(alice.identity, takeBundle(bob));
    const m1 = encryptMessage(session, utf8Encode('one'));
    const m2 = encryptMessage(m1.session, utf8Encode('two'));
    const accepted = acceptInitialMessage(bob.identity, m1.ciphertext, bob.lookup);
    const relabelled = m2.ciphertext.slice();
    relabelled.set(makeDevice().identity.publicKey, 2); // IK_A sits after the type and flag bytes
    expectCode(() => decryptMessage(accepted.session, relabelled), 'INVALID_MESSAGE');
    expect(utf8Decode(decryptMessage(accepted.session, m2.ciphertext).plaintext)).toBe('two');
  });

  it('names an unknown prekey id as UNKNOWN_PREKEY', () => {
    const alice = makeDevice();
    const bob = makeDevice();
    const first = encryptMessage(createInitiatorSession(alice.identity, takeBundle(bob)), utf8Encode('x'));
    const emptyLookup = { signedPreKey: bob.lookup.signedPreKey, oneTimePreKey: () => undefined, kemPreKey: bob.lookup.kemPreKey };
    expectCode(() => acceptInitialMessage(bob.identity, first.ciphertext, emptyLookup), 'UNKNOWN_PREKEY');
  });

  it('a session made with one identity cannot be opened by another device', () => {
    const alice = makeDevice();
    const bob = makeDevice();
    const eve = makeDevice();
    const first = encryptMessage(createInitiatorSession(alice.identity, takeBundle(bob)), utf8Encode('for Bob only'));
    // Eve holds Bob's prekeys (say, a leaked server database has only public ones: here she even has the private ones)
    // but not Bob's identity key: DH2 differs and the message does not open.
    expectCode(() => acceptInitialMessage(eve.identity, first.ciphertext, bob.lookup), 'DECRYPT_FAILED');
  });

  it('keeps sending the handshake until the first reply, and a repeat opens the same session', () => {
    const alice = makeDevice();
    const bob = makeDevice();
    let session = createInitiatorSession(alice.identity, takeBundle(bob));
    const m1 = encryptMessage(session, utf8Encode('one'));
    const m2 = encryptMessage(m1.session, utf8Encode('two'));
    session = m2.session;
    expect(parseSessionMessage(m2.ciphertext).kind).toBe('prekey');
    // m1 is lost; m2 alone opens the session.
    const accepted = acceptInitialMessage(bob.identity, m2.ciphertext, bob.lookup);
    expect(utf8Decode(accepted.plaintext)).toBe('two');
    // m1 arrives late: it is a repeat of the same handshake, so the existing session opens it.
    expect(utf8Decode(decryptMessage(accepted.session, m1.ciphertext).plaintext)).toBe('one');
    const reply = encryptMessage(accepted.session, utf8Encode('ok'));
    session = decryptMessage(session, reply.ciphertext).session;
    expect(session.pendingHandshake).toBeNull();
    expect(parseSessionMessage(encryptMessage(session, utf8Encode('three')).ciphertext).kind).toBe('ratchet');
  });
});
