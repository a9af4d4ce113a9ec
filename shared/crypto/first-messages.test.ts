/**
 * Forward secrecy of the initiator's first messages (X3DH §3.3, PQXDH §3.3:
 * "Alice then deletes her ephemeral private key"). Someone who steals Alice's
 * device after she sent her first messages gets her stored session and her
 * identity key; with them, and everything that crossed the network, they must
 * not be able to read those messages.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual, concatBytes, fromBase64Url, utf8Decode, utf8Encode, ROOT_KDF_INFO, X3DH_F_BYTES, X3DH_INFO, CryptoError, hkdf, cryptoReady, sodium } from '@envelope/crypto-public';
import { associatedDataFor, respondToHandshake, type PreKeyLookup } from './handshake.js';
import { dh, identityFromEd25519, identityPublicKeyToX25519 } from './identity.js';
import type { PreKeyBundle } from './prekeys.js';
import { decodeRatchetHeader, ratchetDecrypt } from './ratchet.js';
import type { RatchetState } from './ratchet-state.js';
import {
  acceptInitialMessage,
  createInitiatorSession,
  decryptMessage,
  deserializeSession,
  encodeSessionMessage,
  encryptMessage,
  parseSessionMessage,
  serializeSession,
} from './session.js';
import { makeDevice, takeBundle } from '@envelope/testkit/crypto-fixtures.js';
import legacy from './vectors/pre-fresh-ratchet-key-session.json' with { type: 'json' };

beforeAll(async () => {
  await cryptoReady();
});

/** Every 32-byte value anywhere in a stored JSON document: what a thief would try as a private key. */
function secretsIn(json: unknown, found: Uint8Array[] = []): Uint8Array[] {
  if (typeof json === 'string') {
    try {
      found.push(fromBase64Url(json, 'candidate', 32));
    } catch {
      // not a 32-byte value
    }
  } else if (Array.isArray(json)) {
    for (const item of json) secretsIn(item, found);
  } else if (typeof json === 'object' && json !== null) {
    for (const value of Object.values(json)) secretsIn(value, found);
  }
  return found;
}

/**
 * Tries to open the first message (a prekey message) given a candidate
 * handshake output, both ways a first chain has been keyed: from the handshake
 * directly (the chain key in the second half of the KDF output), or by a DH
 * ratchet step with a fresh ratchet key of Alice's against Bob's signed prekey
 * (Double Ratchet §3.3), for every candidate ratchet private key.
 */
function opensFirstMessage(
  kdfOutput: Uint8Array,
  ratchetPrivateKeys: readonly Uint8Array[],
  bundle: PreKeyBundle,
  aliceIdentityKey: Uint8Array,
  message: Uint8Array,
): boolean {
  const parsed = parseSessionMessage(message);
  const header = decodeRatchetHeader(parsed.ratchetMessage);
  const chainKeys = [kdfOutput.slice(32, 64)];
  for (const ratchetPrivateKey of ratchetPrivateKeys) {
    const step = hkdf(dh(ratchetPrivateKey, bundle.signedPreKey.publicKey), kdfOutput.slice(0, 32), utf8Encode(ROOT_KDF_INFO), 64);
    chainKeys.push(step.slice(32, 64));
  }
  return chainKeys.some((chainKey) => {
    const receiver: RatchetState = {
      version: 1,
      handshake: 'x3dh',
      localIdentityKey: bundle.identityKey,
      remoteIdentityKey: aliceIdentityKey,
      associatedData: associatedDataFor(aliceIdentityKey, bundle.identityKey),
      rootKey: kdfOutput.slice(0, 32),
      sendingRatchetKey: null,
      remoteRatchetKey: header.ratchetKey,
      sendingChain: null,
      receivingChain: { chainKey, index: 0 },
      previousSendingChainLength: 0,
      skippedKeys: [],
      oldRemoteRatchetKeys: [],
    };
    try {
      ratchetDecrypt(receiver, parsed.ratchetMessage);
      return true;
    } catch (error) {
      if (error instanceof CryptoError && error.code === 'DECRYPT_FAILED') return false;
      throw error;
    }
  });
}

