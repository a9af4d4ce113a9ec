/**
 * Fixtures for tests and benchmarks: a device with a full set of prekeys, and
 * two devices with an established session. Real keys, real crypto; nothing here
 * is mocked. Not used by the product itself.
 */
import { generateIdentityKeyPair, type IdentityKeyPair, type PreKeyLookup, acceptInitialMessage, createInitiatorSession, decryptMessage, encryptMessage, type SessionState } from '@envelope/crypto';
import {
  bundleFrom,
  generateKemPreKey,
  generateOneTimePreKeys,
  generateSignedPreKey,
  type KemPreKey,
  type OneTimePreKey,
  type PreKeyBundle,
  type SignedPreKey,
} from '@envelope/crypto';
import { CryptoError, utf8Decode, utf8Encode } from '@envelope/crypto-public';

export interface TestDevice {
  identity: IdentityKeyPair;
  signedPreKey: SignedPreKey;
  oneTimePreKeys: Map<number, OneTimePreKey>;
  kemPreKeys: Map<number, KemPreKey>;
  lastResortKemPreKey: KemPreKey;
  lookup: PreKeyLookup;
}

export function makeDevice(options: { oneTimePreKeys?: number; oneTimeKemPreKeys?: number } = {}): TestDevice {
  const identity = generateIdentityKeyPair();
  const signedPreKey = generateSignedPreKey(identity, 1);
  const oneTimePreKeys = new Map(generateOneTimePreKeys(100, options.oneTimePreKeys ?? 2).map((k) => [k.id, k]));
  const lastResortKemPreKey = generateKemPreKey(identity, 1, true);
  const kemPreKeys = new Map<number, KemPreKey>([[lastResortKemPreKey.id, lastResortKemPreKey]]);
  for (let i = 0; i < (options.oneTimeKemPreKeys ?? 2); i++) {
    const key = generateKemPreKey(identity, 200 + i, false);
    kemPreKeys.set(key.id, key);
  }
  const device: TestDevice = {
    identity,
    signedPreKey,
    oneTimePreKeys,
    kemPreKeys,
    lastResortKemPreKey,
    lookup: {
      signedPreKey: (id) => (id === device.signedPreKey.id ? device.signedPreKey : undefined),
      oneTimePreKey: (id) => device.oneTimePreKeys.get(id),
      kemPreKey: (id) => device.kemPreKeys.get(id),
    },
  };
  return device;
}

export type BundleShape = { oneTime: boolean; kem: 'one-time' | 'last-resort' | 'none' };

/** The bundle a server would hand out, taking one-time keys as the server would (once). */
export function takeBundle(device: TestDevice, shape: BundleShape = { oneTime: true, kem: 'one-time' }): PreKeyBundle {
  const oneTime = shape.oneTime ? [...device.oneTimePreKeys.values()][0] : undefined;
  let kem: KemPreKey | undefined;
  if (shape.kem === 'last-resort') kem = device.lastResortKemPreKey;
  if (shape.kem === 'one-time') kem = [...device.kemPreKeys.values()].find((k) => !k.lastResort);
  return bundleFrom(device.identity, device.signedPreKey, oneTime, kem);
}

export interface EstablishedPair {
  alice: SessionState;
  bob: SessionState;
  aliceDevice: TestDevice;
  bobDevice: TestDevice;
}

/** Alice opens a session to Bob with one message, and Bob replies once: both sides are fully established. */
export function establishSessions(shape?: BundleShape): EstablishedPair {
  const aliceDevice = makeDevice();
  const bobDevice = makeDevice();
  let alice = createInitiatorSession(aliceDevice.identity, takeBundle(bobDevice, shape));
  const first = encryptMessage(alice, utf8Encode('hello Bob'));
  alice = first.session;
  const accepted = acceptInitialMessage(bobDevice.identity, first.ciphertext, bobDevice.lookup);
  if (utf8Decode(accepted.plaintext) !== 'hello Bob') throw new Error('fixture: first message did not decrypt');
  const reply = encryptMessage(accepted.session, utf8Encode('hello Alice'));
  const opened = decryptMessage(alice, reply.ciphertext);
  if (utf8Decode(opened.plaintext) !== 'hello Alice') throw new Error('fixture: reply did not decrypt');
  return { alice: opened.session, bob: reply.session, aliceDevice, bobDevice };
}

/** The code of the CryptoError `fn` throws, "OTHER: …" for any other error, undefined if it returns. */
export function cryptoErrorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof CryptoError ? error.code : `OTHER: ${String(error)}`;
  }
  return undefined;
}
