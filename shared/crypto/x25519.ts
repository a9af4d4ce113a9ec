/**
 * X25519 (RFC 7748), behind one small interface so that a platform with a faster
 * build can supply it. The default is libsodium's WebAssembly, which runs
 * everywhere and is what the browser uses. In Node, the same libsodium compiled
 * for the machine (sodium-native, client/cli/native-x25519.ts) is about three
 * times faster per operation, and the command-line client installs it at start;
 * X25519 is most of a handshake's cost (README, "Benchmarks").
 *
 * Every backend must give the same bytes as libsodium for every input, and
 * refuse a peer key of low order (an all-zero result) with INVALID_KEY: the
 * tests run RFC 7748's vectors, random pairs and the low-order points through
 * each one.
 */
import { CryptoError, randomBytes, X25519_KEY_BYTES } from '@envelope/crypto-public';
import { sodium } from './sodium.js';

export interface DhKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: Uint8Array;
}

export interface X25519Backend {
  /** A short name for benchmarks and errors. */
  readonly name: string;
  /** The shared secret; throws (anything) for a public key of low order. */
  scalarMult(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
  /** A fresh key pair. */
  generateKeyPair(): DhKeyPair;
}

export const libsodiumX25519: X25519Backend = {
  name: 'libsodium (WebAssembly)',
  scalarMult: (privateKey, publicKey) => sodium().crypto_scalarmult(privateKey, publicKey),
  generateKeyPair: () => {
    // X25519 clamps the scalar itself (RFC 7748 §5), so 32 random bytes are a private key.
    const privateKey = randomBytes(X25519_KEY_BYTES);
    return { publicKey: sodium().crypto_scalarmult_base(privateKey), privateKey };
  },
};

let backend: X25519Backend = libsodiumX25519;

/** Makes every X25519 operation of this process (or page) use `next`; returns the one it replaces. */
export function useX25519Backend(next: X25519Backend): X25519Backend {
  const previous = backend;
  backend = next;
  return previous;
}

export function x25519Backend(): X25519Backend {
  return backend;
}

export function generateDhKeyPair(): DhKeyPair {
  return backend.generateKeyPair();
}

/**
 * X25519 with the peer's public key. A peer key of low order gives all zeros,
 * which every backend refuses (X3DH §4.9 aside: such a key would make the
 * secret predictable); we turn that into INVALID_KEY.
 */
export function dh(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (publicKey.length !== X25519_KEY_BYTES) {
    throw new CryptoError('INVALID_KEY', `X25519 public key must be ${X25519_KEY_BYTES} bytes`);
  }
  if (privateKey.length !== X25519_KEY_BYTES) {
    throw new CryptoError('INVALID_KEY', `X25519 private key must be ${X25519_KEY_BYTES} bytes`);
  }
  try {
    return backend.scalarMult(privateKey, publicKey);
  } catch {
    throw new CryptoError('INVALID_KEY', 'X25519 public key is of low order');
  }
}
