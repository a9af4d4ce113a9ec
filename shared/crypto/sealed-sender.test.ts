import { beforeAll, describe, expect, it } from 'vitest';
import { cryptoErrorCode } from '@envelope/testkit/crypto-fixtures.js';
import { utf8Decode, utf8Encode, cryptoReady } from '@envelope/crypto-public';
import { sodium } from './sodium.js';
import { generateIdentityKeyPair } from './identity.js';
import { decodeSenderCertificate, encodeSenderCertificate, issueSenderCertificate, openSealedSender, sealSender } from './sealed-sender.js';

/** The plaintext bucket these tests' contents stand for (padding.ts); sizes are the subject of sealed-padding.test.ts. */
const BUCKET = 64;

beforeAll(async () => {
  await cryptoReady();
});


function setup() {
  const server = sodium().crypto_sign_keypair();
  const alice = generateIdentityKeyPair();
  const bob = generateIdentityKeyPair();
  const now = 1_700_000_000_000;
  const certificate = issueSenderCertificate(server.privateKey, { sender: 'alice', deviceId: 1, identityKey: alice.publicKey, expiresAt: now + 86_400_000 });
  return { server, alice, bob, now, certificate };
}

describe('sealed sender', () => {
  it('the recipient learns the sender and content; the certificate round-trips', () => {
    const { server, alice, bob, now, certificate } = setup();
    const sealed = sealSender(alice, bob.publicKey, certificate, utf8Encode('inner session message'), BUCKET);
    const opened = openSealedSender(bob, sealed, server.publicKey, now);
    expect(opened.certificate.sender).toBe('alice');
    expect(opened.certificate.identityKey).toEqual(alice.publicKey);
    expect(utf8Decode(opened.content)).toBe('inner session message');
    expect(decodeSenderCertificate(encodeSenderCertificate(certificate))).toEqual(certificate);
  });

  it('the sealed bytes do not contain the sender name or identity key', () => {
    const { alice, bob, certificate } = setup();
    const sealed = sodium().to_hex(sealSender(alice, bob.publicKey, certificate, utf8Encode('x'), BUCKET));
    expect(sealed).not.toContain(sodium().to_hex(alice.publicKey));
    expect(sealed).not.toContain(sodium().to_hex(utf8Encode('alice')));
  });

  it('nobody but the recipient can open it', () => {
    const { server, alice, bob, now, certificate } = setup();
    const sealed = sealSender(alice, bob.publicKey, certificate, utf8Encode('x'), BUCKET);
    expect(cryptoErrorCode(() => openSealedSender(generateIdentityKeyPair(), sealed, server.publicKey, now))).toBe('DECRYPT_FAILED');
  });

  it('any flipped byte is rejected', () => {
    const { server, alice, bob, now, certificate } = setup();
    const sealed = sealSender(alice, bob.publicKey, certificate, utf8Encode('x'), BUCKET);
    for (let at = 0; at < sealed.length; at++) {
      const tampered = sealed.slice();
      tampered[at]! ^= 0x02;
      expect(cryptoErrorCode(() => openSealedSender(bob, tampered, server.publicKey, now))).toBeDefined();
    }
  });

  it('rejects an expired certificate and one not signed by this server', () => {
    const { server, alice, bob, now, certificate } = setup();
    const sealed = sealSender(alice, bob.publicKey, certificate, utf8Encode('x'), BUCKET);
    expect(cryptoErrorCode(() => openSealedSender(bob, sealed, server.publicKey, certificate.expiresAt + 1))).toBe('CERTIFICATE_EXPIRED');
    const otherServer = sodium().crypto_sign_keypair();
    expect(cryptoErrorCode(() => openSealedSender(bob, sealed, otherServer.publicKey, now))).toBe('CERTIFICATE_INVALID');
  });

  it("Mallory cannot send under Alice's certificate", () => {
    const { server, alice, bob, now, certificate } = setup();
    const mallory = generateIdentityKeyPair();
    // The API refuses outright...
    expect(cryptoErrorCode(() => sealSender(mallory, bob.publicKey, certificate, utf8Encode('x'), BUCKET))).toBe('INVALID_ARGUMENT');
    // ...and a hand-made forgery (Alice's certificate, Mallory's key in the layers) fails at the recipient.
    const forged = sealSender(mallory, bob.publicKey, { ...certificate, identityKey: mallory.publicKey }, utf8Encode('x'), BUCKET);
    expect(cryptoErrorCode(() => openSealedSender(bob, forged, server.publicKey, now))).toBe('CERTIFICATE_INVALID');
    void alice;
  });
});
