/**
 * X25519 by libsodium compiled for this machine (sodium-native) rather than to
 * WebAssembly, for Node clients: the command-line client and `npm run scenario
 * -- --live` install it at start; the benchmark times it beside the WebAssembly
 * (bench/crypto.ts). The same library, so the same bytes and the same refusal
 * of low-order points; only faster: about 35 µs an X25519 and 12 µs a key pair
 * against about 100 and 47 µs in WebAssembly (6 December 2026, side by side).
 * X25519 is most of a handshake's cost (README, "Benchmarks").
 *
 * The browser keeps the WebAssembly build. sodium-native is an optional
 * dependency: where it cannot be installed or loaded (a platform it ships no
 * prebuilt binary for), or fails its self-test, the client goes on with the
 * WebAssembly build, and says nothing, since nothing changes but speed.
 *
 * Before Node's own X25519 (OpenSSL) was tried: 39 µs an operation, but every
 * key had to become an OpenSSL key object first (a private key 34 µs, since
 * OpenSSL derives its public half; as DER 349 µs), and OpenSSL is a different
 * implementation to keep equal to libsodium's.
 */
import { createRequire } from 'node:module';
import { bytesEqual, randomBytes, X25519_KEY_BYTES } from '@envelope/crypto-public';
import { useX25519Backend, x25519Backend, type DhKeyPair, type X25519Backend } from '@envelope/crypto';

/** The two functions used, as sodium-native declares them (outputs first; both throw on failure). */
interface SodiumNative {
  crypto_scalarmult(shared: Uint8Array, privateKey: Uint8Array, publicKey: Uint8Array): void;
  crypto_scalarmult_base(publicKey: Uint8Array, privateKey: Uint8Array): void;
}

function loadSodiumNative(): SodiumNative | null {
  try {
    return createRequire(import.meta.url)('sodium-native') as SodiumNative;
  } catch {
    return null;
  }
}

const native = loadSodiumNative();

/** Null where sodium-native is not installed or does not load here. */
export const nativeX25519: X25519Backend | null = native && {
  name: 'libsodium (native, sodium-native)',
  scalarMult: (privateKey, publicKey) => {
    const shared = new Uint8Array(X25519_KEY_BYTES);
    native.crypto_scalarmult(shared, privateKey, publicKey);
    return shared;
  },
  generateKeyPair: (): DhKeyPair => {
    // X25519 clamps the scalar itself (RFC 7748 §5), so 32 random bytes are a private key.
    const privateKey = randomBytes(X25519_KEY_BYTES);
    const publicKey = new Uint8Array(X25519_KEY_BYTES);
    native.crypto_scalarmult_base(publicKey, privateKey);
    return { publicKey, privateKey };
  },
};

/** Whether the native build gives RFC 7748 §6.1's answers (and refuses the all-zero point); false without it. */
export function selfTest(): boolean {
  if (!nativeX25519) return false;
  const hex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
  try {
    const alicePrivate = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bobPublic = hex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = hex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');
    if (!bytesEqual(nativeX25519.scalarMult(alicePrivate, bobPublic), shared)) return false;
  } catch {
    return false;
  }
  try {
    nativeX25519.scalarMult(new Uint8Array(32).fill(7), new Uint8Array(32));
    return false;
  } catch {
    return true;
  }
}

/** Installs the native X25519 for this process if it loads and passes selfTest(); returns the backend in use. */
export function installNativeX25519(): X25519Backend {
  if (nativeX25519 && selfTest()) useX25519Backend(nativeX25519);
  return x25519Backend();
}
