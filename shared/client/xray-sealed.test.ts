/**
 * The X-ray of a sealed-sender message, on both sides: the body the server
 * stored is the sealed envelope (padded to its bucket's size); inside are the
 * sender certificate and the session message, whose ratchet step is shown as
 * for any message. Before, loading it failed ("unknown session message type 3").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fromBase64Url, cryptoReady, sodium, encodeSenderCertificate, issueSenderCertificate } from '@envelope/crypto-public';
import { receiveEnvelope, type MessageFrame } from './incoming.js';
import { prepareTextMessage, type OutboxEntry } from './outgoing.js';
import { sealedBodyLength, unsealEnvelope } from './sealed.js';
import { deliver, makeTestDevice, TestDirectory, type TestDevice } from './testing.js';
import { loadXRay, type XRay } from './xray.js';

/** No server checks it here: these tests hand envelopes from one device to the other directly. */
const UNCHECKED_ACCESS_KEY = 'A'.repeat(22);

beforeAll(async () => {
  await cryptoReady();
});

function sealedFrame(envelope: OutboxEntry, sender: TestDevice): MessageFrame {
  return { ...deliver(envelope, sender), from: null, fromDevice: null };
}

async function xrayOf(device: TestDevice, id: OutboxEntry['id']): Promise<XRay> {
  const xray = await loadXRay(device.store, id);
  if (xray === null) throw new Error('no X-ray');
  return xray;
}

describe('X-ray of a sealed message', () => {
  it('shows the sealed layer, the certificate and the session message inside, on the sender’s and the recipient’s side', async () => {
    const server = sodium().crypto_sign_keypair();
    const directory = new TestDirectory();
    const alice = await makeTestDevice('alice', directory);
    const bob = { ...(await makeTestDevice('bob', directory)), serverCertificateKey: () => server.publicKey };
    const expiresAt = Date.now() + 86_400_000;
    const certificate = encodeSenderCertificate(issueSenderCertificate(server.privateKey, { sender: 'alice', deviceId: 1, identityKey: alice.identity.publicKey, expiresAt }));

    const first = (await prepareTextMessage(alice, 'bob', 'meet at noon', directory.fetchBundle, { sealWith: { certificate, accessKey: UNCHECKED_ACCESS_KEY } })).envelopes[0]!;
    expect((await receiveEnvelope(bob, sealedFrame(first, alice))).kind).toBe('message');

    const sent = await xrayOf(alice, first.id);
    const received = await xrayOf(bob, first.id);
    for (const xray of [sent, received]) {
      expect(xray.text).toBe('meet at noon');
      const [envelope] = xray.envelopes;
      // What the server stored: the sealed body, every byte of it accounted for.
      expect(envelope!.body).toBe(first.body);
      const { layout, certificate: inside, plaintextBucket } = envelope!.sealed!;
      expect(plaintextBucket).toBe(xray.padded.length);
      expect(layout.total).toBe(fromBase64Url(first.body, 'body').length);
      expect(layout.total).toBe(sealedBodyLength(plaintextBucket));
      expect(layout.keys + layout.certificate + layout.content + layout.padding).toBe(layout.total);
      expect(layout.padding).toBeGreaterThan(0);
      // The certificate: who, which device, until when, signed by the server.
      expect(inside).toMatchObject({ sender: 'alice', deviceId: 1, expiresAt });
      expect(inside.identityKey).toEqual(alice.identity.publicKey);
      // The session message inside: a PQXDH first message, first of its chain.
      expect(envelope!.step).toMatchObject({ handshake: 'pqxdh', messageIndex: 0, newRatchetKey: true });
    }
    expect(sent.direction).toBe('sent');
    expect(received).toMatchObject({ direction: 'received', peer: 'alice' });
    // Both sides saw the same inside: the session message the sender sealed is the one the recipient opened.
    expect(sent.envelopes[0]!.sealed!.sessionMessage).toBe(received.envelopes[0]!.sealed!.sessionMessage);
    const opened = unsealEnvelope(bob.identity, fromBase64Url(first.body, 'body'), server.publicKey, Date.now());
    expect(received.envelopes[0]!.sealed!.layout.padding).toBe(opened.paddingBytes);

    // After a reply, an ordinary sealed message: no handshake inside, and the same size outside.
    const reply = (await prepareTextMessage(bob, 'alice', 'ok', directory.fetchBundle)).envelopes[0]!;
    await receiveEnvelope(alice, deliver(reply, bob));
    const next = (await prepareTextMessage(alice, 'bob', 'see you', directory.fetchBundle, { sealWith: { certificate, accessKey: UNCHECKED_ACCESS_KEY } })).envelopes[0]!;
    await receiveEnvelope(bob, sealedFrame(next, alice));
    const ordinary = await xrayOf(bob, next.id);
    expect(ordinary.envelopes[0]!.step.handshake).toBeNull();
    expect(ordinary.envelopes[0]!.sealed!.layout.total).toBe(sent.envelopes[0]!.sealed!.layout.total);
    expect(ordinary.envelopes[0]!.sealed!.layout.padding).toBeGreaterThan(sent.envelopes[0]!.sealed!.layout.padding);
  });

  it('an unsealed message has no sealed layer', async () => {
    const directory = new TestDirectory();
    const alice = await makeTestDevice('alice', directory);
    await makeTestDevice('bob', directory);
    const envelope = (await prepareTextMessage(alice, 'bob', 'plain', directory.fetchBundle)).envelopes[0]!;
    const xray = await xrayOf(alice, envelope.id);
    expect(xray.envelopes[0]).toMatchObject({ sealed: null, step: { handshake: 'pqxdh' } });
  });
});
