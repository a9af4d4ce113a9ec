/**
 * transport-only on the client (transport-send.ts, transport-receive.ts,
 * policy.ts) with real keys and no server: what a device seals, that no
 * session is touched, that the recipient reads what the server delivers,
 * that a malformed delivery is stored as unreadable without throwing, and
 * that a mode this build does not know refuses before anything is encrypted.
 *
 * The server's part (opening the seal) is played here by crypto_box_seal_open
 * with a key the test made, as `deliver` plays the mailbox; the real relay
 * does it in the live tests (policy-live.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cryptoReady, encodeSenderCertificate, fromBase64Url, issueSenderCertificate, toBase64Url, utf8Encode } from '@envelope/crypto-public';
import { sodium } from '@envelope/crypto';
import { decodeTransportPayload, encodeTransportPayload, type PolicyAnnouncement } from '@envelope/protocol';
import { isClientError } from './errors.js';
import { loadInbox, receiveEnvelope, type MessageFrame } from './incoming.js';
import { loadXRay } from './xray.js';
import { loadSent } from './history.js';
import { loadOutbox, prepareTextMessage, type OutboxEntry } from './outgoing.js';
import { PolicyState, sendingModeOf, type SendingMode } from './policy.js';
import { prepareReceipts } from './receipts.js';
import { deliver, makeTestDevice, TestDirectory, type TestDevice } from './testing.js';

beforeAll(async () => {
  await cryptoReady();
});

const EXPOSURE = { messages: 0, people: 0 };

function transportServer() {
  const keys = sodium().crypto_box_keypair();
  const mode: SendingMode = { mode: 'transport-only', transportKey: keys.publicKey };
  /** What the relay delivers for a transport-only envelope: the opened payload, marked. */
  const open = (envelope: OutboxEntry, sender: TestDevice): MessageFrame => {
    const padded = sodium().crypto_box_seal_open(fromBase64Url(envelope.body, 'body'), keys.publicKey, keys.privateKey);
    return { ...deliver(envelope, sender), body: toBase64Url(padded), mode: 'transport-only' };
  };
  return { mode, open };
}

async function setup() {
  const directory = new TestDirectory();
  const alice = await makeTestDevice('alice', directory);
  const bob = await makeTestDevice('bob', directory);
  return { directory, alice, bob };
}

/** The session records a device holds, as stored. */
function sessions(device: TestDevice): Record<string, unknown> {
  return Object.fromEntries(Object.entries(device.store.entries()).filter(([key]) => key.startsWith('session/')));
}

