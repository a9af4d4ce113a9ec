/**
 * The native X25519 (native-x25519.ts, libsodium compiled for this machine) against the
 * WebAssembly build: the same bytes for RFC 7748's vectors and for random keys, the same refusal
 * of every low-order point, key pairs the WebAssembly build agrees with, and a whole session
 * between a party on each (the command-line client talking to a browser). sodium-native is an
 * optional dependency, but this project's machines and CI install it: the tests require it.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual, cryptoReady, randomBytes } from '@envelope/crypto-public';
import {
  acceptInitialMessage,
  createInitiatorSession,
  decryptMessage,
  dh,
  encryptMessage,
  libsodiumX25519,
  sodium,
  useX25519Backend,
  type X25519Backend,
} from '@envelope/crypto';
import { cryptoErrorCode, makeDevice, takeBundle } from '@envelope/testkit/crypto-fixtures.js';
import vectors from '../../shared/crypto/vectors/rfc7748-x25519.json' with { type: 'json' };
import { installNativeX25519, nativeX25519 as maybeNative, selfTest } from './native-x25519.js';

if (!maybeNative) throw new Error('sodium-native did not load: npm install should have installed it (an optional dependency of @envelope/cli)');
const nativeX25519 = maybeNative;

const hex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const BACKENDS: [string, X25519Backend][] = [
  ['libsodium', libsodiumX25519],
  ['native', nativeX25519],
];

/**
 * Points of small order on Curve25519 and their non-canonical encodings (u = 0, 1, the two
 * points of order 8, p - 1, p, p + 1): X25519 with any of them gives all zeros.
 */
const LOW_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
];

beforeAll(() => cryptoReady());
afterEach(() => {
  useX25519Backend(libsodiumX25519);
});

describe.each(BACKENDS)('X25519 by %s', (_name, backend) => {
  it("gives RFC 7748's answers (section 5.2 and section 6.1)", () => {
    for (const { scalar, u, result } of vectors.scalarMult) expect(toHex(backend.scalarMult(hex(scalar), hex(u)))).toBe(result);
    const { alicePrivate, alicePublic, bobPrivate, bobPublic, shared } = vectors.diffieHellman;
    expect(toHex(backend.scalarMult(hex(alicePrivate), hex(bobPublic)))).toBe(shared);
    expect(toHex(backend.scalarMult(hex(bobPrivate), hex(alicePublic)))).toBe(shared);
  });

  it('refuses every low-order point with INVALID_KEY', () => {
    useX25519Backend(backend);
    const privateKey = randomBytes(32);
    for (const point of LOW_ORDER) expect(cryptoErrorCode(() => dh(privateKey, hex(point))), point).toBe('INVALID_KEY');
  });
});

describe('the native X25519', () => {
  it('passes its self-test, and installing it makes dh use it', () => {
    expect(selfTest()).toBe(true);
    expect(installNativeX25519()).toBe(nativeX25519);
  });

  it('gives the same bytes as libsodium for 300 random pairs, and key pairs libsodium agrees with', () => {
    for (let i = 0; i < 300; i++) {
      const privateKey = randomBytes(32);
      const peer = libsodiumX25519.generateKeyPair().publicKey;
      expect(bytesEqual(nativeX25519.scalarMult(privateKey, peer), libsodiumX25519.scalarMult(privateKey, peer))).toBe(true);
      const made = nativeX25519.generateKeyPair();
      expect(bytesEqual(made.publicKey, sodium().crypto_scalarmult_base(made.privateKey))).toBe(true);
      expect(bytesEqual(nativeX25519.scalarMult(made.privateKey, peer), libsodiumX25519.scalarMult(made.privateKey, peer))).toBe(true);
    }
  });

  it('a session between a client on the native build and one on WebAssembly: the handshake and messages both ways', () => {
    const alice = makeDevice();
    const bob = makeDevice({ oneTimePreKeys: 1, oneTimeKemPreKeys: 1 });
    const text = (words: string) => new TextEncoder().encode(words);
    const read = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

    useX25519Backend(nativeX25519);
    const first = encryptMessage(createInitiatorSession(alice.identity, takeBundle(bob)), text('hello from the native build'));
    useX25519Backend(libsodiumX25519);
    const accepted = acceptInitialMessage(bob.identity, first.ciphertext, bob.lookup);
    expect(read(accepted.plaintext)).toBe('hello from the native build');
    const reply = encryptMessage(accepted.session, text('hello from WebAssembly'));
    useX25519Backend(nativeX25519);
    const opened = decryptMessage(first.session, reply.ciphertext);
    expect(read(opened.plaintext)).toBe('hello from WebAssembly');
    // A new ratchet step each way, each side on its own backend.
    const again = encryptMessage(opened.session, text('and again'));
    useX25519Backend(libsodiumX25519);
    expect(read(decryptMessage(reply.session, again.ciphertext).plaintext)).toBe('and again');
  });
});