/** X3DH's KDF input computed from Alice's side (X3DH §3.3) with `ephemeral` standing in for EK_A. */
function x3dhKdfOutputAsAlice(identityDhPrivateKey: Uint8Array, ephemeral: Uint8Array, bundle: PreKeyBundle): Uint8Array {
  const parts = [
    new Uint8Array(X3DH_F_BYTES).fill(0xff),
    dh(identityDhPrivateKey, bundle.signedPreKey.publicKey),
    dh(ephemeral, identityPublicKeyToX25519(bundle.identityKey)),
    dh(ephemeral, bundle.signedPreKey.publicKey),
  ];
  if (bundle.oneTimePreKey) parts.push(dh(ephemeral, bundle.oneTimePreKey.publicKey));
  return hkdf(concatBytes(...parts), new Uint8Array(32), utf8Encode(X3DH_INFO), 64);
}

describe("forward secrecy of the initiator's first messages", () => {
  it("Alice's stored session and identity key do not open the first messages she sent", () => {
    const alice = makeDevice();
    const bob = makeDevice();
    // X3DH: no ML-KEM secret in the key derivation, so the handshake's DHs are all that protect SK.
    const bundle = takeBundle(bob, { oneTime: true, kem: 'none' });
    let session = createInitiatorSession(alice.identity, bundle);
    const sent: Uint8Array[] = [];
    for (const text of ['first', 'second']) {
      const out = encryptMessage(session, utf8Encode(text));
      session = out.session;
      sent.push(out.ciphertext);
    }
    const firstMessage = parseSessionMessage(sent[0]!);
    if (firstMessage.kind !== 'prekey') throw new Error('expected a prekey message');
    const ephemeralPublicKey = firstMessage.handshake.ephemeralKey;

    // What the thief holds: the stored session and the identity key pair.
    const stolen = JSON.parse(JSON.stringify(serializeSession(session))) as unknown;
    const candidates = [...secretsIn(stolen), alice.identity.dhPrivateKey, alice.identity.privateKey.slice(0, 32)];

    // The stored state holds no private key of the handshake's ephemeral key EK_A.
    for (const candidate of candidates) {
      expect(bytesEqual(sodium().crypto_scalarmult_base(candidate), ephemeralPublicKey)).toBe(false);
    }

    // Control: with the handshake secret (here Bob's), the thief's method does open the first
    // message, using the ratchet key still in Alice's state. So the secret is all that is missing.
    const bobSecrets = respondToHandshake(bob.identity, firstMessage.handshake, bob.lookup);
    const bobKdfOutput = concatBytes(bobSecrets.rootKey, bobSecrets.legacyFirstChainKey);
    expect(opensFirstMessage(bobKdfOutput, candidates, bundle, alice.identity.publicKey, sent[0]!)).toBe(true);

    // The thief re-runs the handshake with every value in the state as EK_A, and fails.
    for (const message of sent) {
      for (const ephemeral of candidates) {
        const kdfOutput = x3dhKdfOutputAsAlice(alice.identity.dhPrivateKey, ephemeral, bundle);
        expect(opensFirstMessage(kdfOutput, candidates, bundle, alice.identity.publicKey, message)).toBe(false);
      }
    }
  });

  it("with PQXDH too, Alice's stored session holds no private key of the handshake's ephemeral key", () => {
    // (Re-running PQXDH would also need the ML-KEM shared secret, which nothing of Alice's holds.)
    const alice = makeDevice();
    const bob = makeDevice();
    const first = encryptMessage(createInitiatorSession(alice.identity, takeBundle(bob, { oneTime: false, kem: 'last-resort' })), utf8Encode('hi'));
    const parsed = parseSessionMessage(first.ciphertext);
    if (parsed.kind !== 'prekey') throw new Error('expected a prekey message');
    expect(parsed.handshake.kind).toBe('pqxdh');
    const candidates = secretsIn(JSON.parse(JSON.stringify(serializeSession(first.session))));
    expect(candidates.length).toBeGreaterThan(0);
    for (const candidate of candidates) {
      expect(bytesEqual(sodium().crypto_scalarmult_base(candidate), parsed.handshake.ephemeralKey)).toBe(false);
    }
  });
});

