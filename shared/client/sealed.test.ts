/**
 * Sealed sender on the client, with real sessions: the server must not learn
 * from a sealed envelope's size whether it opens a conversation or how long
 * the sender's name is (sealed-sender.ts pads the whole envelope). And an
 * envelope whose padding is malformed is refused with a typed reason, leaving
 * every session and contact exactly as it was.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { concatBytes, fromBase64Url, toBase64Url, uint32BE, FRAME_SEALED, cryptoReady, sodium, encodeSenderCertificate, issueSenderCertificate } from '@envelope/crypto-public';
import { sealInnerLayer, sealedInnerLength, parseSessionMessage } from '@envelope/crypto';
import { receiveEnvelope, type MessageFrame } from './incoming.js';
import { prepareTextMessage, type OutboxEntry } from './outgoing.js';
import { sealedBodyLength, unsealEnvelope } from './sealed.js';
import { deliver, makeTestDevice, TestDirectory, type TestDevice } from './testing.js';

/** No server checks it here: these tests hand envelopes from one device to the other directly. */
const UNCHECKED_ACCESS_KEY = 'A'.repeat(22);

beforeAll(async () => {
  await cryptoReady();
});

const serverKeys = () => sodium().crypto_sign_keypair();

/** What the relay pushes for a sealed envelope: no sender. */
function sealedFrame(envelope: OutboxEntry, sender: TestDevice): MessageFrame {
  return { ...deliver(envelope, sender), from: null, fromDevice: null };
}

async function pair(senderName: string, server: { publicKey: Uint8Array; privateKey: Uint8Array }) {
  const directory = new TestDirectory();
  const sender = await makeTestDevice(senderName, directory);
  const bob = { ...(await makeTestDevice('bob', directory)), serverCertificateKey: () => server.publicKey };
  const certificate = encodeSenderCertificate(
    issueSenderCertificate(server.privateKey, { sender: senderName, deviceId: 1, identityKey: sender.identity.publicKey, expiresAt: Date.now() + 86_400_000 }),
  );
  return { directory, sender, bob, certificate };
}

describe('sealed envelopes on the wire', () => {
  it('a first contact and an ordinary message are the same size, whatever the length of the sender name', async () => {
    const server = serverKeys();
    const wireSizes = new Set<number>();
    for (const name of ['al', 'mallory', 'seventeen-letters', 'x'.repeat(32)]) {
      const { directory, sender, bob, certificate } = await pair(name, server);
      const first = (await prepareTextMessage(sender, 'bob', 'hi Bob', directory.fetchBundle, { sealWith: { certificate, accessKey: UNCHECKED_ACCESS_KEY } })).envelopes[0]!;
      const opened = await receiveEnvelope(bob, sealedFrame(first, sender));
      expect(opened).toMatchObject({ kind: 'message', entry: { from: name, text: 'hi Bob', sealedSender: true } });
      const reply = (await prepareTextMessage(bob, name, 'hello', directory.fetchBundle)).envelopes[0]!;
      expect((await receiveEnvelope(sender, deliver(reply, bob))).kind).toBe('message');
      const ordinary = (await prepareTextMessage(sender, 'bob', 'hi Bob', directory.fetchBundle, { sealWith: { certificate, accessKey: UNCHECKED_ACCESS_KEY } })).envelopes[0]!;
      expect(await receiveEnvelope(bob, sealedFrame(ordinary, sender))).toMatchObject({ kind: 'message', entry: { from: name, text: 'hi Bob' } });
      // Inside, one is a PQXDH first message (1.2 KB larger), the other a ratchet message...
      const inside = (envelope: OutboxEntry) => unsealEnvelope(bob.identity, fromBase64Url(envelope.body, 'body'), server.publicKey, Date.now()).sessionMessage;
      expect([parseSessionMessage(inside(first)).kind, parseSessionMessage(inside(ordinary)).kind]).toEqual(['prekey', 'ratchet']);
      // ...outside, the server sees the same number of characters.
      wireSizes.add(first.body.length).add(ordinary.body.length);
    }
    expect([...wireSizes]).toHaveLength(1);
    // "hi Bob" with its franking key and the sender's profile key pads to the 256-byte bucket.
    expect([...wireSizes]).toEqual([toBase64Url(new Uint8Array(sealedBodyLength(256))).length]);
  });

  it('malformed padding is refused (INVALID_PADDING) and changes no session or contact', async () => {
    const server = serverKeys();
    const { directory, sender, bob, certificate } = await pair('alice', server);
    // Alice's real first message, sealed correctly and with its padding broken by her (only she holds the keys).
    const envelope = (await prepareTextMessage(sender, 'bob', 'hi Bob', directory.fetchBundle, { sealWith: { certificate, accessKey: UNCHECKED_ACCESS_KEY } })).envelopes[0]!;
    const sessionMessage = unsealEnvelope(bob.identity, fromBase64Url(envelope.body, 'body'), server.publicKey, Date.now()).sessionMessage;
    const inner = concatBytes(uint32BE(certificate.length), certificate, sessionMessage);
    const unmarked = concatBytes(inner, new Uint8Array(sealedInnerLength(256) - inner.length)); // zeros, no 0x80 marker
    const malformed: OutboxEntry = { ...envelope, id: `${envelope.id}x` as OutboxEntry['id'], body: toBase64Url(concatBytes(Uint8Array.of(FRAME_SEALED), sealInnerLayer(sender.identity, bob.identity.publicKey, unmarked))) };
    expect(malformed.body.length).toBe(envelope.body.length);

    const before = bob.store.entries();
    const outcome = await receiveEnvelope(bob, sealedFrame(malformed, sender));
    expect(outcome).toMatchObject({ kind: 'undecryptable', entry: { reason: 'INVALID_PADDING', from: null } });
    const after = bob.store.entries();
    const changed = Object.keys(after).filter((key) => JSON.stringify(after[key]) !== JSON.stringify(before[key]));
    expect(changed.sort()).toEqual([`inbox/${malformed.id}`, `seen/${malformed.id}`]);
    // The one-time prekeys are still there: the real message opens the session afterwards.
    expect(await receiveEnvelope(bob, sealedFrame(envelope, sender))).toMatchObject({ kind: 'message', entry: { from: 'alice', text: 'hi Bob' } });
  });
});