describe('transport-only, device to device', () => {
  it('seals the message to the server, touches no session, and the recipient reads it with its mode', async () => {
    const { directory, alice, bob } = await setup();
    const server = transportServer();
    // An e2ee conversation first: sessions exist on both sides.
    const hello = (await prepareTextMessage(alice, 'bob', 'hello', directory.fetchBundle)).envelopes[0]!;
    expect((await receiveEnvelope(bob, deliver(hello, alice))).kind).toBe('message');
    const aliceSessions = structuredClone(sessions(alice));
    const bobSessions = structuredClone(sessions(bob));

    const { envelopes } = await prepareTextMessage(alice, 'bob', 'the server reads this', directory.fetchBundle, { mode: server.mode });
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0]).toMatchObject({ mode: 'transport-only', toDevice: 1 });
    // crypto_box_seal's 48 bytes around the padded payload: no ratchet header, no session message.
    const sealed = fromBase64Url(envelopes[0]!.body, 'body');
    const frame = server.open(envelopes[0]!, alice);
    expect(sealed.length).toBe(fromBase64Url(frame.body, 'body').length + 48);
    expect(sessions(alice)).toEqual(aliceSessions);

    const outcome = await receiveEnvelope(bob, frame);
    expect(outcome).toMatchObject({ kind: 'message', entry: { from: 'alice', text: 'the server reads this', mode: 'transport-only' } });
    expect(sessions(bob)).toEqual(bobSessions);
    expect((await loadSent(alice.store, bob.self.username)).map((s) => s.mode ?? 'e2ee')).toEqual(['e2ee', 'transport-only']);

    // The X-ray on both sides: no ratchet step, the payload the server opened, the same message bytes.
    const sentX = (await loadXRay(alice.store, envelopes[0]!.id))!;
    const receivedX = (await loadXRay(bob.store, frame.id))!;
    expect(sentX).toMatchObject({ mode: 'transport-only', envelopes: [], transport: { certificate: null, headerBytes: 2 } });
    expect(receivedX).toMatchObject({ mode: 'transport-only', envelopes: [], transport: { certificate: null, envelopes: [{ body: frame.body }] } });
    expect(receivedX.encoded).toEqual(sentX.encoded);
    expect(toBase64Url(receivedX.padded)).toBe(frame.body);

    // Bob's receipt (for both messages) goes the same way, and makes them delivered; still no session moves.
    const receipts = await prepareReceipts(bob, undefined, server.mode);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ mode: 'transport-only', control: 'receipt' });
    expect(await receiveEnvelope(alice, server.open(receipts[0]!, bob))).toMatchObject({ kind: 'control', delivered: [{ id: hello.id }, { id: envelopes[0]!.id }] });
    expect(sessions(alice)).toEqual(aliceSessions);
    expect(sessions(bob)).toEqual(bobSessions);

    // Back to e2ee: the sessions carry on where they stood (no key used twice).
    const after = (await prepareTextMessage(alice, 'bob', 'private again', directory.fetchBundle)).envelopes[0]!;
    expect(after.mode).toBeUndefined();
    expect(await receiveEnvelope(bob, deliver(after, alice))).toMatchObject({ kind: 'message', entry: { text: 'private again' } });
  });

  it('a first message to a stranger trusts their bundle key (TOFU) without opening a session', async () => {
    const { directory, alice } = await setup();
    const server = transportServer();
    await prepareTextMessage(alice, 'bob', 'hi', directory.fetchBundle, { mode: server.mode });
    expect(Object.keys(alice.store.entries()).filter((key) => key.startsWith('session/'))).toEqual([]);
    expect(alice.store.entries()['contact/bob']).toMatchObject({ devices: { 1: {} } });
  });

  it('a sealed send carries the certificate inside; the recipient checks it against the server key', async () => {
    const { directory, alice, bob: plainBob } = await setup();
    const server = transportServer();
    const signing = sodium().crypto_sign_keypair();
    const bob = { ...plainBob, serverCertificateKey: () => signing.publicKey };
    const certificate = encodeSenderCertificate(
      issueSenderCertificate(signing.privateKey, { sender: 'alice', deviceId: 1, identityKey: alice.identity.publicKey, expiresAt: Date.now() + 86_400_000 }),
    );
    const { envelopes } = await prepareTextMessage(alice, 'bob', 'sealed, yet read', directory.fetchBundle, {
      mode: server.mode,
      sealWith: { certificate, accessKey: 'A'.repeat(22) },
    });
    expect(envelopes[0]).toMatchObject({ sealed: true, mode: 'transport-only' });
    const frame = { ...server.open(envelopes[0]!, alice), from: null, fromDevice: null };
    expect(decodeTransportPayload(fromBase64Url(frame.body, 'body')).certificate).toEqual(certificate);
    expect(await receiveEnvelope(bob, frame)).toMatchObject({ kind: 'message', entry: { from: 'alice', sealedSender: true, mode: 'transport-only' } });
    expect((await loadXRay(alice.store, envelopes[0]!.id))!.transport!.certificate).toMatchObject({ sender: 'alice', deviceId: 1 });

    // A certificate the server did not sign: unreadable, with the reason.
    const forger = sodium().crypto_sign_keypair();
    const forged = encodeSenderCertificate(
      issueSenderCertificate(forger.privateKey, { sender: 'alice', deviceId: 1, identityKey: alice.identity.publicKey, expiresAt: Date.now() + 86_400_000 }),
    );
    const message = decodeTransportPayload(fromBase64Url(frame.body, 'body')).message;
    const forgedFrame = { ...frame, id: 'forgedforgedforgedforg' as MessageFrame['id'], body: toBase64Url(encodeTransportPayload({ certificate: forged, message })) };
    expect(await receiveEnvelope(bob, forgedFrame)).toMatchObject({ kind: 'undecryptable', entry: { reason: 'CERTIFICATE_INVALID', mode: 'transport-only' } });
  });

  it('a malformed delivery is stored as unreadable with its reason, and never throws', async () => {
    const { directory, alice, bob } = await setup();
    const server = transportServer();
    const good = server.open((await prepareTextMessage(alice, 'bob', 'fine', directory.fetchBundle, { mode: server.mode })).envelopes[0]!, alice);
    const message = decodeTransportPayload(fromBase64Url(good.body, 'body')).message;
    let n = 0;
    const variant = (body: Uint8Array, extra: Partial<MessageFrame> = {}): MessageFrame => ({ ...good, id: `malformed${String(n++).padStart(13, '0')}` as MessageFrame['id'], body: toBase64Url(body), ...extra });
    const cases: [MessageFrame, string][] = [
      [variant(utf8Encode('not padded at all')), 'INVALID_PADDING'],
      [variant(fromBase64Url(good.body, 'body').map((byte, i) => (i === 0 ? 9 : byte))), 'UNSUPPORTED_VERSION'],
      [variant(encodeTransportPayload({ certificate: null, message: utf8Encode('{"v":1,"kind":"text"}') })), 'PROTOCOL_ERROR'],
      [variant(encodeTransportPayload({ certificate: null, message: utf8Encode('\u00ff not json') })), 'PROTOCOL_ERROR'],
      // A certificate from a sender the server named, or none from a sender it did not: not one of the two shapes.
      [variant(encodeTransportPayload({ certificate: new Uint8Array(100), message })), 'INVALID_MESSAGE'],
      [variant(encodeTransportPayload({ certificate: null, message }), { from: null, fromDevice: null }), 'INVALID_MESSAGE'],
      // The right payload without the franking stamp beside it: not reportable, so not shown.
      [{ ...variant(fromBase64Url(good.body, 'body')), stamp: undefined } as MessageFrame, 'FRANKING_INVALID'],
    ];
    for (const [frame, reason] of cases) {
      expect(await receiveEnvelope(bob, frame), reason).toMatchObject({ kind: 'undecryptable', entry: { reason, mode: 'transport-only' } });
    }
    expect(await receiveEnvelope(bob, good)).toMatchObject({ kind: 'message', entry: { text: 'fine' } });
    expect((await loadInbox(bob)).map((entry) => entry.kind)).toEqual([...cases.map(() => 'undecryptable'), 'text']);
  });
});