describe('sessions stored before Alice had a fresh first ratchet key', () => {
  // Made by the earlier code: Alice's stored session, two messages still queued, Bob's keys.
  const b = (text: string) => fromBase64Url(text, 'fixture');
  const bobIdentity = () => identityFromEd25519(b(legacy.bob.identity.publicKey), b(legacy.bob.identity.privateKey));
  const bobLookup = (): PreKeyLookup => {
    const { signedPreKey: spk, oneTimePreKey: otp, kemPreKey: kem } = legacy.bob;
    return {
      signedPreKey: (id) =>
        id === spk.id ? { id, keyPair: { publicKey: b(spk.publicKey), privateKey: b(spk.privateKey) }, signature: b(spk.signature) } : undefined,
      oneTimePreKey: (id) => (id === otp.id ? { id, keyPair: { publicKey: b(otp.publicKey), privateKey: b(otp.privateKey) } } : undefined),
      kemPreKey: (id) =>
        id === kem.id ? { id, publicKey: b(kem.publicKey), privateKey: b(kem.privateKey), signature: b(kem.signature), lastResort: true } : undefined,
    };
  };

  it('still load, their queued first messages open, and the conversation carries on both ways', () => {
    let alice = deserializeSession(legacy.alice.session);
    const identity = bobIdentity();
    const [first, second] = legacy.queued.map(b);
    const accepted = acceptInitialMessage(identity, second!, bobLookup());
    expect(utf8Decode(accepted.plaintext)).toBe(legacy.plaintexts[1]);
    let bob = accepted.session;
    const late = decryptMessage(bob, first!);
    expect(utf8Decode(late.plaintext)).toBe(legacy.plaintexts[0]);
    bob = late.session;
    // Alice, loaded from the old stored form, sends once more before Bob's reply reaches her.
    const third = encryptMessage(alice, utf8Encode('sent after the upgrade'));
    alice = third.session;
    const opened = decryptMessage(bob, third.ciphertext);
    expect(utf8Decode(opened.plaintext)).toBe('sent after the upgrade');
    bob = opened.session;
    for (let turn = 0; turn < 4; turn++) {
      const reply = encryptMessage(bob, utf8Encode(`Bob ${turn}`));
      bob = reply.session;
      const got = decryptMessage(alice, reply.ciphertext);
      expect(utf8Decode(got.plaintext)).toBe(`Bob ${turn}`);
      const answer = encryptMessage(got.session, utf8Encode(`Alice ${turn}`));
      alice = deserializeSession(JSON.parse(JSON.stringify(serializeSession(answer.session))));
      const back = decryptMessage(bob, answer.ciphertext);
      expect(utf8Decode(back.plaintext)).toBe(`Alice ${turn}`);
      bob = back.session;
    }
    expect(parseSessionMessage(encryptMessage(alice, utf8Encode('x')).ciphertext).kind).toBe('ratchet');
  });

  it('a first message whose ratchet key is EK_A but whose chain is not the handshake one is refused', () => {
    // Only sessions keyed the old way take that path: a new-style chain relabelled with EK_A does not open.
    const alice = makeDevice();
    const bob = makeDevice();
    const first = encryptMessage(createInitiatorSession(alice.identity, takeBundle(bob)), utf8Encode('hi'));
    const parsed = parseSessionMessage(first.ciphertext);
    if (parsed.kind !== 'prekey') throw new Error('expected a prekey message');
    const relabelled = encodeSessionMessage({
      ...parsed,
      ratchetMessage: concatBytes(parsed.ratchetMessage.subarray(0, 1), parsed.handshake.ephemeralKey, parsed.ratchetMessage.subarray(33)),
    });
    expect(() => acceptInitialMessage(bob.identity, relabelled, bob.lookup)).toThrowError(
      expect.objectContaining({ code: 'DECRYPT_FAILED' }) as Error,
    );
  });
});
