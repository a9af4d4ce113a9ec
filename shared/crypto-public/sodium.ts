/**
 * The one place libsodium is loaded. libsodium-wrappers-sumo compiles libsodium to
 * WebAssembly; the same build runs in the browser and in Node. The "sumo" build is
 * needed: the standard build lacks HMAC-SHA256 and SHA-256, which HKDF (RFC 5869)
 * and Signal's key schedule are built on, and ML-KEM-768, which PQXDH needs.
 *
 * Everything in shared/crypto is synchronous once `ready` has resolved; callers
 * await `cryptoReady()` once at start-up.
 */
import sodiumModule from 'libsodium-wrappers-sumo';
import { CryptoError } from './errors.js';

export type Sodium = typeof sodiumModule;

let loaded: Sodium | null = null;
const readyPromise: Promise<Sodium> = sodiumModule.ready.then(() => {
  loaded = sodiumModule;
  return sodiumModule;
});

/** Resolves once libsodium's WebAssembly is compiled. Safe to await many times. */
export function cryptoReady(): Promise<Sodium> {
  return readyPromise;
}

/** True once `cryptoReady()` has resolved. */
export function isCryptoReady(): boolean {
  return loaded !== null;
}

/**
 * Cryptographically secure random bytes from the platform (Web Crypto's
 * getRandomValues, in browsers and Node alike). libsodium's own randombytes in
 * this build pulls the same source four bytes per call, which made every key
 * generation cost ~60 µs more; so we draw randomness here and hand it to
 * libsodium's seeded functions.
 */
export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  // getRandomValues fills at most 65,536 bytes per call.
  for (let offset = 0; offset < length; offset += 65536) {
    globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65536)));
  }
  return out;
}

/** The loaded library; a clear error (not a crash deep in WASM) if used too early. */
export function sodium(): Sodium {
  if (loaded === null) {
    throw new CryptoError('NOT_READY', 'libsodium is not loaded yet: await cryptoReady() first');
  }
  return loaded;
}