describe('the policy mode (policy.ts)', () => {
  const announce = (mode: string, since: number, transportKey?: Uint8Array): PolicyAnnouncement => ({ mode, since, exposure: EXPOSURE, ...(transportKey ? { transportKey } : {}) });

  it('refuses a mode this build does not know, and transport-only without a key', () => {
    const refused = (announcement: PolicyAnnouncement) => {
      try {
        sendingModeOf(announcement);
      } catch (error) {
        return isClientError(error) ? [error.code, error.details.mode ?? null, error.message] : error;
      }
      return 'accepted';
    };
    expect(refused(announce('client-scanning', 1))).toEqual(['UNKNOWN_POLICY_MODE', 'client-scanning', expect.stringContaining('"client-scanning"')]);
    expect(refused(announce('transport-only', 1))).toEqual(['PROTOCOL_ERROR', null, expect.any(String)]);
    // key-escrow without its escrow key: nothing to seal message keys to, so nothing is sent.
    expect(refused(announce('key-escrow', 1))).toEqual(['PROTOCOL_ERROR', null, expect.stringContaining('escrow key')]);
    expect(sendingModeOf(announce('e2ee', 1))).toEqual({ mode: 'e2ee' });
  });

  it('fetches when nothing is known, and a fetch answered across a pushed frame never undoes it', async () => {
    const seen: string[] = [];
    let answer = announce('e2ee', 10);
    let answerLater: (a: PolicyAnnouncement) => void = () => undefined;
    let fetchNow = true;
    const state = new PolicyState(
      () => (fetchNow ? Promise.resolve(answer) : new Promise((resolve) => (answerLater = resolve))),
      (a) => seen.push(`${a.mode}@${a.since}`),
    );
    expect(() => state.sendingMode()).toThrow(expect.objectContaining({ code: 'UNKNOWN_POLICY_MODE' }));
    await state.ensureKnown();
    // A GET on its way while the server pushes a switch: its (older) answer is not adopted.
    fetchNow = false;
    const fetching = state.fetch();
    state.learn(announce('transport-only', 20, new Uint8Array(32)));
    answerLater(announce('e2ee', 10));
    expect((await fetching).mode).toBe('transport-only');
    // A server whose data was reset announces since 0 again: a frame is the mode, whatever its `since`.
    state.learn(announce('e2ee', 0));
    fetchNow = true;
    answer = announce('e2ee', 0);
    await state.fetch();
    expect(seen).toEqual(['e2ee@10', 'transport-only@20', 'e2ee@0', 'e2ee@0']);
  });

  it('under an unknown mode a send encrypts and stores nothing', async () => {
    const { directory, alice } = await setup();
    const state = new PolicyState(async () => announce('client-scanning', 1), () => undefined);
    await state.ensureKnown();
    const before = structuredClone(alice.store.entries());
    const attempt = async () => prepareTextMessage(alice, 'bob', 'must not leave', directory.fetchBundle, { mode: state.sendingMode() });
    await expect(attempt()).rejects.toMatchObject({ code: 'UNKNOWN_POLICY_MODE' });
    expect(alice.store.entries()).toEqual(before);
    expect(await loadOutbox(alice)).toEqual([]);
  });
});
