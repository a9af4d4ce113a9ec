/**
 * Sealed sender must not leak through sizes (sealed-sender.ts): a first contact
 * (a PQXDH prekey message, ~1.2 KB larger) and an ordinary message, sealed
 * under certificates with names of any allowed length, are the same size for
 * the same plaintext bucket. The padding is inside the encryption and unpadded
 * strictly: an inner layer padded any other way is INVALID_PADDING.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { concatBytes, uint32BE, utf8Encode, PROTOCOL_VERSION, SEALED_SENDER_VERSION, cryptoReady } from '@envelope/crypto-public';
import { sodium } from './sodium.js';
import { generateIdentityKeyPair } from './identity.js';
import { PADDING_BUCKETS, padTo } from '@envelope/crypto-public';
import {
  encodeSenderCertificate,
  issueSenderCertificate,
  MAX_CERTIFICATE_SENDER_BYTES,
  openSealedSender,
  sealedInnerLength,
  sealedLength,
  sealInnerLayer,
  sealSender,
} from './sealed-sender.js';
import { createInitiatorSession, encryptMessage, MAX_SESSION_MESSAGE_OVERHEAD } from './session.js';
import { cryptoErrorCode, establishSessions, makeDevice, takeBundle } from '@envelope/testkit/crypto-fixtures.js';
import { MAX_ENVELOPE_BODY_BYTES, MAX_USERNAME_CHARS } from '@envelope/protocol';

beforeAll(async () => {
  await cryptoReady();
});


const NOW = 1_700_000_000_000;
const server = () => sodium().crypto_sign_keypair();

function certificateFor(serverKey: Uint8Array, sender: string, identityKey: Uint8Array) {
  return issueSenderCertificate(serverKey, { sender, deviceId: 1, identityKey, expiresAt: NOW + 86_400_000 });
}

describe('sealed envelope sizes', () => {
  it('a first contact and an ordinary message, under names of 1 to 32 letters, are all the same size', () => {
    const pair = establishSessions();
    const keys = server();
    const bobDevice = makeDevice();
    for (const text of ['hi', 'x'.repeat(200), 'y'.repeat(3000)]) {
      // A PQXDH first message (with a one-time prekey: the largest header) and a ratchet message of the same text.
      const first = encryptMessage(createInitiatorSession(pair.aliceDevice.identity, takeBundle(bobDevice)), utf8Encode(text));
      const ordinary = encryptMessage(pair.alice, utf8Encode(text));
      expect(first.padded.length).toBe(ordinary.padded.length);
      expect(first.ciphertext.length - ordinary.ciphertext.length).toBeGreaterThan(1_100);
      const sizes = new Set<number>();
      for (let letters = 1; letters <= MAX_CERTIFICATE_SENDER_BYTES; letters++) {
        const certificate = certificateFor(keys.privateKey, 'a'.repeat(letters), pair.aliceDevice.identity.publicKey);
        for (const message of [first, ordinary]) {
          sizes.add(sealSender(pair.aliceDevice.identity, bobDevice.identity.publicKey, certificate, message.ciphertext, message.padded.length).length);
        }
      }
      expect([...sizes]).toEqual([sealedLength(first.padded.length)]);
    }
  });

  it('the size depends only on the plaintext bucket, and the largest fits the largest envelope body', () => {
    expect(PADDING_BUCKETS.map((bucket) => sealedLength(bucket) - bucket)).toEqual(PADDING_BUCKETS.map(() => sealedLength(64) - 64));
    // What a short text costs sealed: 1,595 bytes (1,596 with the body's frame byte), of which the padded plaintext is 128.
    expect(sealedLength(128)).toBe(1_595);
    expect(1 + sealedLength(PADDING_BUCKETS.at(-1)!)).toBeLessThanOrEqual(MAX_ENVELOPE_BODY_BYTES);
  });

  it('the certificate bound is the longest username', () => {
    expect(MAX_CERTIFICATE_SENDER_BYTES).toBe(MAX_USERNAME_CHARS);
    const keys = server();
    const alice = generateIdentityKeyPair();
    expect(cryptoErrorCode(() => certificateFor(keys.privateKey, 'a'.repeat(MAX_CERTIFICATE_SENDER_BYTES + 1), alice.publicKey))).toBe('INVALID_ARGUMENT');
  });

  it('round-trips, and says which bucket and how much padding', () => {
    const keys = server();
    const alice = generateIdentityKeyPair();
    const bob = generateIdentityKeyPair();
    const certificate = certificateFor(keys.privateKey, 'alice', alice.publicKey);
    const content = utf8Encode('a session message');
    const sealed = sealSender(alice, bob.publicKey, certificate, content, 128);
    const opened = openSealedSender(bob, sealed, keys.publicKey, NOW);
    expect(opened.content).toEqual(content);
    expect(opened.certificate).toEqual(certificate);
    expect(opened.plaintextBucket).toBe(128);
    expect(opened.paddingBytes).toBe(sealedInnerLength(128) - 4 - encodeSenderCertificate(certificate).length - content.length);
  });

  it('refuses to seal content larger than any session message of its bucket', () => {
    const keys = server();
    const alice = generateIdentityKeyPair();
    const certificate = certificateFor(keys.privateKey, 'alice', alice.publicKey);
    const tooLarge = new Uint8Array(64 + MAX_SESSION_MESSAGE_OVERHEAD + 1);
    expect(cryptoErrorCode(() => sealSender(alice, generateIdentityKeyPair().publicKey, certificate, tooLarge, 64))).toBe('INVALID_ARGUMENT');
    expect(cryptoErrorCode(() => sealSender(alice, generateIdentityKeyPair().publicKey, certificate, new Uint8Array(10), 100))).toBe('INVALID_ARGUMENT');
  });
});

describe('sealed envelope padding is strict', () => {
  function sealedWithInner(build: (certAndContent: Uint8Array, innerLength: number) => Uint8Array) {
    const keys = server();
    const alice = generateIdentityKeyPair();
    const bob = generateIdentityKeyPair();
    const cert = encodeSenderCertificate(certificateFor(keys.privateKey, 'alice', alice.publicKey));
    const certAndContent = concatBytes(uint32BE(cert.length), cert, utf8Encode('content'));
    const open = () => openSealedSender(bob, sealInnerLayer(alice, bob.publicKey, build(certAndContent, sealedInnerLength(64))), keys.publicKey, NOW);
    return { open };
  }

  it('as sealSender pads it, it opens (the control for the cases below)', () => {
    expect(cryptoErrorCode(sealedWithInner((body, length) => padTo(body, length)).open)).toBeUndefined();
  });

  it('no marker: INVALID_PADDING', () => {
    expect(cryptoErrorCode(sealedWithInner((body, length) => concatBytes(body, new Uint8Array(length - body.length))).open)).toBe('INVALID_PADDING');
  });

  it('a non-zero byte after the marker: INVALID_PADDING', () => {
    const { open } = sealedWithInner((body, length) => {
      const padded = padTo(body, length);
      padded[length - 1] = 0x01;
      return padded;
    });
    expect(cryptoErrorCode(open)).toBe('INVALID_PADDING');
  });

  it('a length that is no size class (unpadded, as version 1 was, or one byte over): INVALID_PADDING', () => {
    expect(cryptoErrorCode(sealedWithInner((body) => padTo(body, body.length + 1)).open)).toBe('INVALID_PADDING');
    expect(cryptoErrorCode(sealedWithInner((body, length) => padTo(body, length + 1)).open)).toBe('INVALID_PADDING');
  });

  it('content larger than its size class allows (a short certificate left it room): INVALID_PADDING', () => {
    const { open } = sealedWithInner((body, length) => {
      const content = new Uint8Array(64 + MAX_SESSION_MESSAGE_OVERHEAD + 1);
      const cert = body.subarray(0, body.length - 'content'.length);
      return padTo(concatBytes(cert, content), length);
    });
    expect(cryptoErrorCode(open)).toBe('INVALID_PADDING');
  });

  it('a version-1 (unpadded) envelope is refused by its version', () => {
    const keys = server();
    const alice = generateIdentityKeyPair();
    const bob = generateIdentityKeyPair();
    const sealed = sealSender(alice, bob.publicKey, certificateFor(keys.privateKey, 'alice', alice.publicKey), utf8Encode('x'), 64);
    expect(sealed[0]).toBe(SEALED_SENDER_VERSION);
    sealed[0] = PROTOCOL_VERSION;
    expect(cryptoErrorCode(() => openSealedSender(bob, sealed, keys.publicKey, NOW))).toBe('UNSUPPORTED_VERSION');
  });
});
